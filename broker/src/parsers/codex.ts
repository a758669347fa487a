import { asRecord, asString, jsonLines, type ResultParser } from "./parsedResult";

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
    const message = asString(asRecord(failure.error).message) ?? asString(failure.message);
    return { text: messages.pop() ?? message, isError: true };
  }
  return { text: messages.pop() ?? null, isError: false };
};
