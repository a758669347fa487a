/**
 * Timeline, usage and wait reasons through the real broker, real Docker and the real job
 * supervisor. The fake CLI prints what the prompt tells it to (#say), so a job replays the lines
 * of a recorded real Claude Code run (test/fixtures/cli-output/) as a live CLI would print them.
 */
import { expect } from "chai";
import { agentToken } from "../../broker/src/auth/agentToken";
import { startBroker, tempDbPath, TOKEN, type RunningBroker } from "./support/brokerHarness";
import { getJob, submit, waitForState } from "./support/jobs";
import { RECORDED_USAGE, replayPrompt } from "./support/recordedRun";
import { readSse } from "./support/sse";
import { waitFor } from "../support/waitFor";
import { TestFleet } from "./support/testFleet";

const auth = { Authorization: `Bearer ${TOKEN}` };
interface Entry {
  kind: string;
  [key: string]: unknown;
}

describe("broker: job timeline, usage and wait reasons", function () {
  this.timeout(90000);
  const fleet = new TestFleet();
  const db = tempDbPath();
  let b: RunningBroker;

  const ready = (id: string) => waitFor(`${id} ready`, async () => (await b.api.get(`/agents/${id}`)).body.state === "ready", 30000);
  const timeline = async (id: string) => (await b.api.get(`/jobs/${id}/timeline`).expect(200)).body as { jobId: string; state: string; entries: Entry[] };

  before(async function () {
    this.timeout(180000);
    await fleet.prepare();
    await Promise.all([
      fleet.startAgent("claude-code", 1),
      fleet.startAgent("aider", 1),
      fleet.startAgent("aider", 2),
      fleet.startAgent("openai-codex", 1, { authMode: "subscription" }),
    ]);
    b = await startBroker(fleet.stack, db.path);
    for (const id of ["claude-code-1", "aider-1", "aider-2", "openai-codex-1"]) await ready(id);
  });

  after(async () => {
    await b?.stop();
    await fleet.cleanup();
    db.remove();
  });

  it("parses a recorded Claude Code run into its timeline and usage, live over SSE, and keeps both across a restart", async () => {
    const job = await submit(b.api, "claude-code-1", replayPrompt(2));
    expect(job).to.have.property("usage", null);

    // Live: the file write arrives while the job still runs (the fake CLI sleeps after it).
    const live = await readSse(`${b.url}/jobs/${job.id}/events`, auth, {
      timeoutMs: 20000,
      stopWhen: (evs) => evs.some((e) => e.event === "timeline" && (e.data as Entry).kind === "file_write"),
    });
    const write = live.events.find((e) => e.event === "timeline")!;
    expect(write.data).to.deep.equal({ kind: "file_write", path: "notes/out.txt", callId: "toolu_467a92db2dbc18a3c93b2d80" });
    expect((await getJob(b.api, job.id)).state).to.equal("running");

    const done = await waitForState(b.api, job.id, "completed", 20000);
    const expected = [
      { kind: "file_write", path: "notes/out.txt", callId: "toolu_467a92db2dbc18a3c93b2d80" },
      {
        kind: "tool_result",
        callId: "toolu_467a92db2dbc18a3c93b2d80",
        output: "File created successfully at: notes/out.txt (file state is current in your context — no need to Read it back)",
        truncated: false,
        isError: false,
      },
      { kind: "text", text: "STUB-ANSWER: hello" },
      { kind: "result", text: "STUB-ANSWER: hello", isError: false },
    ];
    const tl = await timeline(job.id);
    expect(tl.jobId).to.equal(job.id);
    expect(tl.state).to.equal("completed");
    // The recorded run's entries, then the fake CLI's own closing result event.
    expect(tl.entries.slice(0, 4)).to.deep.equal(expected);
    expect(tl.entries[4]).to.deep.include({ kind: "result", isError: false });
    expect(tl.entries).to.have.length(5);
    // The recorded result event's figures; the fake's later result, without any, does not erase them.
    const usage = RECORDED_USAGE;
    expect((done as unknown as { usage: unknown }).usage).to.deep.equal(usage);

    // The SSE replay after Last-Event-ID gives the timeline events after it, in order, once.
    const all = (await readSse(`${b.url}/jobs/${job.id}/events`, auth)).events;
    const timelineEvents = all.filter((e) => e.event === "timeline");
    expect(timelineEvents.map((e) => e.data)).to.deep.equal(tl.entries);
    const rest = (await readSse(`${b.url}/jobs/${job.id}/events`, { ...auth, "Last-Event-ID": String(timelineEvents[1].id) })).events;
    expect(rest.filter((e) => e.event === "timeline").map((e) => e.data)).to.deep.equal(tl.entries.slice(2));

    const agent = (await b.api.get("/agents/claude-code-1").expect(200)).body;
    expect(agent.usage).to.deep.equal({ jobs: 1, ...usage });
    const metrics = (await b.api.get("/metrics").expect(200)).text;
    expect(metrics).to.contain('llpm_broker_agent_input_tokens_total{agent="claude-code-1",type="claude-code"} 5538');
    expect(metrics).to.contain('llpm_broker_agent_output_tokens_total{agent="claude-code-1",type="claude-code"} 46');
    expect(metrics).to.contain('llpm_broker_agent_cost_usd_total{agent="claude-code-1",type="claude-code"} 0.017304');
    expect(metrics).to.contain('llpm_broker_agent_jobs_total{agent="claude-code-1",type="claude-code"} 1');

    await b.stop();
    b = await startBroker(fleet.stack, db.path);
    expect((await timeline(job.id)).entries).to.deep.equal(tl.entries);
    expect((await getJob(b.api, job.id)) as unknown as { usage: unknown }).to.have.deep.property("usage", usage);
    expect((await b.api.get("/agents").expect(200)).body.find((a: { id: string }) => a.id === "claude-code-1").usage).to.deep.equal({ jobs: 1, ...usage });
    await ready("claude-code-1");
  });

  it("a job running across a broker restart gets every timeline entry once", async () => {
    const job = await submit(b.api, "claude-code-1", replayPrompt(3));
    await waitFor("the file write in the timeline", async () => (await timeline(job.id)).entries.length === 1, 15000);
    await b.stop();
    b = await startBroker(fleet.stack, db.path);
    await waitForState(b.api, job.id, "completed", 20000);
    const kinds = (await timeline(job.id)).entries.map((e) => e.kind);
    expect(kinds).to.deep.equal(["file_write", "tool_result", "text", "result", "result"]);
    expect((await getJob(b.api, job.id)) as unknown as { usage: unknown }).to.have.deep.property("usage", RECORDED_USAGE);
  });

  it("404s the timeline of an unknown job", async () => {
    const res = await b.api.get("/jobs/00000000-0000-4000-8000-000000000000/timeline").expect(404);
    expect(res.body.error.code).to.equal("job_not_found");
  });

  it("says why a queued job waits: not authenticated, busy, all busy", async () => {
    const codex = await submit(b.api, "openai-codex-1", "after login");
    expect(codex.state).to.equal("queued");
    expect(codex.reason).to.equal("waiting: agent openai-codex-1 is not authenticated (subscription mode: run signal-authenticated after logging in)");

    const long = await Promise.all([submit(b.api, "aider-1", "#sleep 3"), submit(b.api, "aider-2", "#sleep 3")]);
    await Promise.all(long.map((j) => waitForState(b.api, j.id, "running")));
    const pinned = await submit(b.api, "aider-1", "after the first");
    expect(pinned.reason).to.equal("waiting: agent aider-1 is busy");
    const byType = (await b.api.post("/jobs").send({ agentType: "aider", prompt: "any aider" }).expect(202)).body;
    expect(byType.reason).to.equal("waiting: all 2 aider agents are busy");
    const overview = (await b.api.get("/overview").expect(200)).body;
    expect(overview.queueDepthByType).to.deep.equal({ aider: 2, "openai-codex": 1 });

    await b.api
      .patch("/agents/openai-codex-1/auth")
      .set("Authorization", `Bearer ${agentToken(TOKEN, "openai-codex-1")}`)
      .send({ authenticated: true })
      .expect(200);
    const ran = await waitForState(b.api, codex.id, "completed");
    expect(ran.reason).to.equal(null);
    for (const j of [pinned, byType]) expect((await waitForState(b.api, j.id, "completed")).reason).to.equal(null);
  });

  it("the overview counts the jobs that ended this minute, agents by state and usage per agent", async () => {
    const before = (await b.api.get("/overview?minutes=5").expect(200)).body;
    expect(before.jobsPerMinute).to.have.length(5);
    const failed = await submit(b.api, "aider-1", "#exit 3");
    await waitForState(b.api, failed.id, "failed");
    const after = (await b.api.get("/overview?minutes=5").expect(200)).body;
    const sum = (o: { jobsPerMinute: { completed: number; failed: number }[] }, k: "completed" | "failed") =>
      o.jobsPerMinute.reduce((n, m) => n + m[k], 0);
    expect(sum(after, "failed")).to.equal(sum(before, "failed") + 1);
    expect(sum(after, "completed")).to.be.at.least(7);
    expect(Date.parse(after.jobsPerMinute.at(-1).start)).to.be.at.most(Date.now()).and.above(Date.now() - 60_000);
    expect(after.agentsByState.ready + after.agentsByState.busy).to.equal(4);
    expect(after.usageByAgent.find((u: { agentId: string }) => u.agentId === "claude-code-1")).to.deep.include({
      agentType: "claude-code",
      jobs: 2,
      inputTokens: 2 * RECORDED_USAGE.inputTokens,
    });
    await b.api.get("/overview?minutes=0").expect(400);
  });
});
