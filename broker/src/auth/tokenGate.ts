import type { Request, RequestHandler } from "express";
import { HttpError } from "../http/errors";
import { agentToken } from "./agentToken";
import { constantTimeEqual } from "./constantTimeEqual";

/** Who may call a route: the broker token holder, or also the one agent the route is about. */
export type Access = { kind: "public" } | { kind: "broker" } | { kind: "agent"; agentIdOf: (req: Request) => unknown };

function bearer(req: Request): string | null {
  const header = req.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : null;
}

const unauthorized = () =>
  new HttpError(401, "unauthorized", "send Authorization: Bearer <token> with the broker token (or, on its own routes, the agent's token)");

/**
 * The token gate. Agent tokens are derived from the broker token, so checking one needs only the
 * agent id the route names; an agent's token opens no other agent's routes and no other route.
 */
export function gate(brokerToken: string, access: Access): RequestHandler {
  return (req, _res, next) => {
    if (access.kind === "public") return next();
    const token = bearer(req);
    if (!token) throw unauthorized();
    if (constantTimeEqual(token, brokerToken)) return next();
    if (access.kind === "agent") {
      const agentId = access.agentIdOf(req);
      if (typeof agentId === "string" && constantTimeEqual(token, agentToken(brokerToken, agentId))) return next();
    }
    throw new HttpError(403, "forbidden", "this token is not valid for this route");
  };
}
