/**
 * `llpm run <type|agent-id> "<prompt>"`: an argument ending in `-<n>` is an agent id (ids are
 * `<type>-<n>`, and no type ends in a number), anything else a type, served by its first free agent.
 */
import type { Job } from "../contract";
import type { CommandContext } from "../context";
import type { FinalJobState } from "../../contract/jobStates";
import { exitCodeOfState } from "../exitCodes";
import { brokerHasTimeline, followJob } from "../follow";
import { jobSummary } from "../render/job";

export interface RunOptions {
  follow?: boolean;
  branch?: string;
  timeout?: number;
}

export interface JobRequest {
  path: string;
  body: Record<string, unknown>;
}

export function jobRequest(target: string, prompt: string, opts: RunOptions): JobRequest {
  const extra = { ...(opts.branch !== undefined ? { branch: opts.branch } : {}), ...(opts.timeout !== undefined ? { timeoutSeconds: opts.timeout } : {}) };
  return /-\d+$/.test(target)
    ? { path: `/agents/${encodeURIComponent(target)}/jobs`, body: { prompt, ...extra } }
    : { path: "/jobs", body: { agentType: target, prompt, ...extra } };
}

export async function runCommand(ctx: CommandContext, target: string, prompt: string, opts: RunOptions): Promise<number> {
  const client = await ctx.client();
  const request = jobRequest(target, prompt, opts);
  const job = await client.post<Job>(request.path, request.body);
  if (!opts.follow) {
    ctx.out.write(`${job.id}\n`);
    ctx.err.write(`queued job ${job.id} (${job.agentId ?? `first free ${job.agentType}`}); follow it with: llpm logs --follow ${job.id}\n`);
    return 0;
  }
  ctx.err.write(`job ${job.id} queued for ${job.agentId ?? `the first free ${job.agentType}`}\n`);
  const final = await followJob(client, job.id, { timeline: await brokerHasTimeline(client), out: ctx.out, paint: ctx.paint });
  ctx.err.write(`${jobSummary(final, ctx.paint)}\n`);
  return exitCodeOfState(final.state as FinalJobState);
}
