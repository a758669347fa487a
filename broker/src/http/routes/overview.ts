import { AGENT_STATES } from "../../agents/agentView";
import { jobsPerMinute, seriesStart } from "../../jobs/throughput";
import type { Api } from "../api";
import { Overview, OverviewQuery } from "../schemas";
import { gatewayUsageStatus, type Services } from "../services";

/** The fleet at a glance, for the dashboard's overview page: one call, all from live sources. */
export function overviewRoutes(api: Api, s: Services): void {
  api.add(
    {
      method: "get",
      path: "/overview",
      summary: "Agents by state, queue depth per type, jobs ended per minute, tokens and cost per agent",
      tag: "fleet",
      access: { kind: "broker" },
      query: OverviewQuery,
      responses: { 200: { description: "The overview", schema: Overview } },
    },
    ({ query }, _req, res) => {
      const now = new Date();
      const agents = s.registry.list();
      res.json({
        agentsByState: Object.fromEntries(AGENT_STATES.map((state) => [state, agents.filter((a) => a.state === state).length])),
        queueDepthByType: s.scheduler.queueDepthByType(),
        jobsPerMinute: jobsPerMinute(s.jobs.finishedPerMinute(seriesStart(now, query.minutes)), now, query.minutes),
        usageByAgent: usageByAgent(s),
        gatewayUsage: gatewayUsageStatus(s),
      });
    },
  );
}

/** The CLIs' totals per agent with LiteLLM's count beside them; an agent LiteLLM saw but no job finished on still shows. */
function usageByAgent(s: Services) {
  const totals = s.jobs.usageTotals();
  const gateway = s.gatewayUsage?.all() ?? new Map();
  const types = new Map(s.registry.list().map((a) => [a.id, a.type]));
  const seen = new Set(totals.map((t) => t.agentId));
  const gatewayOnly = [...gateway.keys()]
    .filter((id) => !seen.has(id) && types.has(id))
    .map((agentId) => ({ agentId, agentType: types.get(agentId)!, jobs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }));
  return [...totals, ...gatewayOnly].map((t) => ({ ...t, gateway: gateway.get(t.agentId) ?? null }));
}
