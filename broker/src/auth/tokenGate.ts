import type { Request, RequestHandler, Response } from "express";
import { HttpError } from "../http/errors";
import { agentToken } from "./agentToken";
import { constantTimeEqual } from "./constantTimeEqual";

/** Who may call a route: the broker token holder, or also the one agent the route is about. */
export type Access = { kind: "public" } | { kind: "broker" } | { kind: "agent"; agentIdOf: (req: Request) => unknown };

/** The realm every challenge names (RFC 6750 section 3). */
export const REALM = "llpm-fleet broker";

function bearer(req: Request): string | null {
  const header = req.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1] : null;
}

/** RFC 6750 section 3: a request without credentials gets no error code; a bad token gets `invalid_token`. */
function challenge(res: Response, error?: { code: "invalid_token" | "insufficient_scope"; description: string }): void {
  const attrs = [`realm="${REALM}"`];
  if (error) attrs.push(`error="${error.code}"`, `error_description="${error.description}"`);
  res.set("WWW-Authenticate", `Bearer ${attrs.join(", ")}`);
}

const HOW = "send Authorization: Bearer <token> with the broker token (or, on its own routes, the agent's token)";

/**
 * The token gate. Agent tokens are derived from the broker token, so checking one needs only an
 * agent id: the one the route names, or, to tell a valid token used out of its scope (403) from
 * an invalid one (401), the ids of the agents the broker knows. An agent's token opens no other
 * agent's routes and no other route.
 */
export function gate(brokerToken: string, access: Access, knownAgentIds: () => Iterable<string>): RequestHandler {
  return (req, res, next) => {
    if (access.kind === "public") return next();
    const token = bearer(req);
    if (!token) {
      challenge(res);
      throw new HttpError(401, "unauthorized", HOW);
    }
    if (constantTimeEqual(token, brokerToken)) return next();
    const routeAgent = access.kind === "agent" ? access.agentIdOf(req) : undefined;
    if (typeof routeAgent === "string" && constantTimeEqual(token, agentToken(brokerToken, routeAgent))) return next();
    let owner: string | null = null;
    for (const id of knownAgentIds()) if (constantTimeEqual(token, agentToken(brokerToken, id))) owner = id;
    if (owner === null) {
      challenge(res, { code: "invalid_token", description: "the token is neither the broker token nor a known agent's token" });
      throw new HttpError(401, "invalid_token", `the token is not valid; ${HOW}`);
    }
    challenge(res, { code: "insufficient_scope", description: "an agent token opens only that agent's own routes" });
    throw new HttpError(403, "forbidden", `agent '${owner}''s token is not valid for this route; it opens only that agent's auth and register routes`);
  };
}
