/**
 * A config problem always carries the key, the offending value and what is allowed, so a user can
 * fix a stack from the message alone; all problems of a stack are reported in one error.
 */
import { NAMESPACE } from "./defaults";

export interface ConfigProblem {
  /** Dotted path below the `llpm-fleet` namespace, as `pulumi config set --path` spells it. */
  key: string;
  value: unknown;
  allowed: string;
  /** Set when the value came from outside the stack config (an env var, a file): no namespace prefix. */
  outsideStack?: boolean;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  return JSON.stringify(value);
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.outsideStack ? "" : `${NAMESPACE}:`}${p.key}: got ${describeValue(p.value)}; allowed: ${p.allowed}`;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}
