import { createHmac } from "node:crypto";

/**
 * The broker token an agent container gets: derived, so the broker stores nothing per agent and
 * the Pulumi program (which imports this file) can compute it without asking the broker.
 */
export function agentToken(brokerToken: string, agentId: string): string {
  return createHmac("sha256", brokerToken).update(`agent:${agentId}`).digest("hex");
}
