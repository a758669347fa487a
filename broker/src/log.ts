import pino, { type Logger } from "pino";

/**
 * Structured JSON logs. The broker never logs request headers or prompts; the redaction is a
 * second line of defence should an error object ever carry them.
 */
export function createLogger(level: string, stack: string): Logger {
  return pino({
    level,
    base: { service: "llpm-broker", stack },
    redact: { paths: ["*.authorization", "*.headers.authorization", "*.token", "*.prompt"], censor: "[redacted]" },
  });
}
