/** The final answer a CLI gave, extracted from its machine-readable stdout. */
export interface ParsedResult {
  text: string | null;
  /** The CLI itself reported failure (e.g. Claude Code's `is_error`), whatever its exit code. */
  isError: boolean;
}

export type ResultParser = (stdout: string) => ParsedResult;

/** JSON lines that parse to objects; CLIs interleave plain warnings with their event stream. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of stdout.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("{")) continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (value && typeof value === "object" && !Array.isArray(value)) out.push(value as Record<string, unknown>);
    } catch {
      // A non-JSON line that happens to start with "{" is noise, not the result.
    }
  }
  return out;
}

export const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export const asString = (v: unknown): string | null => (typeof v === "string" ? v : null);
