import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { RequestHandler } from "express";
import { AGENT_STATES } from "../agents/agentView";
import type { AgentRegistry } from "../agents/agentRegistry";
import type { BrokerBus } from "../events/bus";
import { FINAL_STATES, JOB_STATES } from "../jobs/jobTypes";
import type { Scheduler } from "../jobs/scheduler";
import type { JobStore, UsageTotals } from "../store/jobStore";

export interface MetricsSources {
  store: JobStore;
  registry: AgentRegistry;
  scheduler: Scheduler;
  bus: BrokerBus;
}

export interface BrokerMetrics {
  registry: Registry;
  httpMiddleware: RequestHandler;
}

/**
 * Prometheus metrics. Counts are read from their source at scrape time (database, registry),
 * so they survive restarts and cannot drift from what the API reports.
 */
export function createMetrics(src: MetricsSources): BrokerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "llpm_broker_" });

  new Gauge({
    name: "llpm_broker_jobs",
    help: "Jobs by state",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const counts = src.store.countByState();
      for (const state of JOB_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  new Gauge({
    name: "llpm_broker_queue_depth",
    help: "Jobs waiting for a free agent",
    registers: [registry],
    collect() {
      this.set(src.scheduler.queueDepth());
    },
  });
  new Gauge({
    name: "llpm_broker_agents",
    help: "Agents by state",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const agents = src.registry.list();
      for (const state of AGENT_STATES) this.set({ state }, agents.filter((a) => a.state === state).length);
    },
  });
  new Gauge({
    name: "llpm_broker_queue_depth_by_type",
    help: "Jobs waiting for a free agent, per agent type",
    labelNames: ["type"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [type, depth] of Object.entries(src.scheduler.queueDepthByType())) this.set({ type }, depth);
    },
  });
  // Totals over finished jobs, read from the database: they survive restarts and only grow.
  const usageCounter = (name: string, help: string, figure: (t: UsageTotals) => number) =>
    new Counter({
      name,
      help,
      labelNames: ["agent", "type"],
      registers: [registry],
      collect() {
        this.reset();
        for (const t of src.store.usageTotals()) this.inc({ agent: t.agentId, type: t.agentType }, figure(t));
      },
    });
  usageCounter("llpm_broker_agent_jobs_total", "Finished jobs per agent", (t) => t.jobs);
  usageCounter("llpm_broker_agent_input_tokens_total", "Input tokens the CLIs reported, per agent", (t) => t.inputTokens);
  usageCounter("llpm_broker_agent_output_tokens_total", "Output tokens the CLIs reported, per agent", (t) => t.outputTokens);
  usageCounter("llpm_broker_agent_cost_usd_total", "Cost in USD the CLIs reported, per agent", (t) => t.costUsd);

  const duration = new Histogram({
    name: "llpm_broker_job_duration_seconds",
    help: "Run time of finished jobs, from start to final state",
    labelNames: ["state"],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600],
    registers: [registry],
  });
  const finished = new Counter({
    name: "llpm_broker_jobs_finished_total",
    help: "Jobs that reached a final state since this broker started",
    labelNames: ["state"],
    registers: [registry],
  });
  src.bus.on("job", (job) => {
    if (!FINAL_STATES.has(job.state)) return;
    finished.inc({ state: job.state });
    if (job.startedAt && job.finishedAt) {
      duration.observe({ state: job.state }, (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000);
    }
  });

  const http = new Histogram({
    name: "llpm_broker_http_request_duration_seconds",
    help: "HTTP request latency by route template",
    labelNames: ["method", "route", "status"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  const httpMiddleware: RequestHandler = (req, res, next) => {
    const end = http.startTimer();
    res.on("finish", () => {
      // The route template, never the raw URL: ids in labels would grow the series without bound.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : "unmatched";
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, httpMiddleware };
}
