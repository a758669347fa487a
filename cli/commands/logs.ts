/** `llpm logs <job> [--follow]`: the raw log; following it exits with the job's final state code. */
import type { JobWithLog } from "../contract";
import { jobPath, type CommandContext } from "../context";
import type { FinalJobState } from "../../contract/jobStates";
import { exitCodeOfState } from "../exitCodes";
import { followJob } from "../follow";
import { jobSummary } from "../render/job";

export async function logsCommand(ctx: CommandContext, jobId: string, opts: { follow?: boolean }): Promise<number> {
  const client = await ctx.client();
  if (!opts.follow) {
    const job = await client.get<JobWithLog>(jobPath(jobId));
    ctx.out.write(job.log);
    return 0;
  }
  const final = await followJob(client, jobId, { timeline: false, out: ctx.out, paint: ctx.paint });
  ctx.err.write(`${jobSummary(final, ctx.paint)}\n`);
  return exitCodeOfState(final.state as FinalJobState);
}
