import { expect } from "chai";
import { existsSync } from "node:fs";
import supertest from "supertest";
import { agentToken } from "../../../contract/agentToken";
import { REALM } from "../../../broker/src/auth/tokenGate";
import { BrokerStreamEvents, JobStreamEvents } from "../../../broker/src/http/schemas";
import type { AgentFleet } from "./agentFleet";
import { startBroker, tempDbPath, TOKEN, type RunningBroker } from "./brokerHarness";
import { getJob, submit, waitForState } from "./jobs";
import { readSse } from "./sse";
import { waitFor } from "../../support/waitFor";

const LOG_CAP = 64 * 1024;

/**
 * The broker's HTTP suite against the real agents of one runtime: test/broker/api.test.ts runs it
 * on Docker, test/kubernetes/brokerApi.test.ts on Kubernetes.
 */
export function brokerApiSuite(fleet: AgentFleet): void {
  describe(`broker HTTP API against real agents (${fleet.runtime})`, function () {
    apiTests.call(this, fleet);
  });
}

function apiTests(this: Mocha.Suite, fleet: AgentFleet): void {
  this.timeout(60000);
  const db = tempDbPath();
  let b: RunningBroker;
  let open: supertest.Agent;

  /** The files of a job's record in the agent (docs/agent-interface.md, "Jobs"). */
  const jobRecord = (agentId: string, jobId: string) => fleet.exec(agentId, ["ls", `/tmp/llpm-jobs/${jobId}`]);
  const agentState = async (id: string) => (await b.api.get(`/agents/${id}`)).body.state as string;
  const waitAgent = (id: string, state: string) => waitFor(`${id} to be ${state}`, async () => (await agentState(id)) === state);

  before(async function () {
    this.timeout(fleet.setupTimeoutMs);
    await fleet.prepare();
    await Promise.all([
      fleet.startAgent("claude-code", 1),
      fleet.startAgent("claude-code", 2),
      fleet.startAgent("aider", 1),
      fleet.startAgent("openai-codex", 1, { authMode: "subscription" }),
    ]);
    b = await startBroker(fleet.stack, db.path, { BROKER_LOG_CAP_BYTES: String(LOG_CAP), ...fleet.brokerEnv() });
    open = supertest.agent(b.url);
    for (const id of ["claude-code-1", "claude-code-2", "aider-1", "openai-codex-1"]) await waitAgent(id, "ready");
  });

  after(async () => {
    await b?.stop();
    await fleet.cleanup();
    db.remove();
  });

  describe("open routes and the OpenAPI document", () => {
    it("serves /health, /openapi.json and /docs without a token", async () => {
      const health = await open.get("/health").expect(200);
      expect(health.body).to.deep.equal({ status: "ok", stack: fleet.stack, agents: 4 });
      const doc = (await open.get("/openapi.json").expect(200)).body;
      expect(doc.openapi).to.equal("3.1.0");
      for (const p of [
        "/agents",
        "/agents/{id}",
        "/agents/{id}/auth",
        "/api/register",
        "/api/heartbeat/{id}",
        "/api/register/{id}",
        "/agents/{id}/jobs",
        "/agents/{id}/jobs/{jobId}",
        "/agents/{id}/jobs/{jobId}/cancel",
        "/jobs",
        "/jobs/{id}",
        "/jobs/{id}/events",
        "/metrics",
      ]) {
        expect(doc.paths, p).to.have.property(p);
      }
      const body = doc.paths["/jobs"].post.requestBody.content["application/json"].schema;
      expect(body.required).to.include.members(["agentType", "prompt"]);
      expect(doc.paths["/agents"].get.security).to.deep.equal([{ bearer: [] }]);
      expect(doc.paths["/health"].get.security).to.deep.equal([]);
      const docs = await open.get("/docs/").expect(200);
      expect(docs.text).to.contain("swagger-ui");
    });

    it("declares, per operation, the statuses its inputs and the token gate can give, and links that resolve", async () => {
      type Op = { security: unknown[]; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, { links?: Record<string, { operationRef: string }> }> };
      const doc = (await open.get("/openapi.json").expect(200)).body as { paths: Record<string, Record<string, Op>> };
      const resolve = (ref: string) => {
        const [, , path, method] = ref.split("/");
        return doc.paths[path.replace(/~1/g, "/").replace(/~0/g, "~")]?.[method];
      };
      let links = 0;
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const statuses = Object.keys(op.responses);
          const at = `${method} ${path}`;
          if (op.parameters || op.requestBody) expect(statuses, at).to.include("400");
          if (op.security.length) expect(statuses, at).to.include.members(["401", "403"]);
          if (op.requestBody) expect(statuses, at).to.include.members(["413", "415"]);
          for (const r of Object.values(op.responses)) {
            for (const [name, link] of Object.entries(r.links ?? {})) {
              expect(resolve(link.operationRef), `${at} link ${name}`).to.be.an("object");
              links++;
            }
          }
        }
      }
      expect(links).to.be.greaterThan(5);
      const created = doc.paths["/agents/{id}/jobs"].post.responses["202"].links!;
      expect(Object.keys(created)).to.include.members(["GetJob", "CancelJob", "GetAgentJob"]);
      const events = (doc.paths["/events"].get.responses["200"] as { content: Record<string, { schema: { oneOf: { properties: { event: { const: string } } }[] } }> })
        .content["text/event-stream"].schema.oneOf.map((e) => e.properties.event.const);
      expect(events).to.have.members(Object.keys(BrokerStreamEvents));
    });
  });

  describe("token gate", () => {
    it("answers a missing or unknown token with 401 and an RFC 6750 challenge, in constant JSON error shape", async () => {
      const none = await open.get("/agents").expect(401);
      expect(none.body.error.code).to.equal("unauthorized");
      expect(none.body.error.message).to.contain("Authorization: Bearer");
      // No credentials: a challenge without an error code (RFC 6750 section 3.1).
      expect(none.headers["www-authenticate"]).to.equal(`Bearer realm="${REALM}"`);
      const wrong = await open.get("/agents").set("Authorization", "Bearer wrong-token").expect(401);
      expect(wrong.body.error.code).to.equal("invalid_token");
      expect(wrong.headers["www-authenticate"]).to.match(new RegExp(`^Bearer realm="${REALM}", error="invalid_token", error_description="[^"]+"$`));
      const basic = await open.get("/agents").set("Authorization", `Basic ${TOKEN}`).expect(401);
      expect(basic.headers["www-authenticate"]).to.equal(`Bearer realm="${REALM}"`);
      // An agent token for an id the broker does not know is as good as a made-up one.
      await open.get("/agents").set("Authorization", `Bearer ${agentToken(TOKEN, "aider-77")}`).expect(401);
      await open.get("/metrics").expect(401);
      await open.get("/jobs/00000000-0000-4000-8000-000000000000/events").expect(401);
    });

    it("accepts an agent's own token only on that agent's auth and register routes, 403 elsewhere", async () => {
      const own = `Bearer ${agentToken(TOKEN, "openai-codex-1")}`;
      const list = await open.get("/agents").set("Authorization", own).expect(403);
      expect(list.body.error.code).to.equal("forbidden");
      expect(list.body.error.message).to.contain("openai-codex-1");
      expect(list.headers["www-authenticate"]).to.match(/^Bearer realm="[^"]+", error="insufficient_scope"/);
      await open.post("/agents/openai-codex-1/jobs").set("Authorization", own).send({ prompt: "x" }).expect(403);
      await open.patch("/agents/aider-1/auth").set("Authorization", own).send({ authenticated: true }).expect(403);
      const res = await open.patch("/agents/openai-codex-1/auth").set("Authorization", own).send({ authenticated: false }).expect(200);
      expect(res.body).to.include({ id: "openai-codex-1", authenticated: false, authMode: "subscription" });
    });
  });

  describe("discovery", () => {
    it("lists agents from labels with state, workspace and attach command", async () => {
      const res = await b.api.get("/agents").expect(200);
      expect(res.body.map((a: { id: string }) => a.id)).to.deep.equal(["aider-1", "claude-code-1", "claude-code-2", "openai-codex-1"]);
      const a = res.body.find((x: { id: string }) => x.id === "aider-1");
      expect(a).to.include({
        type: "aider",
        index: 1,
        state: "ready",
        authMode: "api_key",
        authenticated: true,
        ...fleet.placement("aider-1"),
      });
    });

    it("sees a container that starts, stops and goes during the run", async () => {
      await fleet.startAgent("opencode", 7);
      await waitFor("opencode-7 to appear", async () => (await b.api.get("/agents/opencode-7")).status === 200);
      await waitAgent("opencode-7", "ready");
      await fleet.killAgent("opencode-7");
      await waitAgent("opencode-7", "stopped");
      expect((await b.api.get("/agents/opencode-7")).body.stoppedReason).to.contain(fleet.killedReason);
      await fleet.removeAgent("opencode-7");
      await waitFor("opencode-7 to go", async () => (await b.api.get("/agents/opencode-7")).status === 404);
    });

    it("shows an unhealthy agent and does not give it jobs until it recovers", async () => {
      await fleet.exec("claude-code-2", ["touch", "/tmp/llpm-unhealthy"]);
      await waitAgent("claude-code-2", "unhealthy");
      const job = await submit(b.api, "claude-code-2", "while sick");
      await new Promise((r) => setTimeout(r, 500));
      expect((await getJob(b.api, job.id)).state).to.equal("queued");
      await fleet.exec("claude-code-2", ["rm", "/tmp/llpm-unhealthy"]);
      expect((await waitForState(b.api, job.id, "completed")).result).to.equal("echo: while sick");
    });
  });

  describe("bad input", () => {
    it("answers each with a 4xx that says what is wrong", async () => {
      const malformed = await b.api.post("/agents/aider-1/jobs").set("Content-Type", "application/json").send("{nope").expect(400);
      expect(malformed.body.error).to.deep.include({ code: "malformed_json" });
      const wrongType = await b.api.post("/agents/aider-1/jobs").send({ prompt: 42 }).expect(400);
      expect(wrongType.body.error.message).to.equal("body.prompt: prompt must be a string");
      const extra = await b.api.post("/agents/aider-1/jobs").send({ prompt: "x", shell: "rm -rf /" }).expect(400);
      expect(extra.body.error.message).to.contain("shell");
      const big = await b.api.post("/agents/aider-1/jobs").send({ prompt: "x".repeat(1024 * 1024 + 1) }).expect(400);
      expect(big.body.error.message).to.contain("at most 1048576 bytes");
      const bigUtf8 = await b.api.post("/agents/aider-1/jobs").send({ prompt: "é".repeat(600 * 1024) }).expect(400);
      expect(bigUtf8.body.error.message).to.contain("at most 1048576 bytes");
      const exact = await b.api.post("/agents/aider-1/jobs").send({ prompt: "x".repeat(1024 * 1024) }).expect(202);
      // Not needed past validation: cancel it unless it already finished.
      expect([202, 409]).to.include((await b.api.post(`/jobs/${exact.body.id}/cancel`)).status);
      const noJson = await b.api.post("/agents/aider-1/jobs").type("text/plain").send("hello").expect(415);
      expect(noJson.body.error.message).to.contain("application/json");
      const timeout = await b.api.post("/agents/aider-1/jobs").send({ prompt: "x", timeoutSeconds: 0 }).expect(400);
      expect(timeout.body.error.message).to.match(/^body\.timeoutSeconds/);
      const unknownAgent = await b.api.post("/agents/nobody-1/jobs").send({ prompt: "x" }).expect(404);
      expect(unknownAgent.body.error.message).to.contain("no agent 'nobody-1'");
      const badId = await b.api.get("/agents/..%2Fetc").expect(400);
      expect(badId.body.error.message).to.contain("agent id");
      const badJob = await b.api.get("/jobs/not-a-uuid").expect(400);
      expect(badJob.body.error.message).to.contain("UUID");
      await b.api.get("/jobs/00000000-0000-4000-8000-000000000000").expect(404);
      const unknownType = await b.api.post("/jobs").send({ agentType: "gemini-cli", prompt: "x" }).expect(404);
      expect(unknownType.body.error.message).to.contain("types here: aider, claude-code, openai-codex");
      const badLimit = await b.api.get("/agents/aider-1/jobs?limit=9999").expect(400);
      expect(badLimit.body.error.message).to.match(/^query\.limit/);
      const route = await b.api.get("/nope").expect(404);
      expect(route.body.error.code).to.equal("not_found");
    });

    it("answers a method a known path does not serve with 405 and Allow, an unknown path with 404", async () => {
      const del = await b.api.delete("/agents").expect(405);
      expect(del.headers.allow).to.equal("GET, HEAD");
      expect(del.body.error).to.deep.include({ code: "method_not_allowed" });
      expect(del.body.error.message).to.contain("DELETE").and.contain("GET, HEAD");
      const put = await b.api.put("/jobs/00000000-0000-4000-8000-000000000000").expect(405);
      expect(put.headers.allow).to.equal("GET, HEAD");
      expect((await b.api.get("/jobs").expect(405)).headers.allow).to.equal("POST");
      // No token needed to learn what the open OpenAPI document already says.
      expect((await open.patch("/api/register/aider-1").expect(405)).headers.allow).to.equal("DELETE");
      await b.api.delete("/agents/aider-1/nope").expect(404);
    });
  });

  describe("jobs", () => {
    it("runs a prompt via stdin (no shell), writes to the workspace and parses the result", async () => {
      const prompt = `quote ' " $(touch /tmp/pwned) \`id\`\n#stderr to stderr\n#write hello.txt written by the job`;
      const job = await submit(b.api, "claude-code-1", prompt);
      expect(job.agentId).to.equal("claude-code-1");
      const done = await waitForState(b.api, job.id, "completed");
      expect(done.exitCode).to.equal(0);
      expect(done.result).to.equal(`echo: ${prompt}`);
      expect(done.log).to.contain("to stderr").and.contain('"type":"result"');
      expect(await fleet.readWorkspaceFile("claude-code-1", "hello.txt")).to.equal("written by the job\n");
      const byAgent = await b.api.get(`/agents/claude-code-1/jobs/${job.id}`).expect(200);
      expect(byAgent.body.state).to.equal("completed");
      await b.api.get(`/agents/aider-1/jobs/${job.id}`).expect(404);
      const list = await b.api.get("/agents/claude-code-1/jobs?limit=1").expect(200);
      expect(list.body.map((j: { id: string }) => j.id)).to.deep.equal([job.id]);
    });

    it("runs one job at a time per agent, in FIFO order", async () => {
      const jobs = [];
      for (let i = 0; i < 3; i++) jobs.push(await submit(b.api, "aider-1", `#sleep 0.7\nnumber ${i}`));
      expect(jobs.slice(1).map((j) => j.state)).to.deep.equal(["queued", "queued"]);
      const agent = (await b.api.get("/agents/aider-1")).body;
      expect(agent.state).to.equal("busy");
      expect(agent.queuedJobs).to.be.at.least(2);
      const done = [];
      for (const j of jobs) done.push(await waitForState(b.api, j.id, "completed"));
      for (let i = 1; i < done.length; i++) {
        expect(Date.parse(done[i].startedAt!)).to.be.at.least(Date.parse(done[i - 1].finishedAt!));
      }
      expect(done.map((j) => j.result)).to.deep.equal(["number 0", "number 1", "number 2"].map((n) => `echo: #sleep 0.7\n${n}`));
    });

    it("dispatches by type to the first free agent, then queues by type", async () => {
      const post = (prompt: string) => b.api.post("/jobs").send({ agentType: "claude-code", prompt }).expect(202);
      const a = (await post("#sleep 1.5\na")).body;
      const c = (await post("#sleep 1.5\nb")).body;
      const d = (await post("c")).body;
      expect([a.agentId, c.agentId].sort()).to.deep.equal(["claude-code-1", "claude-code-2"]);
      expect(d).to.include({ state: "queued", agentId: null, agentType: "claude-code" });
      const third = await waitForState(b.api, d.id, "completed");
      expect(["claude-code-1", "claude-code-2"]).to.include(third.agentId);
    });

    it("cancels a running job within 5 s, killing its process", async () => {
      const job = await submit(b.api, "aider-1", "#say working\n#sleep 60");
      await waitFor("output", async () => (await getJob(b.api, job.id)).log.includes("working"));
      const started = Date.now();
      const res = await b.api.post(`/agents/aider-1/jobs/${job.id}/cancel`).expect(202);
      expect(res.body.cancelRequested).to.equal(true);
      const done = await waitForState(b.api, job.id, "cancelled", 5000);
      expect(Date.now() - started).to.be.below(5000);
      expect(done.reason).to.equal("cancelled on request");
      await waitFor("the job's exit recorded", async () => (await jobRecord("aider-1", job.id)).includes("exit-code"));
      expect(await jobRecord("aider-1", job.id), "no process group left").not.to.contain("pgid");
      const again = await b.api.post(`/jobs/${job.id}/cancel`).expect(409);
      expect(again.body.error.message).to.contain("already finished as cancelled");
    });

    it("cancels a job the moment it starts, before its supervisor has recorded its pid", async () => {
      const job = await submit(b.api, "aider-1", "#sleep 60");
      await b.api.post(`/jobs/${job.id}/cancel`).expect(202);
      // Waits, not speed checks: a loaded node may take seconds to start the supervisor that records the exit.
      await waitForState(b.api, job.id, "cancelled", 30000);
      await waitFor("the job's exit recorded", async () => (await jobRecord("aider-1", job.id)).includes("exit-code"), 30000);
      expect(await jobRecord("aider-1", job.id), "no process group left").not.to.contain("pgid");
    });

    it("cancels a queued job at once", async () => {
      const first = await submit(b.api, "aider-1", "#sleep 1");
      const second = await submit(b.api, "aider-1", "never runs");
      await b.api.post(`/jobs/${second.id}/cancel`).expect(202);
      const job = await getJob(b.api, second.id);
      expect(job).to.include({ state: "cancelled", reason: "cancelled while queued", startedAt: null });
      await waitForState(b.api, first.id, "completed");
    });

    it("times out with llpm-run-job's exit 124", async () => {
      const job = await submit(b.api, "aider-1", "#sleep 30", 1);
      const done = await waitForState(b.api, job.id, "timed_out", 8000);
      expect(done.exitCode).to.equal(124);
      expect(done.reason).to.contain("timeout");
    });

    it("fails a job that exits non-zero, with its code", async () => {
      const job = await submit(b.api, "aider-1", "#exit 3");
      const done = await waitForState(b.api, job.id, "failed");
      expect(done).to.include({ exitCode: 3, reason: "llpm-run-job exited with code 3" });
    });

    it("fails a job whose container dies mid-job, with that reason", async () => {
      await fleet.startAgent("aider", 2);
      await waitAgent("aider-2", "ready");
      const job = await submit(b.api, "aider-2", "#say started\n#sleep 60");
      await waitFor("output", async () => (await getJob(b.api, job.id)).log.includes("started"));
      await fleet.killAgent("aider-2");
      const done = await waitForState(b.api, job.id, "failed", 15000);
      expect(done.reason).to.satisfy((r: string) => r.startsWith(`agent container stopped mid-job: ${fleet.killedReason}`), done.reason ?? "no reason");
      await waitAgent("aider-2", "stopped");
    });

    it("caps the log with a marker and still parses the result", async () => {
      const job = await submit(b.api, "claude-code-1", "#spam 3000\nafter spam");
      const done = await waitForState(b.api, job.id, "completed");
      expect(done.logTruncated).to.equal(true);
      expect(done.log).to.contain(`[llpm-broker: log truncated at ${LOG_CAP} bytes]`);
      expect(Buffer.byteLength(done.log)).to.be.at.most(LOG_CAP + 100);
      expect(done.result).to.equal("echo: #spam 3000\nafter spam");
    });

    it("holds a subscription agent's jobs until it signals it is authenticated", async () => {
      const job = await submit(b.api, "openai-codex-1", "after login");
      await new Promise((r) => setTimeout(r, 500));
      expect((await getJob(b.api, job.id)).state).to.equal("queued");
      await open
        .patch("/agents/openai-codex-1/auth")
        .set("Authorization", `Bearer ${agentToken(TOKEN, "openai-codex-1")}`)
        .send({ authenticated: true })
        .expect(200);
      expect((await waitForState(b.api, job.id, "completed")).result).to.equal("echo: after login");
    });
  });

  describe("live log (SSE)", () => {
    const auth = { Authorization: `Bearer ${TOKEN}` };

    it("streams a running job's log live and ends after the final state", async () => {
      const job = await submit(b.api, "claude-code-2", "#say one\n#sleep 1\n#say two");
      const { status, events } = await readSse(`${b.url}/jobs/${job.id}/events`, auth);
      expect(status).to.equal(200);
      for (const e of events) JobStreamEvents[e.event as keyof typeof JobStreamEvents].parse(e.data);
      const log = events.filter((e) => e.event === "log").map((e) => (e.data as { data: string }).data).join("");
      expect(log).to.contain("one\n").and.contain("two\n");
      expect(events.at(-1)).to.deep.include({ event: "state", data: { state: "completed" } });
      const ids = events.map((e) => e.id!);
      expect(ids).to.deep.equal([...ids].sort((x, y) => x - y));
    });

    it("replays only what was missed after Last-Event-ID", async () => {
      const job = await submit(b.api, "claude-code-2", "#say alpha\n#say beta");
      await waitForState(b.api, job.id, "completed");
      const all = (await readSse(`${b.url}/jobs/${job.id}/events`, auth)).events;
      expect(all[0]).to.deep.include({ event: "state", data: { state: "running" } });
      const cut = all[1].id!;
      const rest = (await readSse(`${b.url}/jobs/${job.id}/events`, { ...auth, "Last-Event-ID": String(cut) })).events;
      expect(rest).to.deep.equal(all.slice(2));
      const none = (await readSse(`${b.url}/jobs/${job.id}/events`, { ...auth, "Last-Event-ID": String(all.at(-1)!.id) })).events;
      expect(none).to.deep.equal([]);
    });

    it("announces agent and job changes on /events", async () => {
      const pending = readSse(`${b.url}/events`, auth, {
        stopWhen: (evs) => evs.some((e) => e.event === "job" && (e.data as { state: string }).state === "completed"),
      });
      await new Promise((r) => setTimeout(r, 200));
      await submit(b.api, "claude-code-2", "notify me");
      const { events } = await pending;
      for (const e of events) BrokerStreamEvents[e.event as keyof typeof BrokerStreamEvents].parse(e.data);
      expect(events[0].event).to.equal("snapshot");
      expect((events[0].data as { agents: unknown[] }).agents).to.have.length.greaterThan(3);
      expect(events.some((e) => e.event === "agent" && (e.data as { state: string }).state === "busy")).to.equal(true);
    });
  });

  describe("compatibility routes", () => {
    it("registers, heartbeats and removes an agent outside the runtime with its own token", async () => {
      const own = { Authorization: `Bearer ${agentToken(TOKEN, "aider-9")}` };
      // Before it registers, the broker cannot tell aider-9's token from a made-up one...
      await open.post("/api/register").set(own).send({ id: "aider-8", type: "aider" }).expect(401);
      // ...but a known agent's token naming another agent is a valid token out of its scope.
      const known = { Authorization: `Bearer ${agentToken(TOKEN, "aider-1")}` };
      await open.post("/api/register").set(known).send({ id: "aider-8", type: "aider" }).expect(403);
      const reg = await open.post("/api/register").set(own).send({ id: "aider-9", type: "aider", url: "http://127.0.0.1:9" }).expect(201);
      expect(reg.body).to.include({ id: "aider-9", source: "external", state: "ready", authenticated: true });
      await open.post("/api/heartbeat/aider-9").set(own).expect(200);
      const job = await b.api.post("/agents/aider-9/jobs").send({ prompt: "x" }).expect(409);
      expect(job.body.error.code).to.equal("agent_not_runnable");
      await b.api.post("/api/register").send({ id: "aider-1", type: "aider" }).expect(409);
      await open.delete("/api/register/aider-9").set(own).expect(204);
      await b.api.get("/agents/aider-9").expect(404);
      await open.post("/api/heartbeat/aider-9").set(own).expect(404);
    });
  });

  describe("metrics", () => {
    it("exposes jobs by state, durations, queue depth, agents by state and HTTP latency", async () => {
      const res = await b.api.get("/metrics").expect(200);
      expect(res.headers["content-type"]).to.contain("text/plain");
      const completed = Number(/^llpm_broker_jobs\{state="completed"\} (\d+)$/m.exec(res.text)?.[1]);
      expect(completed).to.be.greaterThan(5);
      expect(res.text).to.match(/^llpm_broker_jobs\{state="cancelled"\} [1-9]/m);
      expect(res.text).to.match(/^llpm_broker_queue_depth \d+$/m);
      expect(res.text).to.match(/^llpm_broker_agents\{state="ready"\} [1-9]/m);
      expect(res.text).to.match(/^llpm_broker_job_duration_seconds_count\{state="completed"\} [1-9]/m);
      expect(res.text).to.contain('llpm_broker_http_request_duration_seconds_count{method="POST",route="/agents/:id/jobs",status="202"}');
      expect(existsSync(db.path)).to.equal(true);
    });
  });
}
