/**
 * scripts/fleet.ts end to end through the Automation API. With the real Pulumi CLI (built from the
 * Go module proxy by .ci/toolchain/pulumi-cli.sh)
 * and a `file://` backend in a temp folder: stack creation, secrets imported as secrets, status,
 * and a stack that does not exist; `llpm` reading the broker from a stack's outputs as `npm run up`
 * leaves them (an inline program with only those outputs: the fleet's providers cannot run here).
 * Without any CLI and no route to get.pulumi.com (this machine):
 * the installer's progress line and the manual alternative. `up`/`preview` of the docker fleet
 * cannot run here (the docker and random provider plugins cannot be downloaded).
 */
import * as pulumiSdk from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { execFile, spawnSync } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { EXIT } from "../../cli/exitCodes";
import { NAMESPACE } from "../../config/defaults";
import { PULUMI_VERSION } from "../../scripts/pulumiCommand";
import { PROJECT_ROOT } from "../support/runProgram";

/** The pinned CLI, from the script `.ci/run` builds it with (a no-op once cached). */
function pulumiBin(): string {
  const r = spawnSync("bash", [".ci/toolchain/pulumi-cli.sh"], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 1800000 });
  const bin = path.join(r.stdout.trim().split("\n").pop() ?? "", "pulumi");
  if (r.status !== 0 || !fs.existsSync(bin)) throw new Error(`.ci/toolchain/pulumi-cli.sh gave no Pulumi CLI ${PULUMI_VERSION}:\n${r.stdout}\n${r.stderr}`);
  return bin;
}

const run = promisify(execFile);

function fleet(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "scripts/fleet.ts"), ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    env: { PATH: "/usr/bin:/bin", PULUMI_SKIP_UPDATE_CHECK: "true", ...env },
    timeout: 180000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run up|preview|destroy|status (scripts/fleet.ts on the Automation API)", function () {
  this.timeout(200000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "llpm-fleet-cmd-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("without a Pulumi CLI and no network: says it installs the pinned version, then how to install it by hand", () => {
    const home = path.join(dir, "home");
    const r = fleet(["status"], { HOME: home });
    expect(r.status).to.equal(1);
    const root = path.join(home, ".pulumi", "versions", PULUMI_VERSION);
    expect(r.stdout).to.contain(`No Pulumi CLI found: installing Pulumi ${PULUMI_VERSION} into ${root}`);
    expect(r.stderr).to.contain(`installing Pulumi ${PULUMI_VERSION} into ${root} failed`).and.contain(`sh -s -- --version ${PULUMI_VERSION}`);
  });

  describe("with the real Pulumi CLI", () => {
    let env: Record<string, string>;
    const stack = `llpmt${process.pid}`;
    const stackFile = path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`);

    let PULUMI_BIN: string;
    before(function () {
      this.timeout(1800000);
      PULUMI_BIN = pulumiBin();
    });
    beforeEach(() => {
      fs.mkdirSync(path.join(dir, "state"));
      env = {
        PATH: `${path.dirname(PULUMI_BIN)}:/usr/bin:/bin`,
        HOME: path.join(dir, "home"),
        PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "test-passphrase",
      };
    });
    afterEach(() => fs.rmSync(stackFile, { force: true }));

    const pulumi = (...args: string[]) => spawnSync(PULUMI_BIN, [...args, "--stack", stack], { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...env } });

    it("status of a stack that does not exist says so and creates nothing", () => {
      const r = fleet(["status", "--stack", stack], env);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain(`stack '${stack}' does not exist (npm run up -- --stack ${stack} creates it)`);
      expect(fs.existsSync(stackFile)).to.equal(false);
    });

    it("preview creates the stack, imports env keys as secrets only where unset, runs the inline program; status reads it", () => {
      const r = fleet(["preview", "--stack", stack], { ...env, ANTHROPIC_API_KEY: "sk-ant-from-env-123", GROQ_API_KEY: "   " });
      expect(r.stdout).to.contain("Imported ANTHROPIC_API_KEY into the stack's secret config as anthropicApiKey.");
      // The program ran inline and declared the fleet; the provider plugins cannot be downloaded here.
      expect(r.stdout).to.match(/\+ +\d+ to create/);
      const config = JSON.parse(pulumi("config", "--json").stdout) as Record<string, { secret: boolean; value?: string }>;
      expect(config["llpm-fleet:anthropicApiKey"]).to.include({ secret: true });
      expect(config["llpm-fleet:anthropicApiKey"]!.value).to.equal(undefined);
      expect(config).to.not.have.property("llpm-fleet:groqApiKey");
      expect(fs.readFileSync(stackFile, "utf8")).to.contain("secure:").and.not.contain("sk-ant-from-env-123");
      const secret = JSON.parse(pulumi("config", "--json", "--show-secrets").stdout)["llpm-fleet:anthropicApiKey"].value;
      expect(secret).to.equal("sk-ant-from-env-123");

      const again = fleet(["preview", "--stack", stack], { ...env, ANTHROPIC_API_KEY: "sk-ant-stale-shell" });
      expect(again.stdout).to.not.contain("Imported ANTHROPIC_API_KEY");
      const status = fleet(["status", "--stack", stack], env);
      expect(status.status, status.stderr).to.equal(0);
      expect(status.stdout).to.contain("NAMES");
    });

    it("refuses options the Automation API does not take, naming the allowed ones", () => {
      const r = fleet(["up", "--stack", stack, "--parallel", "2"], env);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain('unknown option "--parallel"; allowed: --yes (-y), --diff, --refresh (-r), --target URN (-t)');
    });

    it("llpm finds the broker in a stack's outputs as npm run up leaves them: the pinned CLI in the Pulumi home, the local backend", async () => {
      // As after `npm install && npm run up` on a fresh machine: no pulumi on PATH, the pinned CLI
      // in ~/.pulumi/versions/<v>, no PULUMI_BACKEND_URL, so the state is in file://~ (the engine
      // takes `~` from the user's passwd entry, not $HOME: the stack is removed at the end).
      const home = path.join(dir, "home");
      const root = path.join(home, ".pulumi", "versions", PULUMI_VERSION);
      fs.mkdirSync(path.join(root, "bin"), { recursive: true });
      fs.symlinkSync(PULUMI_BIN, path.join(root, "bin", "pulumi"));
      const userEnv = { PATH: "/usr/bin:/bin", HOME: home, PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE, PULUMI_SKIP_UPDATE_CHECK: "true" };
      const llpm = (...args: string[]) =>
        run(process.execPath, [path.join(PROJECT_ROOT, "cli/bin/llpm.cjs"), ...args], { cwd: os.tmpdir(), env: userEnv }).then(
          ({ stderr }) => ({ code: 0, stderr }),
          (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
        );

      const nothingYet = await llpm("agents", "--stack", stack);
      expect(nothingYet.code).to.equal(EXIT.noBrokerConfig);
      expect(nothingYet.stderr).to.contain(`stack '${stack}'`);

      const token = "broker-token-from-the-stack-0123456789";
      const seen: string[] = [];
      const broker = http.createServer((req, res) => {
        seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
        const ok = req.headers.authorization === `Bearer ${token}`;
        res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(ok ? "[]" : "{}");
      });
      await new Promise<void>((resolve) => broker.listen(0, "127.0.0.1", resolve));
      let deployed: Stack | undefined;
      try {
        const url = `http://127.0.0.1:${(broker.address() as AddressInfo).port}`;
        deployed = await LocalWorkspace.createOrSelectStack(
          { stackName: stack, projectName: NAMESPACE, program: async () => ({ brokerUrl: url, brokerToken: pulumiSdk.secret(token) }) },
          { workDir: PROJECT_ROOT, pulumiCommand: await PulumiCommand.get({ root }), envVars: { ...userEnv, PULUMI_BACKEND_URL: "file://~" } },
        );
        expect((await deployed.up()).summary.result).to.equal("succeeded");

        const agents = await llpm("agents", "--stack", stack);
        expect(agents.stderr).to.contain("no agents in this stack");
        expect(agents.code).to.equal(0);
        expect(seen).to.deep.equal([`GET /agents Bearer ${token}`]);
      } finally {
        broker.close();
        await deployed?.workspace.removeStack(stack, { force: true });
        // What the file backend keeps of a removed stack.
        const state = path.join(os.userInfo().homedir, ".pulumi");
        for (const left of [`stacks/${NAMESPACE}/${stack}.json.bak`, `stacks/${NAMESPACE}/${stack}.json.bak.attrs`, `backups/${NAMESPACE}/${stack}`, `history/${NAMESPACE}/${stack}`, `locks/organization/${NAMESPACE}/${stack}`]) {
          fs.rmSync(path.join(state, left), { recursive: true, force: true });
        }
      }
    });
  });

  it("llpm without a broker in the environment nor any Pulumi CLI says where it looked and what to set", async () => {
    const home = path.join(dir, "home");
    const r = await run(process.execPath, [path.join(PROJECT_ROOT, "cli/bin/llpm.cjs"), "agents"], { env: { PATH: "/usr/bin:/bin", HOME: home } }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(r.code).to.equal(EXIT.noBrokerConfig);
    expect(r.stderr).to.contain(`no Pulumi CLI ${PULUMI_VERSION} on PATH or in ${path.join(home, ".pulumi", "versions", PULUMI_VERSION)}`);
    expect(r.stderr).to.contain("set LLPM_BROKER_URL and LLPM_BROKER_TOKEN");
  });
});
