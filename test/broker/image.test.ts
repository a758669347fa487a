import { expect } from "chai";
import { statSync } from "node:fs";
import supertest from "supertest";
import { TOKEN } from "./support/brokerHarness";
import { ensureBrokerImage } from "./support/brokerImage";
import { submit, waitForState } from "./support/jobs";
import { waitFor } from "../support/waitFor";
import { TestFleet } from "./support/testFleet";

describe("broker image: built from its Dockerfile, run as the program runs it", function () {
  this.timeout(60000);
  const fleet = new TestFleet();
  let image: string;

  before(async function () {
    this.timeout(600000);
    await fleet.prepare();
    image = await ensureBrokerImage(fleet.docker);
    await fleet.startAgent("aider", 1);
  });

  after(() => fleet.cleanup());

  const brokerContainer = (suffix: string, env: string[]) =>
    fleet.docker.createContainer({
      name: `${fleet.stack}-broker-${suffix}`,
      Image: image,
      Env: env,
      Labels: { "llpm.stack": fleet.stack, "llpm.role": "broker" },
      User: "1000:1000",
      ExposedPorts: { "3010/tcp": {} },
      HostConfig: {
        GroupAdd: [String(statSync("/var/run/docker.sock").gid)],
        Binds: ["/var/run/docker.sock:/var/run/docker.sock"],
        PortBindings: { "3010/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] },
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges"],
      },
    });

  it("runs as uid 1000 with the socket's group, discovers agents and runs a job", async () => {
    const container = await brokerContainer("ok", [`BROKER_TOKEN=${TOKEN}`, `LLPM_STACK=${fleet.stack}`, "BROKER_PORT=3010", "BROKER_DB=/data/broker.db"]);
    await container.start();
    const info = await container.inspect();
    const port = info.NetworkSettings.Ports["3010/tcp"]![0].HostPort;
    const api = supertest.agent(`http://127.0.0.1:${port}`).set("Authorization", `Bearer ${TOKEN}`);
    await waitFor("the containerised broker to answer", async () => (await api.get("/health")).status === 200);
    await api.get("/agents").set("Authorization", "Bearer nope").expect(401);
    await waitFor("aider-1 ready", async () => (await api.get("/agents/aider-1")).body.state === "ready");
    const job = await submit(api, "aider-1", "from the broker image");
    expect((await waitForState(api, job.id, "completed")).result).to.equal("echo: from the broker image");
    const logs = (await container.logs({ stdout: true, stderr: true })).toString();
    expect(logs).to.contain('"msg":"broker listening"').and.not.contain(TOKEN);
  });

  it("refuses to start without a broker token, saying why", async () => {
    const container = await brokerContainer("notoken", [`LLPM_STACK=${fleet.stack}`]);
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    expect(StatusCode).to.equal(2);
    const logs = (await container.logs({ stdout: true, stderr: true })).toString();
    expect(logs).to.contain("BROKER_TOKEN is required");
  });
});
