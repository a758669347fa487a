import { expect } from "chai";
import { statSync } from "node:fs";
import supertest from "supertest";
import { TOKEN } from "./support/brokerHarness";
import { ensureBrokerImage } from "./support/brokerImage";
import { submit, waitForState } from "./support/jobs";
import { waitFor } from "../support/waitFor";
import { TestFleet } from "./support/testFleet";
import { ENGINE_SOCKET_PATH, FILTER_COMMAND, FILTER_HEALTHCHECK, FILTER_SOCKET_DIR, FILTER_SOCKET_PATH } from "../../broker/src/dockerFilter/filterContainer";

describe("broker image: built from its Dockerfile, run as the program runs it", function () {
  this.timeout(60000);
  const fleet = new TestFleet();
  let image: string;

  const socketVolume = `${fleet.stack}-docker-api`;

  before(async function () {
    this.timeout(600000);
    await fleet.prepare();
    image = await ensureBrokerImage(fleet.docker);
    await fleet.startAgent("aider", 1);
    await fleet.docker.createVolume({ Name: socketVolume, Labels: { "llpm.stack": fleet.stack } });
    // The Docker API filter as components/dockerApiFilter.ts runs it: alone with the engine's socket.
    const filter = await fleet.docker.createContainer({
      name: `${fleet.stack}-docker-filter`,
      Image: image,
      Cmd: FILTER_COMMAND,
      Env: [`LLPM_STACK=${fleet.stack}`, `DOCKER_FILTER_LISTEN=unix://${FILTER_SOCKET_PATH}`, `DOCKER_FILTER_UPSTREAM=unix://${ENGINE_SOCKET_PATH}`],
      Labels: { "llpm.stack": fleet.stack, "llpm.role": "docker-filter" },
      Healthcheck: { Test: ["CMD", ...FILTER_HEALTHCHECK], Interval: 1e9, Retries: 3 },
      User: "1000:1000",
      HostConfig: {
        GroupAdd: [String(statSync("/var/run/docker.sock").gid)],
        Mounts: [
          { Type: "bind", Source: "/var/run/docker.sock", Target: ENGINE_SOCKET_PATH, ReadOnly: true },
          { Type: "volume", Source: socketVolume, Target: FILTER_SOCKET_DIR },
        ],
        NetworkMode: "none",
        ReadonlyRootfs: true,
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges"],
        Init: true,
      },
    });
    await filter.start();
    await waitFor("the filter to be healthy", async () => (await filter.inspect()).State.Health?.Status === "healthy", 60000);
  });

  after(async () => {
    await fleet.cleanup();
    await fleet.docker.getVolume(socketVolume).remove().catch(() => {});
  });

  const brokerContainer = (suffix: string, env: string[]) =>
    fleet.docker.createContainer({
      name: `${fleet.stack}-broker-${suffix}`,
      Image: image,
      Env: env,
      Labels: { "llpm.stack": fleet.stack, "llpm.role": "broker" },
      User: "1000:1000",
      ExposedPorts: { "3010/tcp": {} },
      HostConfig: {
        // No engine socket: only the filter's, read-only, as the program mounts it.
        Mounts: [{ Type: "volume", Source: socketVolume, Target: FILTER_SOCKET_DIR, ReadOnly: true }],
        PortBindings: { "3010/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] },
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges"],
      },
    });

  it("runs as uid 1000 without the engine's socket, discovers agents and runs a job through the filter", async () => {
    const container = await brokerContainer("ok", [
      `BROKER_TOKEN=${TOKEN}`,
      `LLPM_STACK=${fleet.stack}`,
      "BROKER_PORT=3010",
      "BROKER_DB=/data/broker.db",
      `DOCKER_HOST=unix://${FILTER_SOCKET_PATH}`,
    ]);
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
    const mounts = (await container.inspect()).Mounts.map((m) => m.Destination);
    expect(mounts).to.not.include(ENGINE_SOCKET_PATH);
  });

  it("refuses the broker's container what the filter refuses: no container can be created from it", async () => {
    const container = fleet.docker.getContainer(`${fleet.stack}-broker-ok`);
    const exec = await container.exec({
      Cmd: ["node", "-e", `require('http').request({socketPath:'${FILTER_SOCKET_PATH}',method:'POST',path:'/containers/create',headers:{'Content-Type':'application/json'}},r=>{let b='';r.on('data',c=>b+=c);r.on('end',()=>console.log(r.statusCode,b))}).end('{"Image":"x"}')`],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const output = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => resolve(Buffer.concat(chunks).toString()));
    });
    expect(output).to.contain("403").and.contain("creating containers is not allowed");
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
