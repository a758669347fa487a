import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import supertest from "supertest";
import { submit, waitForState } from "./support/jobs";
import { waitFor } from "../support/waitFor";
import { TestFleet } from "./support/testFleet";
import { ENGINE_SOCKET_PATH, FILTER_SOCKET_PATH } from "../../contract/dockerFilter";
import { DockerFleet } from "../e2e/harness/dockerFleet";
import { LOCAL_STAND_INS } from "../e2e/harness/imageSubstitution";
import { e2eStackConfig, writeExtraCaFile } from "../e2e/support/fleetConfig";
import { freePort } from "../e2e/support/freePorts";
import { coreContainer, envOf, labelsOf } from "../support/recordedFleet";
import { PROJECT_ROOT, runProgram, type ProgramRun, type RecordedResource } from "../support/runProgram";

// The broker's part of the program (its image, volumes, the Docker API filter and the broker
// container), recorded from the real program and materialised by the e2e harness exactly as the
// docker provider would create it; only the agents are the small fake agent image.
const BROKER_ROLES = new Set(["broker", "docker-filter"]);
const READY_TIMEOUT_MS = 3 * 60_000;

describe("broker image: the program's broker and Docker API filter, on a real engine", function () {
  this.timeout(60000);
  const fleet = new TestFleet();
  const runDir = mkdtempSync(path.join(tmpdir(), "llpmt-brk-image-"));
  const harness = new DockerFleet({ docker: fleet.docker, programDir: PROJECT_ROOT, substitutions: LOCAL_STAND_INS, imageCache: "llpm-e2e-cache" });
  let run: ProgramRun;
  let api: supertest.Agent;
  let token: string;

  const brokerName = () => coreContainer(run, "broker").inputs.name as string;

  before(async function () {
    this.timeout(15 * 60_000);
    await fleet.prepare();
    const ports = { broker: await freePort(), litellm: await freePort() };
    run = await runProgram({ stack: fleet.stack, config: e2eStackConfig(path.join(runDir, "workspaces"), ports, writeExtraCaFile(runDir)) });
    const brokerImage = coreContainer(run, "broker").inputs.image as string;
    const ofBroker = (r: RecordedResource) =>
      r.type === "docker:index/network:Network" || r.inputs.imageName === brokerImage || BROKER_ROLES.has(labelsOf(r)["llpm.role"]);
    await harness.apply(run.resources, READY_TIMEOUT_MS, ofBroker);
    await fleet.startAgent("aider", 1);
    token = envOf(coreContainer(run, "broker")).BROKER_TOKEN;
    api = supertest.agent(`http://127.0.0.1:${ports.broker}`).set("Authorization", `Bearer ${token}`);
  });

  after(async function () {
    this.timeout(120_000);
    await fleet.docker.getContainer(`${brokerName()}-notoken`).remove({ force: true }).catch(() => {});
    await harness.teardown();
    await fleet.cleanup();
    rmSync(runDir, { recursive: true, force: true });
  });

  it("is what the docker provider would read back: no drift between the program's inputs and the engine", async () => {
    expect(await harness.readBackDifferences()).to.deep.equal([]);
  });

  it("runs as uid 1000 without the engine's socket, discovers agents and runs a job through the filter", async () => {
    const broker = await fleet.docker.getContainer(brokerName()).inspect();
    expect(broker.Config.User).to.equal("1000:1000");
    expect(broker.Mounts.map((m) => m.Destination)).to.not.include(ENGINE_SOCKET_PATH);
    await api.get("/agents").set("Authorization", "Bearer nope").expect(401);
    await waitFor("aider-1 ready", async () => (await api.get("/agents/aider-1")).body.state === "ready");
    const job = await submit(api, "aider-1", "from the broker image");
    expect((await waitForState(api, job.id, "completed")).result).to.equal("echo: from the broker image");
    const logs = (await fleet.docker.getContainer(brokerName()).logs({ stdout: true, stderr: true })).toString();
    expect(logs).to.contain('"msg":"broker listening"').and.not.contain(token);
  });

  it("refuses the broker's container what the filter refuses: no container can be created from it", async () => {
    const exec = await fleet.docker.getContainer(brokerName()).exec({
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
    // The program's own broker container, as the engine holds it, with only the token taken away.
    const broker = await fleet.docker.getContainer(brokerName()).inspect();
    const container = await fleet.docker.createContainer({
      name: `${brokerName()}-notoken`,
      Image: broker.Image,
      User: broker.Config.User,
      Env: broker.Config.Env.filter((line) => !line.startsWith("BROKER_TOKEN=")),
      HostConfig: { ...broker.HostConfig, PortBindings: {}, RestartPolicy: { Name: "no" } },
    });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    expect(StatusCode).to.equal(2);
    const logs = (await container.logs({ stdout: true, stderr: true })).toString();
    expect(logs).to.contain("BROKER_TOKEN is required");
  });
});
