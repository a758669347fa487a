// The Postgres stand-in (test/support/local-images/postgres) behaves like the official image as the
// program uses it: the program's own recorded network, volume and Postgres container, materialised
// by the harness, come up healthy under the program's hardening, run the server as `postgres`,
// create the configured user and database with password authentication, and keep data on the volume.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import Docker from "dockerode";
import { DockerFleet, sweepStack } from "./harness/dockerFleet";
import { waitUntilReady } from "./harness/health";
import { LOCAL_STAND_INS } from "./harness/imageSubstitution";
import { PROJECT_ROOT, runProgram, type RecordedResource } from "../support/runProgram";
import { CONTAINER, coreContainer, envOf, labelsOf, VOLUME } from "../support/recordedFleet";
import { execIn } from "./support/containerExec";
import { e2eStackConfig, writeExtraCaFile } from "./support/fleetConfig";
import { e2eStackName } from "./support/stackName";


describe("e2e: the Postgres stand-in, as the program declares its container", function () {
  this.timeout(180_000);
  const docker = new Docker();
  const stack = e2eStackName();
  const runDir = mkdtempSync(path.join(tmpdir(), `llpm-${stack}-`));
  const fleet = new DockerFleet({ docker, programDir: PROJECT_ROOT, substitutions: LOCAL_STAND_INS });
  const container = `llpm-${stack}-postgres`;
  let password: string;

  before(async () => {
    const config = e2eStackConfig(path.join(runDir, "workspaces"), { broker: 3010, litellm: 4000 }, writeExtraCaFile(runDir));
    const run = await runProgram({ stack, config });
    // Postgres' own container and volume, and the networks (it sits on the backend one).
    const ofPostgres = (r: RecordedResource) => r.type === "docker:index/network:Network" || labelsOf(r)["llpm.role"] === "postgres";
    expect(run.resources.filter((r) => labelsOf(r)["llpm.role"] === "postgres").map((r) => r.type).sort()).to.deep.equal([CONTAINER, VOLUME]);
    password = envOf(coreContainer(run, "postgres")).POSTGRES_PASSWORD;
    await fleet.apply(run.resources, 120_000, ofPostgres);
    expect(await fleet.readBackDifferences(), "what the docker provider would read back differs from the inputs").to.deep.equal([]);
  });

  after(async () => {
    await fleet.teardown().finally(() => sweepStack(docker, stack));
    rmSync(runDir, { recursive: true, force: true });
  });

  const psql = (sql: string, pass: string) =>
    execIn(docker, container, ["psql", "-h", "127.0.0.1", "-U", "litellm", "-d", "litellm", "-tAc", sql], [`PGPASSWORD=${pass}`]);

  it("runs the server as the non-root postgres user", async () => {
    const { output } = await execIn(docker, container, ["stat", "-c", "%U", "/proc/1"]);
    expect(output.trim()).to.equal("postgres");
  });

  it("creates the configured user and database, with password authentication over TCP", async () => {
    const ok = await psql("select current_user || '@' || current_database()", password);
    expect(ok.output.trim(), ok.output).to.equal("litellm@litellm");
    const refused = await psql("select 1", "not-the-password");
    expect(refused.code).to.not.equal(0);
    expect(refused.output).to.contain("password authentication failed");
  });

  it("keeps its data on the volume across a container restart", async () => {
    await psql("create table kept (v text); insert into kept values ('still here')", password);
    await docker.getContainer(container).restart();
    await waitUntilReady(docker, [container], 120_000);
    const { output } = await psql("select v from kept", password);
    expect(output.trim()).to.equal("still here");
  });
});
