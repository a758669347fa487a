/**
 * What a job did, as one typed list whatever CLI ran it: assistant text, commands, files written
 * or edited, other tool calls with their (capped) results, errors and the final result.
 */
export type TimelineEntry =
  | { kind: "text"; text: string }
  | { kind: "command"; command: string; callId: string | null }
  | { kind: "file_write"; path: string; callId: string | null }
  | { kind: "file_edit"; path: string; callId: string | null }
  | { kind: "tool_call"; tool: string; input: string; callId: string | null }
  | { kind: "tool_result"; callId: string | null; output: string; truncated: boolean; isError: boolean }
  | { kind: "error"; message: string }
  | { kind: "result"; text: string | null; isError: boolean };

export const TIMELINE_KINDS = ["text", "command", "file_write", "file_edit", "tool_call", "tool_result", "error", "result"] as const;

/** Tokens and cost of one job as its CLI reported them; null where the CLI reports nothing. */
export interface JobUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

/** A tool's input is shown as compact JSON, a tool's output collapsed: both only up to these. */
export const TOOL_INPUT_CAP_CHARS = 2000;
export const TOOL_OUTPUT_CAP_CHARS = 4000;

/**
 * Turns a CLI's stdout into timeline entries as it arrives, line by line, so a live job shows
 * its steps while it runs. `push` may be handed any piece of the output; `end` flushes what a
 * last unterminated line or a held paragraph still holds.
 */
export interface TimelineParser {
  push(text: string): TimelineEntry[];
  end(): TimelineEntry[];
  /** The usage reported so far (complete after `end`), or null when the CLI reported none. */
  usage(): JobUsage | null;
}

/** Splits arbitrary chunks into whole lines for a per-line parser. */
export abstract class LineTimelineParser implements TimelineParser {
  private partial = "";

  push(text: string): TimelineEntry[] {
    const lines = (this.partial + text).split("\n");
    this.partial = lines.pop()!;
    return lines.flatMap((line) => this.line(line.replace(/\r$/, "")));
  }

  end(): TimelineEntry[] {
    const last = this.partial;
    this.partial = "";
    return [...(last ? this.line(last) : []), ...this.finish()];
  }

  abstract usage(): JobUsage | null;
  protected abstract line(line: string): TimelineEntry[];
  protected finish(): TimelineEntry[] {
    return [];
  }
}

/** For CLIs that print JSON events, one a line; other lines (warnings, banners) are skipped. */
export abstract class JsonLineTimelineParser extends LineTimelineParser {
  protected line(line: string): TimelineEntry[] {
    const trimmed = line.trim();
    if (!trimmed.startsWith("{")) return [];
    try {
      const value: unknown = JSON.parse(trimmed);
      return value && typeof value === "object" && !Array.isArray(value) ? this.event(value as Record<string, unknown>) : [];
    } catch {
      return [];
    }
  }

  protected abstract event(e: Record<string, unknown>): TimelineEntry[];
}

/** The agent's workspace mount inside its container (the contract's `/workspace`). */
const WORKSPACE = "/workspace/";

/** Paths as the user knows them: relative to the workspace, however the CLI spelled them. */
export function workspacePath(path: string): string {
  return path.startsWith(WORKSPACE) ? path.slice(WORKSPACE.length) : path;
}

export function capOutput(output: string): { output: string; truncated: boolean } {
  return output.length > TOOL_OUTPUT_CAP_CHARS
    ? { output: output.slice(0, TOOL_OUTPUT_CAP_CHARS), truncated: true }
    : { output, truncated: false };
}

/** Compact JSON of a tool's input, cut at the cap with an ellipsis (it is for reading, not parsing). */
export function compactInput(input: unknown): string {
  const json = JSON.stringify(input ?? null) ?? "null";
  return json.length > TOOL_INPUT_CAP_CHARS ? `${json.slice(0, TOOL_INPUT_CAP_CHARS - 1)}…` : json;
}

export const asNumber = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Adds reported figures, keeping null (not reported) apart from 0. */
export function addFigures(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b;
}

export function usageOrNull(u: JobUsage): JobUsage | null {
  return u.inputTokens === null && u.outputTokens === null && u.costUsd === null ? null : u;
}
