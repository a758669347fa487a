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
 * Claude Code `--output-format stream-json` ends with `{"type":"result","result":…,"is_error":…}`;
 * without it (a killed run) the last assistant text block is the best answer there is.
 */
export const parseClaudeCode: ResultParser = (stdout) => {
  const events = jsonLines(stdout);
  const result = events.filter((e) => e.type === "result").pop();
  if (result) {
    return { text: asString(result.result), isError: result.is_error === true };
  }
  const texts = events
    .filter((e) => e.type === "assistant")
    .flatMap((e) => contentBlocks(e).filter((c) => c.type === "text"))
    .map((c) => asString(c.text))
    .filter((t): t is string => t !== null);
  return { text: texts.pop() ?? null, isError: false };
};

const contentBlocks = (e: Record<string, unknown>): Record<string, unknown>[] => {
  const content = asRecord(e.message).content;
  return Array.isArray(content) ? content.map(asRecord) : [];
};

/** Claude Code's own tools that run a command or change a file; every other tool is a plain tool call. */
function toolUseEntry(block: Record<string, unknown>): TimelineEntry {
  const name = asString(block.name) ?? "tool";
  const input = asRecord(block.input);
  const callId = asString(block.id);
  const command = asString(input.command);
  const path = asString(input.file_path) ?? asString(input.notebook_path);
  if (name === "Bash" && command !== null) return { kind: "command", command, callId };
  if (name === "Write" && path !== null) return { kind: "file_write", path: workspacePath(path), callId };
  if ((name === "Edit" || name === "MultiEdit" || name === "NotebookEdit") && path !== null) {
    return { kind: "file_edit", path: workspacePath(path), callId };
  }
  return { kind: "tool_call", tool: name, input: compactInput(block.input), callId };
}

/** A tool result's content is a string or a list of blocks, of which the text ones are readable. */
function toolResultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map(asRecord)
    .map((c) => (c.type === "text" ? (asString(c.text) ?? "") : `[${asString(c.type) ?? "block"}]`))
    .join("\n");
}

/**
 * The stream-json events as a timeline: assistant text and tool uses from `assistant` messages,
 * tool results from `user` messages, the end from `result`, which also carries the run's usage
 * (input counts the cache writes and reads as well, all of it is input the model read).
 */
export class ClaudeCodeTimeline extends JsonLineTimelineParser {
  private reported: JobUsage | null = null;

  usage(): JobUsage | null {
    return this.reported;
  }

  protected event(e: Record<string, unknown>): TimelineEntry[] {
    if (e.type === "assistant") {
      return contentBlocks(e).flatMap((block): TimelineEntry[] => {
        if (block.type === "text") {
          const text = asString(block.text);
          return text && text.trim() ? [{ kind: "text", text }] : [];
        }
        return block.type === "tool_use" ? [toolUseEntry(block)] : [];
      });
    }
    if (e.type === "user") {
      return contentBlocks(e)
        .filter((block) => block.type === "tool_result")
        .map((block) => ({
          kind: "tool_result",
          callId: asString(block.tool_use_id),
          ...capOutput(toolResultText(block.content)),
          isError: block.is_error === true,
        }));
    }
    if (e.type === "result") {
      this.record(e);
      return [{ kind: "result", text: asString(e.result), isError: e.is_error === true }];
    }
    return [];
  }

  private record(result: Record<string, unknown>): void {
    const u = asRecord(result.usage);
    const input = [u.input_tokens, u.cache_creation_input_tokens, u.cache_read_input_tokens].map(asNumber).reduce(addFigures, null);
    const usage = usageOrNull({ inputTokens: input, outputTokens: asNumber(u.output_tokens), costUsd: asNumber(result.total_cost_usd) });
    // A result without figures (a CLI that was cut short) does not erase an earlier one's.
    if (usage) this.reported = usage;
  }
}
