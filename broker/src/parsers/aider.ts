import { parsePlainText } from "./plainText";
import type { ResultParser } from "./parsedResult";

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
