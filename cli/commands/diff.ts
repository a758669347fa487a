/** `llpm diff <job>`: what the job changed in its workspace, `+`/`-` coloured on a terminal. */
import type { JobDiff } from "../contract";
import { jobPath, type CommandContext } from "../context";
import { renderDiff } from "../render/diff";

export async function diffCommand(ctx: CommandContext, jobId: string): Promise<number> {
  const diff = await (await ctx.client()).get<JobDiff>(`${jobPath(jobId)}/diff`);
  ctx.out.write(renderDiff(diff, ctx.paint));
  return 0;
}
