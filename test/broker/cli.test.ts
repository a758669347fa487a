/**
 * The `llpm` terminal client, run as users run it (`cli/bin/llpm.cjs`, a child process), against
 * the real broker and the fake agent image on the real Docker engine: run/follow and the exit code
 * of each final state, cancel, jobs, logs, agents, and its errors.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { EXIT } from "../../cli/exitCodes";
import { PROJECT_ROOT } from "../support/runProgram";
import { waitFor } from "../support/waitFor";
import { startBroker, tempDbPath, TOKEN, type RunningBroker } from "./support/brokerHarness";
import { getJob, waitForState } from "./support/jobs";
import { BASH_CALL, replayPrompt } from "./support/recordedRun";
import { TestFleet } from "./support/testFleet";

const BIN = path.join(PROJECT_ROOT, "cli", "bin", "llpm.cjs");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function llpm(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    // No PATH entry for pulumi and no inherited LLPM_* variables: each test says where the broker is.
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LLPM_"))) as Record<string, string>;
    execFile(process.execPath, [BIN, ...args], { env: { ...base, NO_COLOR: "", ...env }, timeout: 60000 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? -1) : 0;
      resolve({ code: typeof code === "number" ? code : -1, stdout, stderr });
    });
  });
}

/** A port nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe("llpm terminal client against a real broker", function () {
  this.timeout(60000);
  const fleet = new TestFleet();
  const db = tempDbPath();
  let b: RunningBroker;
  let env: Record<string, string>;
  const run = (...args: string[]) => llpm(args, env);

  before(async function () {
    this.timeout(180000);
    await fleet.prepare();
    await Promise.all([fleet.startAgent("aider", 1), fleet.startAgent("aider", 2), fleet.startAgent("claude-code", 1)]);
    b = await startBroker(fleet.stack, db.path);
    env = { LLPM_BROKER_URL: b.url, LLPM_BROKER_TOKEN: TOKEN };
    for (const id of ["aider-1", "aider-2", "claude-code-1"]) {
      await waitFor(`${id} ready`, async () => (await b.api.get(`/agents/${id}`)).body.state === "ready");
    }
  });

  after(async () => {
    await b?.stop();
    await fleet.cleanup();
    db.remove();
  });

  it("agents lists every agent with its type, state and auth", async () => {
    const r = await run("agents");
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).to.match(/^ID\s+TYPE\s+STATE\s+AUTH\s+JOBS/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).to.deep.equal([
      ["aider-1", "aider", "ready"],
      ["aider-2", "aider", "ready"],
      ["claude-code-1", "claude-code", "ready"],
    ]);
    expect(lines[1]).to.contain("api key").and.contain("0 running, 0 queued");
  });

  it("run <type> --follow streams the job and exits 0 when it completes", async () => {
    const r = await run("run", "aider", "#say working on it\nhello from the cli", "--follow");
    expect(r.code, r.stderr).to.equal(EXIT.completed);
    expect(r.stdout).to.contain("working on it").and.contain("hello from the cli");
    const id = r.stderr.match(/job (\S+) queued for (aider-[12]|the first free aider)\n/)![1]!;
    expect(r.stderr).to.match(new RegExp(`job ${id} completed on aider-[12] in \\d+\\.\\d s`));
    expect((await getJob(b.api, id)).state).to.equal("completed");
  });

  it("run <agent-id> --follow exits 1 for a failed job and shows why", async () => {
    const r = await run("run", "claude-code-1", "#stderr it broke\n#exit 3", "--follow");
    expect(r.code, r.stderr).to.equal(EXIT.failed);
    expect(r.stderr).to.match(/job \S+ failed on claude-code-1 .*: /);
    const id = r.stderr.match(/job (\S+) failed/)![1]!;
    const job = await getJob(b.api, id);
    expect(job).to.include({ state: "failed", agentId: "claude-code-1", exitCode: 3 });
    expect(r.stderr).to.contain(job.reason!);
  });

  it("run --timeout ends a job that runs too long, exit 4", async () => {
    const r = await run("run", "aider-2", "#sleep 20", "--follow", "--timeout", "1");
    expect(r.code, r.stderr).to.equal(EXIT.timed_out);
    expect(r.stderr).to.match(/timed_out on aider-2/);
  });

  it("run without --follow prints the job id; logs prints and follows its log", async () => {
    const r = await run("run", "aider-1", "#say line one\n#say line two");
    expect(r.code, r.stderr).to.equal(0);
    const id = r.stdout.trim();
    expect(id).to.match(UUID);
    const followed = await run("logs", id, "--follow");
    expect(followed.code, followed.stderr).to.equal(0);
    expect(followed.stdout).to.contain("line one\nline two\n");
    const log = await run("logs", id);
    expect(log.code).to.equal(0);
    expect(log.stdout).to.equal((await getJob(b.api, id)).log);
  });

  it("cancel stops a running job; its follower exits 3", async () => {
    const started = await run("run", "aider-1", "#say started\n#sleep 30");
    const id = started.stdout.trim();
    await waitForState(b.api, id, "running");
    const follower = run("logs", id, "--follow");
    const c = await run("cancel", id);
    expect(c.code, c.stderr).to.equal(0);
    expect(c.stdout).to.match(new RegExp(`^job ${id}: (cancelled|running, cancel requested)\\n$`));
    const f = await follower;
    expect(f.code, f.stderr).to.equal(EXIT.cancelled);
    expect(f.stderr).to.contain(`job ${id} cancelled`);
    const again = await run("cancel", id);
    expect(again.code).to.equal(EXIT.brokerError);
    expect(again.stderr).to.contain(`job '${id}' already finished as cancelled`);
  });

  it("jobs lists the jobs newest first, all agents or one", async () => {
    const a = (await run("run", "aider-2", "listed on aider-2")).stdout.trim();
    const c = (await run("run", "claude-code-1", "listed on claude-code-1")).stdout.trim();
    await waitForState(b.api, a, "final");
    await waitForState(b.api, c, "final");
    const all = await run("jobs");
    expect(all.code, all.stderr).to.equal(0);
    const ids = all.stdout.trimEnd().split("\n").slice(1).map((l) => l.split(/\s+/)[0]);
    expect(ids.indexOf(c)).to.be.within(0, ids.indexOf(a) - 1);
    expect(all.stdout).to.contain("listed on aider-2");
    const one = await run("jobs", "--agent", "aider-2");
    const rows = one.stdout.trimEnd().split("\n").slice(1);
    expect(rows.length).to.be.greaterThan(0);
    for (const row of rows) expect(row.split(/\s+/)[2]).to.equal("aider-2");
    expect(rows.map((l) => l.split(/\s+/)[0])).to.include(a).and.not.include(c);
  });

  describe("the timeline and diff routes", () => {
    it("run --follow renders the timeline of a recorded Claude Code run: the file written, the command, the answer; no raw JSON", async () => {
      const r = await run("run", "claude-code-1", replayPrompt(0, BASH_CALL), "--follow");
      expect(r.code, r.stderr).to.equal(EXIT.completed);
      const lines = r.stdout.split("\n");
      expect(lines).to.include("✎ notes/out.txt");
      expect(lines).to.include("$ cat notes/out.txt");
      expect(lines.indexOf("✎ notes/out.txt")).to.be.below(lines.indexOf("$ cat notes/out.txt"));
      expect(r.stdout).to.contain("STUB-ANSWER: hello");
      // No raw JSON line (the fake CLI's own answer echoes the prompt, JSON and all, after "✓").
      expect(lines.filter((l) => l.startsWith("{"))).to.deep.equal([]);
      expect(r.stderr).to.match(/job \S+ completed on claude-code-1 in \d+\.\d s/);
    });

    it("run --branch works on its own branch: diff shows its file, the user's branch and working tree untouched", async () => {
      const inWorkspace = (script: string) => fleet.exec("aider-1", ["bash", "-c", `cd /workspace && ${script}`]);
      // A commit for the branch to start from (the workspace may have none yet).
      await inWorkspace("git init -q && git -c user.name=u -c user.email=u@example.com commit -q --allow-empty -m base");
      const userState = () => inWorkspace("git rev-parse HEAD && git symbolic-ref HEAD && git status --porcelain=v1 && ls");
      const before = await userState();
      const r = await run("run", "aider-1", "#write on-branch.txt from the branch job", "--follow", "--branch", "llpm/cli-1");
      expect(r.code, r.stderr).to.equal(EXIT.completed);
      const id = r.stderr.match(/job (\S+) completed/)![1]!;
      expect(await getJob(b.api, id)).to.include({ branch: "llpm/cli-1" });
      const d = await run("diff", id);
      expect(d.code, d.stderr).to.equal(0);
      expect(d.stdout).to.contain("A on-branch.txt  +1 -0").and.contain("\n+from the branch job\n");
      expect(await userState()).to.equal(before);
      expect(await inWorkspace("git show llpm/cli-1:on-branch.txt")).to.equal("from the branch job\n");
    });

    it("diff lists a job's written file and its patch, uncoloured off a terminal", async () => {
      const r = await run("run", "aider-1", "#write cli-diff.txt hello diff", "--follow");
      expect(r.code, r.stderr).to.equal(EXIT.completed);
      const id = r.stderr.match(/job (\S+) completed/)![1]!;
      const d = await run("diff", id);
      expect(d.code, d.stderr + (await getJob(b.api, id)).log).to.equal(0);
      expect(d.stdout).to.match(/^\d+ files? changed/);
      expect(d.stdout).to.contain("A cli-diff.txt  +1 -0").and.contain("\n+hello diff\n");
      expect(d.stdout).to.not.contain("\u001b[");
    });
  });

  describe("errors", () => {
    it("no broker: names the URL and how to point llpm elsewhere", async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const r = await llpm(["agents"], { LLPM_BROKER_URL: url, LLPM_BROKER_TOKEN: TOKEN });
      expect(r.code).to.equal(EXIT.brokerUnreachable);
      expect(r.stderr).to.contain(`cannot reach the broker at ${url} (connection refused`).and.contain("LLPM_BROKER_URL=");
    });

    it("no broker configured and no pulumi: says what to set", async () => {
      const r = await llpm(["agents"], { PATH: "/nonexistent", HOME: "/nonexistent" });
      expect(r.code).to.equal(EXIT.noBrokerConfig);
      expect(r.stderr).to.contain("no Pulumi CLI").and.contain("set LLPM_BROKER_URL and LLPM_BROKER_TOKEN");
    });

    it("bad token: says the broker refused it", async () => {
      const r = await llpm(["agents"], { LLPM_BROKER_URL: b.url, LLPM_BROKER_TOKEN: "wrong-token" });
      expect(r.code).to.equal(EXIT.unauthorized);
      expect(r.stderr).to.contain(`the broker at ${b.url} refused the token (401`).and.contain("LLPM_BROKER_TOKEN");
    });

    it("unknown agent, type or job: the broker's message", async () => {
      const agent = await run("run", "aider-9", "x");
      expect(agent.code).to.equal(EXIT.brokerError);
      expect(agent.stderr).to.contain(`no agent 'aider-9' in stack '${fleet.stack}'`);
      const type = await run("run", "no-such-type", "x");
      expect(type.code).to.equal(EXIT.brokerError);
      expect(type.stderr).to.contain("no agent of type 'no-such-type'; types here: aider, claude-code");
      const job = await run("logs", randomUUID());
      expect(job.code).to.equal(EXIT.brokerError);
      expect(job.stderr).to.match(/no job '[0-9a-f-]+'/);
    });

    it("bad arguments: the parser's message and usage, exit 2", async () => {
      const missing = await run("run", "aider");
      expect(missing.code).to.equal(EXIT.usage);
      expect(missing.stderr).to.contain("missing required argument 'prompt'");
      const timeout = await run("run", "aider", "x", "--timeout", "soon");
      expect(timeout.code).to.equal(EXIT.usage);
      expect(timeout.stderr).to.contain("--timeout must be a whole number from 1 to 86400, got 'soon'");
      const unknown = await run("frobnicate");
      expect(unknown.code).to.equal(EXIT.usage);
      expect(unknown.stderr).to.contain("unknown command 'frobnicate'");
    });
  });
});
