import { DiffUnavailable, JobDiff, readJobDiff } from "../../diff/jobDiff";
import { FINAL_STATES } from "../../jobs/jobTypes";
import type { Api } from "../api";
import { HttpError } from "../errors";
import { DiffQuery, ErrorBody, JobParams } from "../schemas";
import { requireJob, type Services } from "../services";

export function diffRoutes(api: Api, s: Services): void {
  api.add(
    {
      method: "get",
      path: "/jobs/:id/diff",
      summary: "What a job changed in its workspace: files added, modified, deleted or renamed, and the unified diff (capped)",
      tag: "jobs",
      access: { kind: "broker" },
      params: JobParams,
      query: DiffQuery,
      responses: {
        200: { description: "The diff between the job's before- and after-snapshots", schema: JobDiff },
        404: { description: "Unknown job", schema: ErrorBody },
        409: {
          description: "`no_snapshot`: no after-snapshot yet (queued, running, or never started); `agent_unavailable`: its agent is not running",
          schema: ErrorBody,
        },
        502: { description: "The agent could not compute the diff", schema: ErrorBody },
      },
    },
    async ({ params, query }, _req, res) => {
      const job = requireJob(s, params.id);
      if (!FINAL_STATES.has(job.state)) {
        throw new HttpError(409, "no_snapshot", `job '${job.id}' is ${job.state}; its diff exists once it has ended`);
      }
      if (!job.agentId || !job.startedAt) throw new HttpError(409, "no_snapshot", `job '${job.id}' never started, so nothing changed`);
      const workload = s.registry.workload(job.agentId);
      if (!workload?.running) {
        throw new HttpError(409, "agent_unavailable", `agent '${job.agentId}' is not running; the diff lives in its workspace and can be read again once it runs`);
      }
      let diff: JobDiff | null;
      try {
        diff = await readJobDiff(s.runtime, workload, job.id, query.maxBytes);
      } catch (err) {
        if (err instanceof DiffUnavailable) throw new HttpError(502, "diff_failed", err.message);
        throw err;
      }
      if (!diff) throw new HttpError(409, "no_snapshot", `job '${job.id}' ended without a snapshot of its workspace; its log says why`);
      res.json(diff);
    },
  );
}
