import { AGENT_STATES } from "../../agents/agentView";
import { jobsPerMinute, seriesStart } from "../../jobs/throughput";
import type { Api } from "../api";
import { Overview, OverviewQuery } from "../schemas";
import type { Services } from "../services";

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
        usageByAgent: s.jobs.usageTotals(),
      });
    },
  );
}
