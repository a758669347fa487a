/** `llpm cancel <job>`: the broker kills the job's process group; a finished job is an error (409). */
import type { Job } from "../contract";
import { jobPath, type CommandContext } from "../context";

export async function cancelCommand(ctx: CommandContext, jobId: string): Promise<number> {
  const job = await (await ctx.client()).post<Job>(`${jobPath(jobId)}/cancel`);
  ctx.out.write(`job ${job.id}: ${job.state === "cancelled" ? "cancelled" : `${job.state}, cancel requested`}\n`);
  return 0;
}
