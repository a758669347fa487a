import { z } from "zod";
import type { Api } from "../api";
import { Agent, AgentParams, AuthBody, ErrorBody } from "../schemas";
import { agentBody, requireAgent, type Services } from "../services";

export function agentRoutes(api: Api, s: Services): void {
  api.add(
    {
      method: "get",
      path: "/agents",
      summary: "List the stack's agents with state, auth state, current job, workspace and attach command",
      tag: "agents",
      access: { kind: "broker" },
      responses: {
        200: {
          description: "Agents, by id",
          schema: z.array(Agent),
          links: {
            GetFirstAgent: { operation: "get /agents/:id", parameters: { id: "$response.body#/0/id" }, description: "Read the first agent" },
            SubmitToFirstAgent: { operation: "post /agents/:id/jobs", parameters: { id: "$response.body#/0/id" }, description: "Give the first agent a job" },
            FirstAgentJobs: { operation: "get /agents/:id/jobs", parameters: { id: "$response.body#/0/id" }, description: "The first agent's jobs" },
          },
        },
      },
    },
    (_input, _req, res) => res.json(s.registry.list().map((v) => agentBody(s, v))),
  );

  api.add(
    {
      method: "get",
      path: "/agents/:id",
      summary: "One agent",
      tag: "agents",
      access: { kind: "broker" },
      params: AgentParams,
      responses: {
        200: {
          description: "The agent",
          schema: Agent,
          links: {
            SubmitJob: { operation: "post /agents/:id/jobs", parameters: { id: "$response.body#/id" }, description: "Give this agent a job" },
            DispatchToItsType: { operation: "post /jobs", requestBody: { agentType: "$response.body#/type" }, description: "Give a job to the first free agent of its type" },
            ListJobs: { operation: "get /agents/:id/jobs", parameters: { id: "$response.body#/id" }, description: "This agent's jobs" },
          },
        },
        404: { description: "Unknown agent", schema: ErrorBody },
      },
    },
    ({ params }, _req, res) => res.json(agentBody(s, requireAgent(s, params.id))),
  );

  api.add(
    {
      method: "patch",
      path: "/agents/:id/auth",
      summary: "Record that a subscription-mode agent has logged in (called by signal-authenticated)",
      tag: "agents",
      access: { kind: "agent", agentIdOf: (req) => req.params.id },
      params: AgentParams,
      body: AuthBody,
      responses: { 200: { description: "The agent after the change", schema: Agent }, 404: { description: "Unknown agent", schema: ErrorBody } },
    },
    ({ params, body }, _req, res) => {
      requireAgent(s, params.id);
      s.registry.setAuthenticated(params.id, body.authenticated);
      res.json(agentBody(s, requireAgent(s, params.id)));
    },
  );
}
