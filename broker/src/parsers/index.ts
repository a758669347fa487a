import { parseAider } from "./aider";
import { parseClaudeCode } from "./claudeCode";
import { parseCodex } from "./codex";
import { parseOpencode } from "./opencode";
import { parsePlainText } from "./plainText";
import type { ResultParser } from "./parsedResult";

const PARSERS: Record<string, ResultParser> = {
  "claude-code": parseClaudeCode,
  "openai-codex": parseCodex,
  opencode: parseOpencode,
  aider: parseAider,
};

/** New agent types work before they get a parser: their result is their trimmed output. */
export function parserFor(agentType: string): ResultParser {
  return PARSERS[agentType] ?? parsePlainText;
}
