/**
 * One line per timeline entry: `$ command`, `✎ path`, the assistant's text, tool results collapsed
 * to their first line and a line count, so a long job reads at a glance in a terminal.
 */
import type { TimelineEntry } from "../contract";
import type { Paint } from "./colour";
import { lineCount, oneLine } from "./text";

const TEXT_MAX = 300;
const DETAIL_MAX = 160;

function collapsed(output: string, truncated: boolean): string {
  const lines = lineCount(output);
  if (lines === 0) return "(no output)";
  const first = oneLine(output.split("\n").find((l) => l.trim() !== "") ?? "", DETAIL_MAX);
  const more = lines > 1 ? ` (+${lines - 1} line${lines === 2 ? "" : "s"}${truncated ? ", truncated" : ""})` : truncated ? " (truncated)" : "";
  return `${first}${more}`;
}

export function renderTimelineEntry(entry: TimelineEntry, paint: Paint): string {
  switch (entry.kind) {
    case "text":
      return oneLine(entry.text, TEXT_MAX);
    case "command":
      return paint.bold(`$ ${oneLine(entry.command, DETAIL_MAX)}`);
    case "file_write":
      return paint.cyan(`✎ ${entry.path}`);
    case "file_edit":
      return paint.cyan(`✎ ${entry.path} (edited)`);
    case "tool_call":
      return paint.bold(`⚙ ${entry.tool} ${oneLine(entry.input, DETAIL_MAX)}`);
    case "tool_result": {
      const line = `  ↳ ${entry.isError ? "error: " : ""}${collapsed(entry.output, entry.truncated)}`;
      return entry.isError ? paint.red(line) : paint.dim(line);
    }
    case "error":
      return paint.red(`✗ ${oneLine(entry.message, TEXT_MAX)}`);
    case "result":
      return entry.isError
        ? paint.red(`✗ result: ${oneLine(entry.text ?? "(none)", TEXT_MAX)}`)
        : paint.green(`✓ ${oneLine(entry.text ?? "(no result text)", TEXT_MAX)}`);
  }
}
