import type { ResultParser } from "./parsedResult";

// CSI sequences: colour and cursor codes that terminal-minded CLIs print even when piped.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** CLIs without a machine-readable mode: the answer is what they printed, minus terminal codes. */
export const parsePlainText: ResultParser = (stdout) => {
  const text = stdout.replace(ANSI, "").replace(/\r\n?/g, "\n").trim();
  return { text: text || null, isError: false };
};
