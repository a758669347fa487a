import { AiderTimeline, parseAider } from "./aider";
import { ClaudeCodeTimeline, parseClaudeCode } from "./claudeCode";
import { CodexTimeline, parseCodex } from "./codex";
import { OpencodeTimeline, parseOpencode } from "./opencode";
import { parsePlainText, PlainTextTimeline } from "./plainText";
import type { ResultParser } from "./parsedResult";
import type { TimelineParser } from "./timeline";

interface OutputParsers {
  result: ResultParser;
  timeline: () => TimelineParser;
}

const PARSERS: Record<string, OutputParsers> = {
  "claude-code": { result: parseClaudeCode, timeline: () => new ClaudeCodeTimeline() },
  "openai-codex": { result: parseCodex, timeline: () => new CodexTimeline() },
  opencode: { result: parseOpencode, timeline: () => new OpencodeTimeline() },
  aider: { result: parseAider, timeline: () => new AiderTimeline() },
};
const PLAIN: OutputParsers = { result: parsePlainText, timeline: () => new PlainTextTimeline() };

/** New agent types work before they get a parser: their result is their trimmed output. */
export function parserFor(agentType: string): ResultParser {
  return (PARSERS[agentType] ?? PLAIN).result;
}

/** A fresh live parser of one job's stdout into its timeline and usage. */
export function timelineParserFor(agentType: string): TimelineParser {
  return (PARSERS[agentType] ?? PLAIN).timeline();
}
