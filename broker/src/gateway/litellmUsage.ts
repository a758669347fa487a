import type { Logger } from "pino";
import { parsePrometheusText } from "./prometheusText";

/** What LiteLLM itself counted for one agent's key since LiteLLM started. */
export interface GatewayUsage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Whether the figures could be read: `not_configured` (no LiteLLM given), `ok`, `unavailable`. */
export interface GatewayUsageStatus {
  state: "not_configured" | "ok" | "unavailable";
  readAt: string | null;
  error: string | null;
}

/**
 * LiteLLM's `prometheus` callback counts per caller; the auth hook names each agent's caller after
 * it, so the `user` label is the agent id. Counters are exposed with the `_total` suffix.
 */
const SERIES: Record<string, keyof GatewayUsage> = {
  litellm_requests_metric_total: "requests",
  litellm_input_tokens_metric_total: "inputTokens",
  litellm_output_tokens_metric_total: "outputTokens",
  litellm_spend_metric_total: "costUsd",
};
const AGENT_LABEL = "user";
const READ_TIMEOUT_MS = 5000;

/** Sums a LiteLLM scrape per agent id (a caller with no `user` label is not an agent's). */
export function usageByAgent(scrape: string): Map<string, GatewayUsage> {
  const byAgent = new Map<string, GatewayUsage>();
  for (const sample of parsePrometheusText(scrape)) {
    const figure = SERIES[sample.name];
    const agent = sample.labels[AGENT_LABEL];
    if (!figure || !agent || agent === "None" || !Number.isFinite(sample.value)) continue;
    const usage = byAgent.get(agent) ?? { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    usage[figure] += sample.value;
    byAgent.set(agent, usage);
  }
  return byAgent;
}

export interface LitellmUsageOptions {
  /** LiteLLM's base URL, e.g. `http://litellm:4000`. */
  url: string;
  /** A key LiteLLM accepts on `/metrics` only (the usage reader's; core/gatewayKey.ts). */
  key: string;
  intervalMs: number;
  log: Logger;
}

/**
 * Reads LiteLLM's per-agent spend from its `/metrics` every `intervalMs`, so the API can show it
 * beside what the CLIs reported without waiting on LiteLLM. The last good reading is kept while
 * LiteLLM cannot be reached; the status says so.
 */
export class LitellmUsage {
  private byAgent = new Map<string, GatewayUsage>();
  private current: GatewayUsageStatus = { state: "unavailable", readAt: null, error: "not read yet" };
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LitellmUsageOptions) {}

  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const url = `${this.options.url.replace(/\/$/, "")}/metrics`;
    try {
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${this.options.key}` },
        signal: AbortSignal.timeout(READ_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      this.byAgent = usageByAgent(await response.text());
      this.current = { state: "ok", readAt: new Date().toISOString(), error: null };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (this.current.error !== error) this.options.log.warn({ err: error }, "cannot read LiteLLM's per-agent spend");
      this.current = { state: "unavailable", readAt: this.current.readAt, error };
    }
  }

  forAgent(agentId: string): GatewayUsage | null {
    return this.byAgent.get(agentId) ?? null;
  }

  all(): ReadonlyMap<string, GatewayUsage> {
    return this.byAgent;
  }

  status(): GatewayUsageStatus {
    return this.current;
  }
}
