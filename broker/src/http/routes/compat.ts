import type { Api } from "../api";
import { HttpError } from "../errors";
import { Agent, AgentParams, ErrorBody, RegisterBody } from "../schemas";
import { agentBody, requireAgent, type Services } from "../services";

/** The reference broker's routes, kept for agents that run outside Docker and announce themselves. */
export function compatRoutes(api: Api, s: Services): void {
  api.add(
    {
      method: "post",
      path: "/api/register",
      summary: "Register an agent running outside Docker (compatibility)",
      tag: "compatibility",
      access: { kind: "agent", agentIdOf: (req) => (req.body as { id?: unknown } | undefined)?.id },
      body: RegisterBody,
      responses: {
        201: {
          description: "Registered",
          schema: Agent,
          links: {
            Heartbeat: { operation: "post /api/heartbeat/:id", parameters: { id: "$response.body#/id" }, description: "Keep it alive" },
            GetAgent: { operation: "get /agents/:id", parameters: { id: "$response.body#/id" }, description: "Read it back" },
            Unregister: { operation: "delete /api/register/:id", parameters: { id: "$response.body#/id" }, description: "Remove it" },
          },
        },
        409: { description: "The id belongs to a Docker agent", schema: ErrorBody },
      },
    },
    ({ body }, _req, res) => {
      if (s.registry.workload(body.id)) {
        throw new HttpError(409, "agent_exists", `agent '${body.id}' is a container the broker discovered; it needs no registration`);
      }
      s.agents.register({ id: body.id, type: body.type, authMode: body.authMode, url: body.url ?? null });
      s.registry.touched(body.id);
      res.status(201).json(agentBody(s, requireAgent(s, body.id)));
    },
  );

  api.add(
    {
      method: "post",
      path: "/api/heartbeat/:id",
      summary: "Keep a registered agent alive (it counts as stopped after 90 s without one)",
      tag: "compatibility",
      access: { kind: "agent", agentIdOf: (req) => req.params.id },
      params: AgentParams,
      responses: { 200: { description: "The agent", schema: Agent }, 404: { description: "Not registered", schema: ErrorBody } },
    },
    ({ params }, _req, res) => {
      if (!s.agents.heartbeat(params.id)) {
        throw new HttpError(404, "agent_not_registered", `agent '${params.id}' is not registered; POST /api/register first`);
      }
      s.registry.touched(params.id);
      res.json(agentBody(s, requireAgent(s, params.id)));
    },
  );

  api.add(
    {
      method: "delete",
      path: "/api/register/:id",
      summary: "Unregister an agent running outside Docker",
      tag: "compatibility",
      access: { kind: "agent", agentIdOf: (req) => req.params.id },
      params: AgentParams,
      responses: { 204: { description: "Removed" }, 404: { description: "Not registered", schema: ErrorBody } },
    },
    ({ params }, _req, res) => {
      if (!s.agents.unregister(params.id)) {
        throw new HttpError(404, "agent_not_registered", `agent '${params.id}' is not registered`);
      }
      s.registry.touched(params.id);
      res.status(204).end();
    },
  );
}
