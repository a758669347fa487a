/** Tokens and cost in one short phrase; absent figures are left out, never shown as 0. */
import type { AgentUsage, JobUsage } from "../contract";

const count = (n: number) => n.toLocaleString("en-US");
const dollars = (n: number) => `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;

export function usagePhrase(usage: JobUsage | AgentUsage | null | undefined): string {
  if (!usage) return "";
  const parts: string[] = [];
  if (usage.inputTokens !== null || usage.outputTokens !== null) {
    parts.push(`${usage.inputTokens === null ? "?" : count(usage.inputTokens)} in / ${usage.outputTokens === null ? "?" : count(usage.outputTokens)} out tokens`);
  }
  if (usage.costUsd !== null) parts.push(dollars(usage.costUsd));
  return parts.join(", ");
}
