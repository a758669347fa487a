import { expect } from "chai";
import { Writable } from "node:stream";
import { startBroker, tempDbPath, TOKEN, type RunningBroker } from "./support/brokerHarness";
import { getJob, submit, waitForState, type JobBody } from "./support/jobs";
import { readSse, type SseEvent } from "./support/sse";
import { waitFor } from "../support/waitFor";
import { TestFleet } from "./support/testFleet";

// The agents run the real llpm-run-job and llpm-cancel-job of images/base (the fake image only
// swaps the CLI), so these tests hold the job supervisor and the broker to the attach contract.
describe("broker restart: running jobs outlive the broker, nothing lost", function () {
  this.timeout(120000);
  const fleet = new TestFleet();
  const db = tempDbPath();
  let broker: RunningBroker | undefined;

  const ready = (b: RunningBroker, id: string) =>
    waitFor(`${id} ready`, async () => (await b.api.get(`/agents/${id}`)).body.state === "ready", 30000);
  const agentExec = async (agentId: string, cmd: string[]): Promise<string> => {
    const exec = await fleet.docker.getContainer(fleet.containerName(agentId)).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    let out = "";
    const sink = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString("utf8")), cb()) });
    fleet.docker.modem.demuxStream(stream, sink, sink);
    await new Promise((resolve) => stream.on("end", resolve));
    return out;
  };
  /** Stops the broker with jobs running (as a crash or an upgrade would) and starts a new one on the same database. */
  const restart = async (opts: Parameters<typeof startBroker>[3] = {}) => {
    await broker!.stop();
    broker = await startBroker(fleet.stack, db.path, {}, opts);
    return broker;
  };
  const runningWith = (id: string, text: string) =>
    waitFor(`job ${id} running with "${text}" in its log`, async () => {
      const job = await getJob(broker!.api, id);
      return job.state === "running" && job.log.includes(text);
    });
  const countLines = (text: string, line: string) => text.split("\n").filter((l) => l === line).length;

  before(async function () {
    this.timeout(300000);
    await fleet.prepare();
    await Promise.all([1, 2, 3].map((n) => fleet.startAgent("aider", n)));
    broker = await startBroker(fleet.stack, db.path);
    await Promise.all([1, 2, 3].map((n) => ready(broker!, `aider-${n}`)));
  });

  after(async () => {
    await broker?.stop();
    await fleet.cleanup();
    db.remove();
  });

  it("re-attaches to a job that ran across the restart: whole output, once, and its real exit code; the queued job runs after", async () => {
    const survivor = await submit(broker!.api, "aider-1", "#say before restart\n#stderr warned before\n#sleep 3\n#say after restart\n#stderr warned after");
    const queued = await submit(broker!.api, "aider-1", "queued across the restart");
    await runningWith(survivor.id, "before restart");
    await restart();

    const done = await waitForState(broker!.api, survivor.id, "final", 20000);
    expect(done.state, done.reason ?? "").to.equal("completed");
    expect(done.exitCode).to.equal(0);
    expect(done.reason).to.equal(null);
    for (const line of ["before restart", "after restart", "warned before", "warned after"]) {
      expect(countLines(done.log, line), `"${line}" exactly once in the log`).to.equal(1);
    }
    expect(done.log).to.contain("re-attached at byte");
    expect(done.result).to.contain("echo: #say before restart");

    const ran = await waitForState(broker!.api, queued.id, "completed", 20000);
    expect(ran.result).to.equal("echo: queued across the restart");
    expect(Date.parse(ran.startedAt!)).to.be.at.least(Date.parse(done.finishedAt!) - 1000);
  });

  it("cancels an adopted job: cancelled within 5 s, its process gone from the agent", async () => {
    const job = await submit(broker!.api, "aider-2", "#say cancel me later\n#sleep 60");
    await runningWith(job.id, "cancel me later");
    await restart();
    await runningWith(job.id, "re-attached");
    const asked = Date.now();
    await broker!.api.post(`/jobs/${job.id}/cancel`).expect(202);
    const cancelled = await waitForState(broker!.api, job.id, "final", 10000);
    expect(cancelled.state).to.equal("cancelled");
    expect(Date.now() - asked).to.be.below(5000);
    expect((await agentExec("aider-2", ["cat", `/tmp/llpm-jobs/${job.id}/exit-code`])).trim()).to.equal("143");
    const processes = await agentExec("aider-2", ["bash", "-c", "for p in /proc/[0-9]*; do tr '\\0' ' ' <$p/cmdline; echo; done"]);
    expect(processes, "the process list").to.contain("sleep infinity");
    expect(processes).to.not.contain("sleep 60");
  });

  it("fails an adopted job whose agent container is killed, with the reason", async () => {
    const job = await submit(broker!.api, "aider-3", "#say killed while adopted\n#sleep 60");
    await runningWith(job.id, "killed while adopted");
    await restart();
    await runningWith(job.id, "re-attached");
    await fleet.docker.getContainer(fleet.containerName("aider-3")).kill();
    const failed = await waitForState(broker!.api, job.id, "final", 15000);
    expect(failed.state).to.equal("failed");
    expect(failed.reason).to.match(/^broker restarted while running; agent container stopped mid-job: /);
    expect(failed.log).to.contain("killed while adopted");
    await fleet.docker.getContainer(fleet.containerName("aider-3")).start();
    await ready(broker!, "aider-3");
  });

  it("fails a job whose supervisor died with its container while the broker was down", async () => {
    const job = await submit(broker!.api, "aider-3", "#say doomed\n#sleep 60");
    await runningWith(job.id, "doomed");
    await broker!.stop();
    await fleet.docker.getContainer(fleet.containerName("aider-3")).restart({ t: 0 });
    broker = await startBroker(fleet.stack, db.path);
    const gone = await waitForState(broker.api, job.id, "final", 20000);
    expect(gone.state).to.equal("failed");
    expect(gone.reason).to.match(/^broker restarted while running; the job's end was not seen .*supervisor is gone/);
    expect(gone.log).to.contain("doomed");
    await ready(broker, "aider-3");
  });

  it("a job reconciliation finishes shows up in /events, the metrics and the log", async () => {
    const job = await submit(broker!.api, "aider-3", "#say stopped meanwhile\n#sleep 60");
    await runningWith(job.id, "stopped meanwhile");
    await broker!.stop();
    await fleet.docker.getContainer(fleet.containerName("aider-3")).stop({ t: 0 });
    const logLines: string[] = [];
    let events: Promise<{ events: SseEvent[] }> = Promise.resolve({ events: [] });
    broker = await startBroker(fleet.stack, db.path, {}, {
      logLines,
      // Subscribed before the broker reconciles, as a dashboard reconnecting at once would be.
      beforeStart: async (url) => {
        let connected: () => void;
        const open = new Promise<void>((resolve) => (connected = resolve));
        const finished = (evs: SseEvent[]) => {
          connected();
          return evs.some((e) => e.event === "job" && (e.data as JobBody).id === job.id && (e.data as JobBody).state === "failed");
        };
        events = readSse(`${url}/events`, { authorization: `Bearer ${TOKEN}` }, { stopWhen: finished, timeoutMs: 15000 });
        await open;
      },
    });
    const failed = await waitForState(broker.api, job.id, "final");
    expect(failed.reason).to.match(/^broker restarted while running; agent container stopped mid-job/);

    const change = (await events).events.find((e) => e.event === "job" && (e.data as JobBody).id === job.id);
    expect(change?.data).to.include({ state: "failed", reason: failed.reason });
    const metrics = (await broker.api.get("/metrics").expect(200)).text;
    expect(metrics).to.match(/^llpm_broker_jobs_finished_total\{state="failed"\} 1$/m);
    expect(metrics).to.match(/^llpm_broker_job_duration_seconds_count\{state="failed"\} 1$/m);
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.jobId === job.id && l.msg === "job finished");
    expect(line).to.include({ state: "failed", reason: failed.reason });
    await fleet.docker.getContainer(fleet.containerName("aider-3")).start();
  });
});
