import { EventEmitter } from "node:events";
import type { AgentView } from "../agents/agentView";
import type { Job, JobEvent } from "../jobs/jobTypes";

interface BusEvents {
  agent: [AgentView];
  agentRemoved: [string];
  job: [Job];
  jobEvent: [string, JobEvent];
}

/**
 * In-process fan-out of agent and job changes to SSE subscribers and metrics. Durable state is in
 * SQLite; this only carries notifications, so a slow subscriber never blocks a job.
 */
export class BrokerBus extends EventEmitter<BusEvents> {
  constructor() {
    super();
    // Every open dashboard tab and log stream subscribes; the default limit of 10 is a leak heuristic.
    this.setMaxListeners(0);
  }
}
