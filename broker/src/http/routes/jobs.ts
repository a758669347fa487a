import type { Response } from "express";
import { z } from "zod";
import type { Api, LinkSpec } from "../api";
import { HttpError } from "../errors";
import { AgentJobParams, AgentParams, CreateJobBody, DispatchJobBody, ErrorBody, Job, JobParams, JobTimeline, JobWithLog, ListJobsQuery } from "../schemas";
import { jobBody, requireAgent, requireJob, type Services } from "../services";

const notFound = { 404: { description: "Unknown agent or job", schema: ErrorBody } };

export function jobRoutes(api: Api, s: Services): void {
  const withLog = (id: string) => ({ ...jobBody(requireJob(s, id)), log: s.jobs.log(id) });

  const accept = (res: Response, agentId: string | null, agentType: string, body: { prompt: string; timeoutSeconds?: number; branch?: string }) => {
    const job = s.scheduler.submit({
      agentId,
      agentType,
      prompt: body.prompt,
      timeoutSeconds: body.timeoutSeconds ?? s.config.defaultJobTimeoutSeconds,
      branch: body.branch ?? null,
    });
    res.status(202).location(`/jobs/${job.id}`).json(jobBody(job));
  };
  // What a client can do next with a job it just created.
  const byJobId = { id: "$response.body#/id" };
  const jobLinks: Record<string, LinkSpec> = {
    GetJob: { operation: "get /jobs/:id", parameters: byJobId, description: "Read the job and its log" },
    GetJobEvents: { operation: "get /jobs/:id/events", parameters: byJobId, description: "Follow the job's log live" },
    CancelJob: { operation: "post /jobs/:id/cancel", parameters: byJobId, description: "Cancel the job" },
  };
  const agentJobParams = { id: "$response.body#/agentId", jobId: "$response.body#/id" };
  const queued = (links: Record<string, LinkSpec>) => ({ description: "Queued (it may already be running)", schema: Job, links });

  const cancel = (id: string) => {
    if (!s.scheduler.cancel(id)) {
      const job = requireJob(s, id);
      throw new HttpError(409, "job_finished", `job '${id}' already finished as ${job.state}`);
    }
    return jobBody(requireJob(s, id));
  };

  api.add(
    {
      method: "post",
      path: "/agents/:id/jobs",
      summary: "Queue a prompt for one agent (FIFO; one running job per agent unless configured otherwise)",
      tag: "jobs",
      access: { kind: "broker" },
      params: AgentParams,
      body: CreateJobBody,
      responses: {
        202: queued({
          ...jobLinks,
          GetAgentJob: { operation: "get /agents/:id/jobs/:jobId", parameters: agentJobParams, description: "Read the job through its agent" },
          CancelAgentJob: { operation: "post /agents/:id/jobs/:jobId/cancel", parameters: agentJobParams, description: "Cancel the job through its agent" },
          ListAgentJobs: { operation: "get /agents/:id/jobs", parameters: { id: "$response.body#/agentId" }, description: "The agent's jobs, this one first" },
        }),
        409: { description: "The agent was registered from outside the runtime; the broker cannot exec into it", schema: ErrorBody },
        ...notFound,
      },
    },
    ({ params, body }, _req, res) => {
      const agent = requireAgent(s, params.id);
      if (agent.source === "external") {
        throw new HttpError(409, "agent_not_runnable", `agent '${agent.id}' is registered from outside the runtime; jobs run only in discovered agents`);
      }
      accept(res, agent.id, agent.type, body);
    },
  );

  api.add(
    {
      method: "get",
      path: "/agents/:id/jobs",
      summary: "An agent's jobs, newest first",
      tag: "jobs",
      access: { kind: "broker" },
      params: AgentParams,
      query: ListJobsQuery,
      responses: { 200: { description: "Jobs", schema: z.array(Job) }, ...notFound },
    },
    ({ params, query }, _req, res) => {
      requireAgent(s, params.id);
      res.json(s.jobs.listByAgent(params.id, query.limit).map(jobBody));
    },
  );

  const requireAgentJob = (agentId: string, jobId: string) => {
    const job = requireJob(s, jobId);
    if (job.agentId !== agentId) throw new HttpError(404, "job_not_found", `agent '${agentId}' has no job '${jobId}'`);
  };

  api.add(
    {
      method: "get",
      path: "/agents/:id/jobs/:jobId",
      summary: "One of an agent's jobs, with its log",
      tag: "jobs",
      access: { kind: "broker" },
      params: AgentJobParams,
      responses: { 200: { description: "The job", schema: JobWithLog }, ...notFound },
    },
    ({ params }, _req, res) => {
      requireAgentJob(params.id, params.jobId);
      res.json(withLog(params.jobId));
    },
  );

  api.add(
    {
      method: "post",
      path: "/agents/:id/jobs/:jobId/cancel",
      summary: "Cancel a queued or running job (the process group is killed; cancelled within 5 s)",
      tag: "jobs",
      access: { kind: "broker" },
      params: AgentJobParams,
      responses: {
        202: { description: "Cancelled or being cancelled", schema: Job },
        409: { description: "Already finished", schema: ErrorBody },
        ...notFound,
      },
    },
    ({ params }, _req, res) => {
      requireAgentJob(params.id, params.jobId);
      res.status(202).json(cancel(params.jobId));
    },
  );

  api.add(
    {
      method: "post",
      path: "/jobs",
      summary: "Queue a prompt for the first free agent of a type (or that type's queue)",
      tag: "jobs",
      access: { kind: "broker" },
      body: DispatchJobBody,
      responses: { 202: queued(jobLinks), 404: { description: "No agent of that type", schema: ErrorBody } },
    },
    ({ body }, _req, res) => {
      if (s.registry.agentsOfType(body.agentType).length === 0) {
        const known = [...new Set(s.registry.list().filter((a) => a.source !== "external").map((a) => a.type))].sort();
        throw new HttpError(404, "agent_type_not_found", `no agent of type '${body.agentType}'; types here: ${known.join(", ") || "none"}`);
      }
      accept(res, null, body.agentType, body);
    },
  );

  api.add(
    {
      method: "get",
      path: "/jobs/:id",
      summary: "A job, with its log",
      tag: "jobs",
      access: { kind: "broker" },
      params: JobParams,
      responses: {
        200: { description: "The job", schema: JobWithLog, links: { GetJobEvents: jobLinks.GetJobEvents, CancelJob: jobLinks.CancelJob } },
        ...notFound,
      },
    },
    ({ params }, _req, res) => res.json(withLog(params.id)),
  );

  api.add(
    {
      method: "get",
      path: "/jobs/:id/timeline",
      summary: "What the job did, parsed from its CLI's output: text, commands, files written or edited, tool calls and results, errors, the result",
      tag: "jobs",
      access: { kind: "broker" },
      params: JobParams,
      responses: { 200: { description: "The timeline so far (complete once the job has ended)", schema: JobTimeline }, ...notFound },
    },
    ({ params }, _req, res) => {
      const job = requireJob(s, params.id);
      res.json({ jobId: job.id, state: job.state, entries: s.jobs.timeline(job.id) });
    },
  );

  api.add(
    {
      method: "post",
      path: "/jobs/:id/cancel",
      summary: "Cancel a job by id alone",
      tag: "jobs",
      access: { kind: "broker" },
      params: JobParams,
      responses: { 202: { description: "Cancelled or being cancelled", schema: Job }, 409: { description: "Already finished", schema: ErrorBody }, ...notFound },
    },
    ({ params }, _req, res) => res.status(202).json(cancel(params.id)),
  );
}
