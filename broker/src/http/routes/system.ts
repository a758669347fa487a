import express from "express";
import swaggerUi from "swagger-ui-express";
import type { Api } from "../api";
import type { BrokerMetrics } from "../../metrics/metrics";
import { Health } from "../schemas";
import type { Services } from "../services";

/** Health, metrics and the API's own description. */
export function systemRoutes(api: Api, s: Services, metrics: BrokerMetrics): void {
  api.add(
    {
      method: "get",
      path: "/health",
      summary: "Liveness (no token; holds no data beyond counts)",
      tag: "system",
      access: { kind: "public" },
      responses: { 200: { description: "Up", schema: Health } },
    },
    (_input, _req, res) => res.json({ status: "ok", stack: s.config.stack, agents: s.registry.list().length }),
  );

  api.add(
    {
      method: "get",
      path: "/metrics",
      summary: "Prometheus metrics: jobs by state, job duration, queue depth (also per type), agents by state, jobs, tokens and cost per agent, HTTP latency",
      tag: "system",
      access: { kind: "broker" },
      responses: { 200: { description: "Prometheus text format", text: "text/plain" } },
    },
    async (_input, _req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
}

/** `/openapi.json` and Swagger UI at `/docs`: open, they describe the API and hold no data. */
export function docsRouter(api: Api): express.Router {
  const router = express.Router();
  const doc = api.openapi({ title: "llpm-fleet broker", version: "0.1.0" });
  router.get("/openapi.json", (_req, res) => res.json(doc));
  router.use("/docs", swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: "/openapi.json" } }));
  return router;
}
