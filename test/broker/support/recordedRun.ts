import { readFileSync } from "node:fs";
import path from "node:path";

/** The recorded real Claude Code run that wrote notes/out.txt (test/fixtures/cli-output/). */
const RECORDED = readFileSync(path.join(__dirname, "../../fixtures/cli-output/claude-code-write-file.jsonl"), "utf8").trim().split("\n");

/** Its result event's figures. */
export const RECORDED_USAGE = { inputTokens: 5538, outputTokens: 46, costUsd: 0.017304 };

/** A Bash tool call and its result in Claude Code's stream-json, for `replayPrompt`'s `extra`. */
export const BASH_CALL = [
  { type: "assistant", message: { content: [{ type: "tool_use", id: "toolu_bash_1", name: "Bash", input: { command: "cat notes/out.txt" } }] } },
  { type: "user", message: { content: [{ type: "tool_result", tool_use_id: "toolu_bash_1", content: "w0fpcbmfb\nsecond line", is_error: false }] } },
];

/**
 * Fake-CLI directives that print the recorded run line by line, as the live CLI would, pausing
 * after its file write; `extra` lines (in the same stream-json format) go before its answer.
 * The init line is left out: large, and not part of a timeline.
 */
export function replayPrompt(pauseSeconds: number, extra: object[] = []): string {
  const [write, writeResult, ...rest] = RECORDED.slice(1);
  return [write, `#sleep ${pauseSeconds}`, writeResult, ...extra.map((e) => JSON.stringify(e)), ...rest]
    .map((line) => (line.startsWith("#") ? line : `#say ${line}`))
    .join("\n");
}
