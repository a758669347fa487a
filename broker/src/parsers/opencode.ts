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
 * OpenCode `run --format json` streams events whose `part` carries text; the answer is the text
 * of the last message that produced any, joined in order. An `error` event marks failure.
 */
export const parseOpencode: ResultParser = (stdout) => {
  const events = jsonLines(stdout);
  const byMessage = new Map<string, string[]>();
  let lastMessage: string | null = null;
  for (const e of events) {
    const part = asRecord(e.part);
    const text = part.type === "text" ? asString(part.text) : null;
    if (text === null) continue;
    const messageId = asString(part.messageID) ?? asString(e.messageID) ?? "_";
    const parts = byMessage.get(messageId) ?? [];
    parts.push(text);
    byMessage.set(messageId, parts);
    lastMessage = messageId;
  }
  const error = events.find((e) => e.type === "error");
  const text = lastMessage === null ? null : byMessage.get(lastMessage)!.join("");
  if (error) return { text: text ?? errorMessage(error), isError: true };
  return { text, isError: false };
};

function errorMessage(e: Record<string, unknown>): string | null {
  const err = asRecord(e.error);
  return asString(asRecord(err.data).message) ?? asString(err.message) ?? asString(err.name);
}

/** OpenCode's own tools that run a command or change a file; every other tool is a plain tool call. */
function toolEntry(tool: string, input: Record<string, unknown>, callId: string | null): TimelineEntry {
  const command = asString(input.command);
  const path = asString(input.filePath);
  if (tool === "bash" && command !== null) return { kind: "command", command, callId };
  if (tool === "write" && path !== null) return { kind: "file_write", path: workspacePath(path), callId };
  if ((tool === "edit" || tool === "multiedit" || tool === "patch") && path !== null) return { kind: "file_edit", path: workspacePath(path), callId };
  return { kind: "tool_call", tool, input: compactInput(input), callId };
}

/**
 * OpenCode's events as a timeline: `text` parts, `tool_use` parts (printed once the tool has
 * finished, so the call and its result come together), errors; usage sums its `step_finish`
 * parts (input counts cache reads and writes, output the reasoning tokens; cost as OpenCode
 * priced it, 0 for a model it has no price for).
 */
export class OpencodeTimeline extends JsonLineTimelineParser {
  private input: number | null = null;
  private output: number | null = null;
  private cost: number | null = null;

  usage(): JobUsage | null {
    return usageOrNull({ inputTokens: this.input, outputTokens: this.output, costUsd: this.cost });
  }

  protected event(e: Record<string, unknown>): TimelineEntry[] {
    const part = asRecord(e.part);
    if (e.type === "text" && part.type === "text") {
      const text = asString(part.text);
      return text && text.trim() ? [{ kind: "text", text }] : [];
    }
    if (e.type === "tool_use" && part.type === "tool") {
      const state = asRecord(part.state);
      const callId = asString(part.callID);
      const call = toolEntry(asString(part.tool) ?? "tool", asRecord(state.input), callId);
      if (state.status !== "completed" && state.status !== "error") return [call];
      const isError = state.status === "error";
      const output = (isError ? asString(state.error) : asString(state.output)) ?? "";
      return [call, { kind: "tool_result", callId, ...capOutput(output), isError }];
    }
    if (e.type === "step_finish") {
      const tokens = asRecord(part.tokens);
      const cache = asRecord(tokens.cache);
      const input = [tokens.input, cache.read, cache.write].map(asNumber).reduce(addFigures, null);
      this.input = addFigures(this.input, input);
      this.output = addFigures(this.output, addFigures(asNumber(tokens.output), asNumber(tokens.reasoning)));
      this.cost = addFigures(this.cost, asNumber(part.cost));
      return [];
    }
    if (e.type === "error") return [{ kind: "error", message: errorMessage(e) ?? "OpenCode reported an error" }];
    return [];
  }
}
