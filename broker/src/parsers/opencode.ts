import { asRecord, asString, jsonLines, type ResultParser } from "./parsedResult";

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
  if (error) {
    const err = asRecord(error.error);
    const message = asString(asRecord(err.data).message) ?? asString(err.message) ?? asString(err.name);
    return { text: text ?? message, isError: true };
  }
  return { text, isError: false };
};
