/** `llpm agents`: every agent of the stack with its state, auth, jobs, and usage as its CLI reported it and as LiteLLM counted it. */
import type { Agent } from "../contract";
import type { CommandContext } from "../context";
import { table } from "../render/table";
import { usagePhrase } from "../render/usage";

function auth(a: Agent): string {
  if (a.authMode === "api_key") return "api key";
  return a.authenticated ? "subscription" : "subscription (not logged in)";
}

export function agentRows(agents: Agent[]): string[][] {
  return agents.map((a) => [
    a.id,
    a.type,
    a.state,
    auth(a),
    `${a.currentJobIds.length} running, ${a.queuedJobs} queued`,
    a.usage ? [`${a.usage.jobs} jobs`, usagePhrase(a.usage)].filter(Boolean).join(", ") : "",
    a.gatewayUsage ? [`${a.gatewayUsage.requests} requests`, usagePhrase(a.gatewayUsage)].join(", ") : "",
  ]);
}

export async function agentsCommand(ctx: CommandContext): Promise<number> {
  const agents = await (await ctx.client()).get<Agent[]>("/agents");
  if (agents.length === 0) {
    ctx.err.write("no agents in this stack (is the fleet up? npm run status)\n");
    return 0;
  }
  ctx.out.write(table(["ID", "TYPE", "STATE", "AUTH", "JOBS", "USAGE (CLI)", "USAGE (LITELLM)"], agentRows(agents)));
  return 0;
}
