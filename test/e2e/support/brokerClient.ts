// The broker's HTTP API as the e2e scenario uses it: typed after broker/src/http/schemas.ts,
// every call with the broker token and a deadline of its own.
import type { JobDiff } from "../../../broker/src/diff/jobDiff";
import { type Job as StoredJob } from "../../../broker/src/jobs/jobTypes";
import { FINAL_STATES, type JobState } from "../../../contract/jobStates";
import type { GatewayUsage } from "../../../broker/src/gateway/litellmUsage";
import type { TimelineEntry } from "../../../broker/src/parsers/timeline";

export type AgentState = "starting" | "ready" | "busy" | "unhealthy" | "stopped";
export type { JobState };
export const FINAL_JOB_STATES: readonly JobState[] = [...FINAL_STATES];

export interface Agent {
  id: string;
  type: string;
  container: string | null;
  state: AgentState;
  currentJobIds: string[];
  workspacePath: string | null;
  usage: { jobs: number; inputTokens: number; outputTokens: number; costUsd: number };
  gatewayUsage: GatewayUsage | null;
}

/** The fields of a job the scenario reads; `log` comes with `GET /jobs/:id`. */
export type Job = Pick<StoredJob, "id" | "agentId" | "agentType" | "state" | "prompt" | "exitCode" | "result" | "reason"> & {
  log?: string;
};

export class BrokerClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  agents(): Promise<Agent[]> {
    return this.call("GET", "/agents");
  }

  job(id: string): Promise<Job> {
    return this.call("GET", `/jobs/${id}`);
  }

  timeline(id: string): Promise<{ jobId: string; state: JobState; entries: TimelineEntry[] }> {
    return this.call("GET", `/jobs/${id}/timeline`);
  }

  overview(): Promise<{ usageByAgent: { agentId: string; gateway: GatewayUsage | null }[]; gatewayUsage: { state: string; error: string | null } }> {
    return this.call("GET", "/overview");
  }

  async metrics(): Promise<string> {
    const response = await fetch(`${this.baseUrl}/metrics`, { signal: AbortSignal.timeout(30_000), headers: { authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
    return response.text();
  }

  diff(id: string): Promise<JobDiff> {
    return this.call("GET", `/jobs/${id}/diff`);
  }

  submit(agentType: string, prompt: string, timeoutSeconds = 180): Promise<Job> {
    return this.call("POST", "/jobs", { agentType, prompt, timeoutSeconds });
  }

  cancel(id: string): Promise<Job> {
    return this.call("POST", `/jobs/${id}/cancel`);
  }

  async health(): Promise<boolean> {
    return fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
  }

  /** Polls until the job reaches one of `states`; fails with the job as last seen. */
  async waitForJob(id: string, states: readonly JobState[] = FINAL_JOB_STATES, timeoutMs = 180_000): Promise<Job> {
    let job = await this.job(id);
    const deadline = Date.now() + timeoutMs;
    while (!states.includes(job.state)) {
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state} after ${timeoutMs / 1000} s:\n${JSON.stringify(job, null, 2)}`);
      await sleep(500);
      job = await this.job(id);
    }
    return job;
  }

  /** Polls until the agent list satisfies `done`; fails with the list as last seen. */
  async waitForAgents(describe: string, done: (agents: Agent[]) => boolean, timeoutMs = 180_000): Promise<Agent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const agents = await this.agents().catch(() => undefined);
      if (agents && done(agents)) return agents;
      if (Date.now() > deadline) {
        throw new Error(`agents never ${describe} in ${timeoutMs / 1000} s; last seen: ${JSON.stringify(agents?.map((a) => [a.id, a.state]))}`);
      }
      await sleep(1000);
    }
  }

  async waitUntilUp(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.health())) {
      if (Date.now() > deadline) throw new Error(`the broker at ${this.baseUrl} did not answer /health in ${timeoutMs / 1000} s`);
      await sleep(500);
    }
  }

  private async call<T>(method: string, route: string, body?: object): Promise<T> {
    const response = await fetch(`${this.baseUrl}${route}`, {
      method,
      signal: AbortSignal.timeout(30_000),
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
