import type { ResultParser } from "./parsedResult";
import { LineTimelineParser, type TimelineEntry } from "./timeline";

// CSI sequences: colour and cursor codes that terminal-minded CLIs print even when piped.
export const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** CLIs without a machine-readable mode: the answer is what they printed, minus terminal codes. */
export const parsePlainText: ResultParser = (stdout) => {
  const text = stdout.replace(ANSI, "").replace(/\r\n?/g, "\n").trim();
  return { text: text || null, isError: false };
};

/**
 * A CLI the broker has no parser for: each paragraph it prints is assistant text (its final
 * result is added by the runner, as for every CLI whose output has no result event).
 */
export class PlainTextTimeline extends LineTimelineParser {
  private paragraph: string[] = [];

  usage(): null {
    return null;
  }

  protected line(line: string): TimelineEntry[] {
    const clean = line.replace(ANSI, "");
    if (clean.trim()) {
      this.paragraph.push(clean);
      return [];
    }
    return this.finish();
  }

  protected finish(): TimelineEntry[] {
    const text = this.paragraph.join("\n").trim();
    this.paragraph = [];
    return text ? [{ kind: "text", text }] : [];
  }
}
