import { ANSI, parsePlainText } from "./plainText";
import type { ResultParser } from "./parsedResult";
import { addFigures, LineTimelineParser, usageOrNull, workspacePath, type JobUsage, type TimelineEntry } from "./timeline";

// Aider's start-up banner: everything up to its last line is set-up chatter, not the answer.
const BANNER = /^(Aider v\S+|Main model:|Weak model:|Editor model:|Model:|Git repo:|Repo-map:|Added .* to the chat|Use \/help|https:\/\/aider\.chat\/)/;
// Its cost report, printed after the answer.
const REPORT = /^(Tokens:|Cost:)/;

/** Aider prints plain text: the answer is what follows its banner, without the token/cost report. */
export const parseAider: ResultParser = (stdout) => {
  const lines = (parsePlainText(stdout).text ?? "").split("\n");
  let lastBanner = -1;
  lines.forEach((line, i) => {
    if (BANNER.test(line.trim())) lastBanner = i;
  });
  const text = lines
    .slice(lastBanner + 1)
    .filter((line) => !REPORT.test(line.trim()))
    .join("\n")
    .trim();
  return { text: text || null, isError: false };
};

const FIRST_BANNER_LINE = /^Aider v\S+/;
const SEARCH = /^<{5,9} SEARCH\s*$/;
const DIVIDER = /^={5,9}\s*$/;
const REPLACE = /^>{5,9} REPLACE\s*$/;
const FENCE = /^```\S*\s*$/;
const APPLIED = /^Applied edit to (.+?)\s*$/;
const TOKENS = /^Tokens: ([\d.]+[kKmM]?) sent, .*?([\d.]+[kKmM]?) received/;
// Aider prints the cost on the tokens line (`Tokens: … received. Cost: $x message, $y session.`).
const SESSION_COST = /\bCost: .*?\$([\d.]+) session/;

/** Aider abbreviates its counts ("2.7k"): the figure is as exact as Aider printed it. */
function count(text: string): number {
  const scale = /k$/i.test(text) ? 1e3 : /m$/i.test(text) ? 1e6 : 1;
  return Math.round(parseFloat(text) * scale);
}

/**
 * Aider has no JSON mode, so its plain text becomes the timeline: paragraphs of the answer,
 * each SEARCH/REPLACE edit block as a file write (empty SEARCH: new content) or edit of the
 * file named above it, and `Applied edit to <file>` as that edit's result (or, with no block
 * seen, as an edit of its own: Aider changed the file without showing a block). Set-up
 * chatter before the banner, the banner and the token/cost report are left out.
 */
export class AiderTimeline extends LineTimelineParser {
  private inSetup = true;
  private readonly setup: string[] = [];
  private paragraph: string[] = [];
  /** Inside an edit block: its file, call id and whether its SEARCH part had any line. */
  private block: { path: string; callId: string; inSearch: boolean; searched: boolean } | null = null;
  private closingFenceExpected = false;
  private edits = 0;
  private readonly pending = new Map<string, string>();
  private input: number | null = null;
  private output: number | null = null;
  private cost: number | null = null;

  usage(): JobUsage | null {
    return usageOrNull({ inputTokens: this.input, outputTokens: this.output, costUsd: this.cost });
  }

  protected line(raw: string): TimelineEntry[] {
    const line = raw.replace(ANSI, "");
    if (this.inSetup) {
      if (!FIRST_BANNER_LINE.test(line.trim())) {
        this.setup.push(line);
        return [];
      }
      this.inSetup = false;
    }
    if (this.block) return this.blockLine(line);
    const fenceExpected = this.closingFenceExpected;
    this.closingFenceExpected = false;
    if (fenceExpected && FENCE.test(line)) return [];
    if (SEARCH.test(line)) return this.openBlock();
    const applied = APPLIED.exec(line);
    if (applied) return this.applied(applied[1]);
    const tokens = TOKENS.exec(line);
    const cost = SESSION_COST.exec(line);
    if (tokens) {
      this.input = addFigures(this.input, count(tokens[1]));
      this.output = addFigures(this.output, count(tokens[2]));
    }
    if (cost) this.cost = Number(cost[1]);
    if (tokens || cost) return this.flush();
    if (BANNER.test(line.trim())) return [];
    if (!line.trim()) return this.flush();
    this.paragraph.push(line);
    return [];
  }

  protected finish(): TimelineEntry[] {
    // Aider stopped before its banner (a start-up failure): what it said is all there is.
    if (this.inSetup) this.paragraph = this.setup.filter((l) => l.trim());
    return this.flush();
  }

  private blockLine(line: string): TimelineEntry[] {
    const block = this.block!;
    if (REPLACE.test(line)) {
      this.block = null;
      this.closingFenceExpected = true;
      this.pending.set(block.path, block.callId);
      return [{ kind: block.searched ? "file_edit" : "file_write", path: block.path, callId: block.callId }];
    }
    if (block.inSearch && DIVIDER.test(line)) block.inSearch = false;
    else if (block.inSearch) block.searched = true;
    return [];
  }

  /** The block's file is named on the line above its opening fence. */
  private openBlock(): TimelineEntry[] {
    if (this.paragraph.length && FENCE.test(this.paragraph[this.paragraph.length - 1])) this.paragraph.pop();
    const path = workspacePath((this.paragraph.pop() ?? "").trim());
    const before = this.flush();
    this.block = { path, callId: `aider-edit-${++this.edits}`, inSearch: true, searched: false };
    return before;
  }

  private applied(rawPath: string): TimelineEntry[] {
    const path = workspacePath(rawPath);
    // Aider names the file once more on the line before.
    if (this.paragraph[this.paragraph.length - 1]?.trim() === rawPath) this.paragraph.pop();
    const before = this.flush();
    const callId = this.pending.get(path);
    if (callId === undefined) return [...before, { kind: "file_edit", path, callId: null }];
    this.pending.delete(path);
    return [...before, { kind: "tool_result", callId, output: `Applied edit to ${rawPath}`, truncated: false, isError: false }];
  }

  private flush(): TimelineEntry[] {
    const text = this.paragraph.join("\n").trim();
    this.paragraph = [];
    return text ? [{ kind: "text", text }] : [];
  }
}
