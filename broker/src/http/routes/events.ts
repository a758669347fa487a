import type { Api } from "../api";
import { declaredEvents, openSse, lastEventId } from "../sse";
import { BrokerStreamEvents, ErrorBody, JobParams, JobStreamEvents } from "../schemas";
import { agentBody, jobBody, requireJob, type Services } from "../services";
import { FINAL_STATES, type JobEvent } from "../../jobs/jobTypes";
import type { Job } from "../../jobs/jobTypes";
import type { AgentView } from "../../agents/agentView";

/**
 * Server-sent events. Clients read them with fetch() and the Authorization header (the dashboard
 * does), so the token never travels in a URL or a cookie.
 */
export function eventRoutes(api: Api, s: Services): void {
  api.add(
    {
      method: "get",
      path: "/jobs/:id/events",
      summary:
        "Live log of a job as server-sent events (`log`: {stream, data}; `timeline`: one timeline entry, as the output is parsed; `state`: {state}); replays everything after Last-Event-ID, ends after the final state",
      tag: "jobs",
      access: { kind: "broker" },
      params: JobParams,
      responses: {
        200: { description: "Event stream; each event has an `id` to resume from", events: { withId: true, data: JobStreamEvents } },
        404: { description: "Unknown job", schema: ErrorBody },
      },
    },
    ({ params }, req, res) => {
      const job = requireJob(s, params.id);
      const sse = openSse(req, res);
      const emit = declaredEvents(sse, JobStreamEvents);
      let last = lastEventId(req);
      const send = (e: JobEvent) => {
        if (e.seq <= last) return;
        last = e.seq;
        if (e.kind === "log") emit("log", { stream: e.stream!, data: e.data }, e.seq);
        else if (e.kind === "timeline") emit("timeline", JSON.parse(e.data), e.seq);
        else emit("state", { state: e.data as Job["state"] }, e.seq);
        if (e.kind === "state" && FINAL_STATES.has(e.data as Job["state"])) sse.close();
      };
      // Subscribe before replaying, buffering, so nothing emitted during the replay is lost.
      const pending: JobEvent[] = [];
      let replaying = true;
      const live = (jobId: string, e: JobEvent) => {
        if (jobId !== job.id) return;
        if (replaying) pending.push(e);
        else send(e);
      };
      s.bus.on("jobEvent", live);
      sse.onClose(() => s.bus.off("jobEvent", live));
      for (const e of s.jobs.eventsAfter(job.id, last)) send(e);
      replaying = false;
      for (const e of pending) send(e);
      // A client that had already seen the final event gets nothing more: end instead of hanging.
      if (FINAL_STATES.has(s.jobs.get(job.id)!.state)) sse.close();
    },
  );

  api.add(
    {
      method: "get",
      path: "/events",
      summary: "Agent and job changes as server-sent events: `snapshot` first, then `agent`, `agentRemoved`, `job`",
      tag: "events",
      access: { kind: "broker" },
      responses: { 200: { description: "Event stream", events: { withId: false, data: BrokerStreamEvents } } },
    },
    (_input, req, res) => {
      const sse = openSse(req, res);
      const emit = declaredEvents(sse, BrokerStreamEvents);
      const onAgent = (view: AgentView) => emit("agent", agentBody(s, view));
      const onRemoved = (id: string) => emit("agentRemoved", { id });
      // Prompts can be 1 MiB; change notices carry the job's state, not its prompt.
      const onJob = (job: Job) => emit("job", { ...jobBody(job), prompt: job.prompt.slice(0, 200) });
      s.bus.on("agent", onAgent);
      s.bus.on("agentRemoved", onRemoved);
      s.bus.on("job", onJob);
      sse.onClose(() => {
        s.bus.off("agent", onAgent);
        s.bus.off("agentRemoved", onRemoved);
        s.bus.off("job", onJob);
      });
      emit("snapshot", { agents: s.registry.list().map((v) => agentBody(s, v)) });
    },
  );
}
