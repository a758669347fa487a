import { asRecord, asString, jsonLines, type ResultParser } from "./parsedResult";
import {
  addFigures,
  asNumber,
  capOutput,
  compactInput,
  JsonLineTimelineParser,
  usageOrNull,
  workspacePath,
  type JobUsage,
  type TimelineEntry,
} from "./timeline";

/**
 * Codex `exec --json`: the answer is the last `item.completed` whose item is an `agent_message`;
 * `turn.failed` or `error` events mean the run failed even if an earlier message exists.
 */
export const parseCodex: ResultParser = (stdout) => {
  const events = jsonLines(stdout);
  const messages = events
    .filter((e) => e.type === "item.completed")
    .map((e) => asRecord(e.item))
    .filter((item) => item.type === "agent_message")
    .map((item) => asString(item.text))
    .filter((t): t is string => t !== null);
  const failure = events.filter((e) => e.type === "turn.failed" || e.type === "error").pop();
  if (failure) {
    return { text: messages.pop() ?? failureMessage(failure), isError: true };
  }
  return { text: messages.pop() ?? null, isError: false };
};

const failureMessage = (e: Record<string, unknown>): string | null => asString(asRecord(e.error).message) ?? asString(e.message);

/** What an item does, shown when it starts (or, if its start was not printed, when it completes). */
function itemStart(item: Record<string, unknown>, callId: string | null): TimelineEntry[] {
  switch (item.type) {
    case "command_execution":
      return [{ kind: "command", command: asString(item.command) ?? "", callId }];
    case "file_change": {
      const changes = Array.isArray(item.changes) ? item.changes.map(asRecord) : [];
      return changes.map((c): TimelineEntry => {
        const path = workspacePath(asString(c.path) ?? "");
        if (c.kind === "add") return { kind: "file_write", path, callId };
        if (c.kind === "delete") return { kind: "tool_call", tool: "delete_file", input: compactInput({ path }), callId };
        return { kind: "file_edit", path, callId };
      });
    }
    case "mcp_tool_call":
      return [{ kind: "tool_call", tool: [asString(item.server), asString(item.tool)].filter(Boolean).join("."), input: compactInput(item.arguments ?? null), callId }];
    case "web_search":
      return [{ kind: "tool_call", tool: "web_search", input: compactInput({ query: item.query }), callId }];
    default:
      return [];
  }
}

/** How an item ended: a command's or tool's output, a failed file change, a message, an error. */
function itemEnd(item: Record<string, unknown>, callId: string | null): TimelineEntry[] {
  switch (item.type) {
    case "agent_message": {
      const text = asString(item.text);
      return text && text.trim() ? [{ kind: "text", text }] : [];
    }
    case "error":
      return [{ kind: "error", message: asString(item.message) ?? "error" }];
    case "command_execution": {
      const exitCode = asNumber(item.exit_code);
      const isError = item.status === "failed" || (exitCode !== null && exitCode !== 0);
      return [{ kind: "tool_result", callId, ...capOutput(asString(item.aggregated_output) ?? ""), isError }];
    }
    case "mcp_tool_call": {
      const error = asString(asRecord(item.error).message);
      const output = error ?? (item.result === undefined ? "" : JSON.stringify(item.result));
      return [{ kind: "tool_result", callId, ...capOutput(output), isError: error !== null || item.status === "failed" }];
    }
    case "file_change":
      return item.status === "failed" ? [{ kind: "tool_result", callId, output: "file change failed", truncated: false, isError: true }] : [];
    default:
      return [];
  }
}

/**
 * Codex's `item.*` events as a timeline: commands, file changes and tool calls when they start,
 * their output when they complete, agent messages, and failures; usage sums its turns.
 */
export class CodexTimeline extends JsonLineTimelineParser {
  private readonly started = new Set<string>();
  private input: number | null = null;
  private output: number | null = null;

  usage(): JobUsage | null {
    return usageOrNull({ inputTokens: this.input, outputTokens: this.output, costUsd: null });
  }

  protected event(e: Record<string, unknown>): TimelineEntry[] {
    const item = asRecord(e.item);
    const callId = asString(item.id);
    if (e.type === "item.started") {
      if (callId) this.started.add(callId);
      return itemStart(item, callId);
    }
    if (e.type === "item.completed") {
      const start = callId !== null && this.started.delete(callId) ? [] : itemStart(item, callId);
      return [...start, ...itemEnd(item, callId)];
    }
    if (e.type === "turn.completed") {
      // input_tokens already counts the cached ones; output_tokens the reasoning ones.
      const u = asRecord(e.usage);
      this.input = addFigures(this.input, asNumber(u.input_tokens));
      this.output = addFigures(this.output, asNumber(u.output_tokens));
      return [];
    }
    if (e.type === "turn.failed" || e.type === "error") {
      return [{ kind: "error", message: failureMessage(e) ?? "Codex reported an error" }];
    }
    return [];
  }
}
