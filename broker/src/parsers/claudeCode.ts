import { asRecord, asString, jsonLines, type ResultParser } from "./parsedResult";

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
    .flatMap((e) => {
      const content = asRecord(e.message).content;
      return Array.isArray(content) ? content.map(asRecord).filter((c) => c.type === "text") : [];
    })
    .map((c) => asString(c.text))
    .filter((t): t is string => t !== null);
  return { text: texts.pop() ?? null, isError: false };
};
