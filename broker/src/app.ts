import express from "express";
import type { Logger } from "pino";
import { AgentRegistry } from "./agents/agentRegistry";
import type { BrokerConfig } from "./config";
import { BrokerBus } from "./events/bus";
import { Api } from "./http/api";
import { errorHandler, notFound } from "./http/errors";
import { agentRoutes } from "./http/routes/agents";
import { compatRoutes } from "./http/routes/compat";
import { diffRoutes } from "./http/routes/diff";
import { eventRoutes } from "./http/routes/events";
import { jobRoutes } from "./http/routes/jobs";
import { overviewRoutes } from "./http/routes/overview";
import { docsRouter, systemRoutes } from "./http/routes/system";
import { uiRouter } from "./http/routes/ui";
import type { Services } from "./http/services";
import { JobRunner } from "./jobs/jobRunner";
import { reconcileRunningJobs } from "./jobs/reconcile";
import { Scheduler } from "./jobs/scheduler";
import { createMetrics } from "./metrics/metrics";
import type { AgentRuntime } from "./runtime/runtime";
import { AgentStore } from "./store/agentStore";
import { openDatabase } from "./store/db";
import { JobStore } from "./store/jobStore";

export interface Broker {
  app: express.Express;
  services: Services;
  /** Discovers agents, reconciles jobs left running by a previous process, then starts queued ones. */
  start(): Promise<void>;
  /** Stops watching and closes the database; jobs running in containers keep running. */
  close(): void;
}

/** Wires the broker from its parts; the runtime is injected so tests and other backends can differ. */
export function createBroker(config: BrokerConfig, runtime: AgentRuntime, log: Logger): Broker {
  const db = openDatabase(config.dbPath);
  const jobs = new JobStore(db);
  const agents = new AgentStore(db);
  const bus = new BrokerBus();
  const registry = new AgentRegistry(runtime, agents, bus);
  const runner = new JobRunner({ runtime, store: jobs, registry, bus, log, logCapBytes: config.logCapBytes });
  const scheduler = new Scheduler({ store: jobs, registry, runner, bus, log, maxJobsPerAgent: config.maxJobsPerAgent, logCapBytes: config.logCapBytes });
  const services: Services = { config, registry, scheduler, jobs, agents, bus, runtime };
  const metrics = createMetrics({ store: jobs, registry, scheduler, bus });

  // Finished jobs get their line from finishJob.
  bus.on("job", (job) => {
    if (job.state === "running") log.info({ jobId: job.id, agentId: job.agentId, state: job.state }, "job started");
  });

  const api = new Api(config.token, () => registry.list().map((a) => a.id));
  systemRoutes(api, services, metrics);
  agentRoutes(api, services);
  compatRoutes(api, services);
  jobRoutes(api, services);
  diffRoutes(api, services);
  eventRoutes(api, services);
  overviewRoutes(api, services);

  const app = express();
  app.disable("x-powered-by");
  app.use(metrics.httpMiddleware);
  app.use(docsRouter(api));
  app.use("/ui", uiRouter());
  app.use(api.router);
  app.use(api.methodNotAllowed);
  app.use(notFound);
  app.use(errorHandler(log));

  return {
    app,
    services,
    async start() {
      await registry.start(config.resyncSeconds);
      reconcileRunningJobs({ store: jobs, registry, runner, bus, log, logCapBytes: config.logCapBytes });
      scheduler.start();
    },
    close() {
      registry.stop();
      runner.detachAll();
      db.close();
    },
  };
}
