// llpm-run-job's supervisor and attach contract (docs/agent-interface.md, "Jobs") in the real base
// image, run as the program runs agents. The "CLI" is a bash script named by LLPM_AGENT_DESCRIPTOR,
// so the timing is the test's, not a model's; the real CLIs run through it in agent-images.test.ts.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { JobRecordReader } from "../../broker/src/runtime/jobRecord";
import { AGENT_UID, buildBase, imageTag } from "./support/image-builds";
import { docker, dockerOk, randomName, type CommandResult } from "./support/docker-cli";

const SCRIPTED_CLI = [
  "cat >/tmp/prompt-seen",
  "echo out-1; echo err-1 >&2; sleep 2",
  "echo out-2; echo err-2 >&2",
  'exit "$(head -c 1 /tmp/prompt-seen)"',
].join("\n");
const DESCRIPTOR = JSON.stringify({ cli: "bash", args: ["-c", SCRIPTED_CLI], prompt: "stdin" });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("llpm-run-job: jobs under a detached supervisor, re-attachable", function () {
  this.timeout(10 * 60_000);
  const name = randomName("supervisor");
  const exec = (args: string[], input?: string) => docker(["exec", "-i", name, ...args], { input });
  const decode = (stdout: Buffer, from = 0) => {
    const seen: { stream: string; text: string; offset: number }[] = [];
    const reader = new JobRecordReader(from, { onOutput: (stream, chunk, offset) => seen.push({ stream, text: chunk.toString(), offset }) });
    reader.stdout(stdout);
    return { seen, end: reader.end(null) };
  };
  /** `docker exec` of a framed llpm-run-job, its stdout kept as bytes. */
  const framedExec = (args: string[], input?: string) =>
    new Promise<{ child: ReturnType<typeof spawn>; done: Promise<Buffer> }>((resolve) => {
      const child = spawn("docker", ["exec", "-i", name, "llpm-run-job", ...args, "--framed"], { stdio: ["pipe", "pipe", "inherit"] });
      const chunks: Buffer[] = [];
      child.stdout!.on("data", (c: Buffer) => chunks.push(c));
      child.stdin!.end(input ?? "");
      resolve({ child, done: new Promise((r) => child.on("close", () => r(Buffer.concat(chunks)))) });
    });

  before(async () => {
    await buildBase();
    await dockerOk(["run", "-d", "--name", name, "--init", "--user", `${AGENT_UID}:${AGENT_UID}`, "--cap-drop", "ALL",
      "--security-opt", "no-new-privileges", "--network", "none", "--memory", "512m", "--pids-limit", "128",
      "-e", "LLPM_AGENT_DESCRIPTOR=/tmp/agent.json", imageTag("base")]);
    await dockerOk(["exec", "-i", name, "tee", "/tmp/agent.json"], { input: DESCRIPTOR });
    // Every job snapshots /workspace first; making it a repository now keeps the one-time
    // "initialised" note out of the records these tests compare.
    await dockerOk(["exec", name, "llpm-git-snapshot", "setup", "before"]);
  });
  after(async () => {
    await docker(["rm", "-f", name]);
  });

  it("streams a job's output and ends with its real exit code; the record holds it in order", async () => {
    const plain: CommandResult = await exec(["llpm-run-job", "--job-id", "plain"], "3 prompt");
    expect(plain.code).to.equal(3);
    expect(plain.stdout).to.equal("out-1\nout-2\n");
    expect(plain.stderr).to.equal("err-1\nerr-2\n");
    const framed = await framedExec(["--attach", "plain"]);
    const { seen, end } = decode(await framed.done);
    expect(seen.map((s) => `${s.stream}:${s.text}`)).to.deep.equal(["stdout:out-1\n", "stderr:err-1\n", "stdout:out-2\n", "stderr:err-2\n"]);
    expect(end).to.deep.equal({ exitCode: 3, reason: null });
    expect((await exec(["cat", "/tmp/llpm-jobs/plain/exit-code"])).stdout).to.equal("3\n");
  });

  it("survives the exec's client going away, and --attach --from resumes at that byte: nothing repeated, nothing lost", async () => {
    const first = await framedExec(["--job-id", "survivor"], "0 prompt");
    // Until the record holds out-1 and err-1: two frames of an 8-byte header and 6 bytes each.
    for (let i = 0; i < 300; i++) {
      const size = Number((await exec(["stat", "-c", "%s", "/tmp/llpm-jobs/survivor/output"])).stdout.trim());
      if (size >= 28) break;
      await sleep(100);
    }
    first.child.kill("SIGKILL"); // the client vanishes; Docker then signals the exec's process
    const before = decode(await first.done);
    expect(before.seen.map((s) => s.text)).to.deep.equal(["out-1\n", "err-1\n"]);
    expect(before.end.exitCode).to.equal(null);
    const supervisor = (await exec(["cat", "/tmp/llpm-jobs/survivor/supervisor.pid"])).stdout.trim();
    const session = await exec(["ps", "-o", "sid=", "-p", supervisor]);
    expect(session.code, "the supervisor runs on").to.equal(0);
    expect(session.stdout.trim(), "it leads its own session").to.equal(supervisor);

    const from = before.seen.at(-1)!.offset;
    const resumed = await framedExec(["--attach", "survivor", "--from", String(from)]);
    const after = decode(await resumed.done, from);
    expect(after.seen.map((s) => s.text)).to.deep.equal(["out-2\n", "err-2\n"]);
    expect(after.end).to.deep.equal({ exitCode: 0, reason: null });
  });

  it("refuses an offset inside a frame, an unknown job, and starting a job id twice, with exit 2", async () => {
    const inside = await exec(["llpm-run-job", "--attach", "plain", "--from", "3"]);
    expect(inside.code).to.equal(2);
    expect(inside.stderr).to.contain("not a frame boundary");
    const unknown = await exec(["llpm-run-job", "--attach", "nope"]);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain("no job nope");
    const twice = await exec(["llpm-run-job", "--job-id", "plain"], "0 again");
    expect(twice.code).to.equal(2);
    expect(twice.stderr).to.contain("already exists");
  });

  it("records 124 on timeout and 143 on llpm-cancel-job, leaving no process of the job", async () => {
    const timedOut = await exec(["llpm-run-job", "--job-id", "slow", "--timeout", "1"], "0 prompt");
    expect(timedOut.code).to.equal(124);
    expect(timedOut.stderr).to.contain("timed out after 1 s");

    const running = exec(["llpm-run-job", "--job-id", "cancelled"], "0 prompt");
    await sleep(800);
    const cancel = await exec(["llpm-cancel-job", "cancelled"]);
    expect(cancel.code, cancel.stderr).to.equal(0);
    expect((await running).code).to.equal(143);
    expect((await exec(["cat", "/tmp/llpm-jobs/cancelled/exit-code"])).stdout).to.equal("143\n");
    expect((await exec(["pgrep", "-f", "prompt-seen"])).code, "no process of the job left").to.equal(1);
    expect((await exec(["llpm-cancel-job", "cancelled"])).code, "cancelling a finished job").to.equal(0);
  });

  it("records 143 without running the CLI when the cancel arrives before the job's start", async () => {
    const cancel = await exec(["llpm-cancel-job", "early"]);
    expect(cancel.code, cancel.stderr).to.equal(0);
    const started = await exec(["llpm-run-job", "--job-id", "early"], "0 prompt");
    expect(started.code, started.stderr).to.equal(143);
    expect(started.stdout, "the CLI never ran").to.equal("");
    expect((await exec(["cat", "/tmp/llpm-jobs/early/exit-code"])).stdout).to.equal("143\n");
    const twice = await exec(["llpm-run-job", "--job-id", "early"], "0 again");
    expect(twice.stderr, "a job that ran, even cancelled, cannot start again").to.contain("already exists");
  });

  it("never loses a cancel sent while the job starts: each such job records 143, none runs to its end", async () => {
    // Start and cancel race as the broker's two execs do; a lost cancel would let the CLI exit 0 after 2 s.
    for (let round = 0; round < 3; round++) {
      const ids = [0, 1, 2].map((i) => `race-${round}-${i}`);
      const codes = await Promise.all(
        ids.map(async (id) => {
          const running = exec(["llpm-run-job", "--job-id", id], "0 prompt");
          const cancel = await exec(["llpm-cancel-job", id]);
          expect(cancel.code, cancel.stderr).to.equal(0);
          return (await running).code;
        }),
      );
      expect(codes, ids.join(", ")).to.deep.equal([143, 143, 143]);
    }
  });
});
