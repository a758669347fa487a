/**
 * The broker's Kubernetes runtime against the real single-node cluster: agent pods of the broker's
 * fake agent image (the real job commands of every agent image, a scripted CLI instead of a model)
 * discovered by their labels, watched, and driven through the API's exec: jobs started, streamed,
 * cancelled, re-attached by a new runtime instance (a broker restart), and a pod killed mid-job.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createLogger } from "../../broker/src/log";
import { KubernetesRuntime } from "../../broker/src/runtime/kubernetes/kubernetesRuntime";
import type { AgentWorkload, JobEnd, JobOutput, JobStream, WorkloadChange } from "../../broker/src/runtime/runtime";
import { KubernetesAgentFleet } from "../support/kubernetes/agentFleet";
import { kubectlPath } from "../support/kubernetes/cluster";
import { waitFor } from "../support/waitFor";

const run = promisify(execFile);

/** What a job's stream delivered, with the offsets it reported. */
class Collected implements JobOutput {
  stdout = "";
  stderr = "";
  offsets: number[] = [];
  onOutput(stream: "stdout" | "stderr", chunk: Buffer, offset: number): void {
    this[stream] += chunk.toString("utf8");
    this.offsets.push(offset);
  }
  get lastOffset(): number {
    return this.offsets[this.offsets.length - 1] ?? 0;
  }
}

const prompt = (...lines: string[]) => lines.join("\n") + "\n";

describe("kubernetes: the broker's runtime against real pods", function () {
  this.timeout(300000);
  const fleet = new KubernetesAgentFleet();
  const log = createLogger(process.env.BROKER_TEST_LOG ?? "silent", fleet.stack);
  let runtime: KubernetesRuntime;
  let jobCounter = 0;
  const jobId = () => `krt-${Date.now()}-${++jobCounter}`;

  before(async function () {
    this.timeout(fleet.setupTimeoutMs);
    await fleet.prepare();
    runtime = new KubernetesRuntime(fleet.kc, fleet.namespace, fleet.stack, log);
    await Promise.all([
      fleet.startAgent("claude-code", 1),
      fleet.startAgent("aider", 1),
      // Same namespace, another stack's labels: never one of this broker's agents.
      fleet.startAgent("aider", 2, { stack: `${fleet.stack}-other` }),
    ]);
    await Promise.all(["claude-code-1", "aider-1", "aider-2"].map((p) => fleet.podReady(p)));
  });

  after(() => fleet.cleanup());

  it("discovers the stack's agent pods by their labels, with state, workspace and attach command", async function () {
    const found = await waitFor("both agents healthy", async () => {
      const all = await runtime.discover();
      return all.length === 2 && all.every((w) => w.health === "healthy") && all;
    });
    const byId = Object.fromEntries(found.map((w) => [w.agentId, w]));
    expect(Object.keys(byId).sort()).to.deep.equal(["aider-1", "claude-code-1"]);
    expect(byId["claude-code-1"]).to.deep.include({
      ref: "claude-code-1",
      agentType: "claude-code",
      agentIndex: 1,
      authMode: "api_key",
      running: true,
      stoppedReason: null,
      workspacePath: null,
      attachCommand: `kubectl -n ${fleet.namespace} exec -it claude-code-1 -c agent -- bash`,
    });
    expect(await runtime.inspect("no-such-pod")).to.equal(null);
  });

  it("offers an attach command that reaches the agent's container", async function () {
    const w = (await runtime.inspect("aider-1"))!;
    // The same command without a terminal (-i, not -it), running a command instead of an interactive bash.
    const args = w.attachCommand.split(" ").slice(1).map((a) => (a === "-it" ? "-i" : a));
    const { stdout } = await run(await kubectlPath(), [...args, "-c", 'echo "$LLPM_AGENT_ID $(id -u) $(pwd)"'], {
      env: { ...process.env, KUBECONFIG: fleet.kubeconfigPath },
    });
    expect(stdout.trim()).to.equal("aider-1 1000 /workspace");
  });

  it("watches pods come and go", async function () {
    const changes: WorkloadChange[] = [];
    const stop = runtime.watch((c) => changes.push(c));
    try {
      // The watch lists the current pods first.
      await waitFor("the current agents listed", () => changes.some((c) => c.kind === "upsert" && c.workload.agentId === "claude-code-1"));
      await fleet.startAgent("opencode", 1);
      const ready = await waitFor(
        "opencode-1 seen healthy",
        () => changes.find((c): c is { kind: "upsert"; workload: AgentWorkload } => c.kind === "upsert" && c.workload.agentId === "opencode-1" && c.workload.health === "healthy"),
        120000,
      );
      expect(ready.workload.running).to.equal(true);
      expect(changes.some((c) => c.kind === "upsert" && c.workload.agentId === "aider-2")).to.equal(false);
      await fleet.deletePod("opencode-1");
      await waitFor("opencode-1 removed", () => changes.some((c) => c.kind === "remove" && c.ref === "opencode-1"), 60000);
    } finally {
      stop();
    }
  });

  it("keeps watching across the watch's ends, losing no change between two connections", async function () {
    // A watch the API server ends every second, as it ends the production one every few minutes.
    const shortWatch = new KubernetesRuntime(fleet.kc, fleet.namespace, fleet.stack, log, 1);
    const changes: WorkloadChange[] = [];
    const stop = shortWatch.watch((c) => changes.push(c));
    try {
      await waitFor("the current agents listed", () => changes.some((c) => c.kind === "upsert" && c.workload.agentId === "claude-code-1"));
      // Several connections have come and gone by now.
      await new Promise((r) => setTimeout(r, 3000));
      await fleet.startAgent("opencode", 2);
      await waitFor("opencode-2 seen after reconnections", () => changes.some((c) => c.kind === "upsert" && c.workload.agentId === "opencode-2"), 60000);
      await fleet.deletePod("opencode-2");
      await waitFor("opencode-2 removed", () => changes.some((c) => c.kind === "remove" && c.ref === "opencode-2"), 60000);
    } finally {
      stop();
    }
  });

  it("starts a job with its prompt on stdin and streams its record to the exit code", async function () {
    const out = new Collected();
    const stream = await runtime.startJob("claude-code-1", { jobId: jobId(), timeoutSeconds: 60, prompt: prompt("#say hello from the pod", "#stderr a warning", "#exit 3"), branch: null }, out);
    const end = await stream.done;
    expect(end).to.deep.equal({ exitCode: 3, reason: null });
    expect(out.stdout).to.include("hello from the pod\n");
    expect(out.stdout).to.include('"result":"echo: #say hello from the pod');
    expect(out.stderr).to.include("a warning\n");
    expect(out.offsets).to.deep.equal([...out.offsets].sort((a, b) => a - b));
  });

  it("cancels a running job: its stream ends with 143", async function () {
    const out = new Collected();
    const id = jobId();
    const stream = await runtime.startJob("aider-1", { jobId: id, timeoutSeconds: 120, prompt: prompt("#say started", "#sleep 60"), branch: null }, out);
    await waitFor("the job's first output", () => out.stdout.includes("started"), 30000);
    const t0 = Date.now();
    await runtime.cancelJob("aider-1", id);
    expect(await stream.done).to.deep.equal({ exitCode: 143, reason: null });
    expect(Date.now() - t0).to.be.below(20000);
  });

  it("re-attaches from an offset after a restart: the rest once, nothing repeated, then the exit code", async function () {
    const id = jobId();
    const first = new Collected();
    const stream: JobStream = await runtime.startJob(
      "claude-code-1",
      { jobId: id, timeoutSeconds: 60, prompt: prompt("#say part one", "#sleep 3", "#say part two"), branch: null },
      first,
    );
    await waitFor("part one", () => first.stdout.includes("part one"), 30000);
    stream.detach();
    expect(await stream.done).to.deep.include({ exitCode: null });
    const seenBefore = first.stdout;
    const offset = first.lastOffset;
    // A new runtime instance, as a restarted broker makes: it knows only the job id and the offset.
    const restarted = new KubernetesRuntime(fleet.kc, fleet.namespace, fleet.stack, log);
    const rest = new Collected();
    const end: JobEnd = await (await restarted.attachJob("claude-code-1", id, offset, rest)).done;
    expect(end).to.deep.equal({ exitCode: 0, reason: null });
    expect(rest.stdout).to.match(/^part two$/m);
    // The CLI echoes the whole prompt at the end; the line it printed itself must not come again.
    expect(rest.stdout).not.to.match(/^part one$/m);
    expect(seenBefore + rest.stdout).to.match(/^part one\n(.|\n)*part two\n/);
    expect(rest.offsets[0]).to.be.above(offset);
  });

  it("runs a short command in /workspace, with exit code, capped stdout and stderr", async function () {
    const r = await runtime.runCommand("aider-1", ["sh", "-c", "pwd; id -u; echo oops >&2; exit 4"], 1024);
    expect(r).to.deep.include({ exitCode: 4, stdoutCapped: false, stderr: "oops\n" });
    expect(r.stdout.toString()).to.equal("/workspace\n1000\n");
    const capped = await runtime.runCommand("aider-1", ["seq", "1", "1000"], 10);
    expect(capped.exitCode).to.equal(0);
    expect(capped.stdoutCapped).to.equal(true);
    expect(capped.stdout.toString()).to.equal("1\n2\n3\n4\n5\n");
    await runtime.runCommand("no-such-pod", ["true"], 10).then(
      () => expect.fail("a command in a missing pod must fail"),
      (err: Error) => expect(err.message).to.match(/no agent pod no-such-pod in namespace/),
    );
  });

  it("ends the stream with a reason when the pod is killed mid-job, and the pod then reads as gone or stopped", async function () {
    const out = new Collected();
    const stream = await runtime.startJob("aider-1", { jobId: jobId(), timeoutSeconds: 120, prompt: prompt("#say working", "#sleep 60"), branch: null }, out);
    await waitFor("the job's first output", () => out.stdout.includes("working"), 30000);
    await fleet.deletePod("aider-1");
    const end = await stream.done;
    expect(end.exitCode).to.equal(null);
    expect(end.reason).to.match(/^the job's end was not seen/);
    const after = await waitFor("aider-1 gone or stopped", async () => {
      const w = await runtime.inspect("aider-1");
      return w === null ? "gone" : !w.running && w.stoppedReason ? w.stoppedReason : false;
    }, 60000);
    expect(after).to.match(/^gone$|^pod is being deleted/);
  });
});
