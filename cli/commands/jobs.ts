/**
 * `llpm jobs [--agent A]`: newest first. The broker lists jobs per agent, so without --agent the
 * lists of every agent are merged (a job dispatched by type shows once an agent has taken it).
 */
import type { Agent, Job } from "../contract";
import type { CommandContext } from "../context";
import { shortTime } from "../render/job";
import { oneLine } from "../render/text";
import { table } from "../render/table";
import { usagePhrase } from "../render/usage";

export function jobRows(jobs: Job[]): string[][] {
  return jobs.map((j) => [j.id, j.state, j.agentId ?? `(${j.agentType})`, shortTime(j.createdAt), oneLine(j.prompt, 50), usagePhrase(j.usage)]);
}

export async function jobsCommand(ctx: CommandContext, opts: { agent?: string; limit: number }): Promise<number> {
  const client = await ctx.client();
  const agentIds = opts.agent ? [opts.agent] : (await client.get<Agent[]>("/agents")).filter((a) => a.source !== "external").map((a) => a.id);
  const lists = await Promise.all(agentIds.map((id) => client.get<Job[]>(`/agents/${encodeURIComponent(id)}/jobs?limit=${opts.limit}`)));
  const jobs = lists
    .flat()
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, opts.limit);
  if (jobs.length === 0) {
    ctx.err.write(`no jobs${opts.agent ? ` on ${opts.agent}` : ""} yet\n`);
    return 0;
  }
  ctx.out.write(table(["ID", "STATE", "AGENT", "CREATED", "PROMPT", "USAGE"], jobRows(jobs)));
  return 0;
}
