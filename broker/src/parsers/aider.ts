import { parsePlainText } from "./plainText";
import type { ResultParser } from "./parsedResult";

// Aider's start-up banner and cost report: status, not the answer.
const BANNER = /^(Aider v\S+|Main model:|Weak model:|Editor model:|Model:|Git repo:|Repo-map:|Tokens:|Cost:|Added .* to the chat|Use \/help|https:\/\/aider\.chat\/)/;

/** Aider prints plain text: the answer is the output without its banner and token/cost lines. */
export const parseAider: ResultParser = (stdout) => {
  const plain = parsePlainText(stdout).text ?? "";
  const lines = plain.split("\n").filter((line) => !BANNER.test(line.trim()));
  const text = lines.join("\n").trim();
  return { text: text || null, isError: false };
};
