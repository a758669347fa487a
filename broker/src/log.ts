import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

/**
 * Structured JSON logs. The broker never logs request headers or prompts; the redaction is a
 * second line of defence should an error object ever carry them. Without a destination: stdout.
 */
export function createLogger(level: string, stack: string, destination?: DestinationStream, service = "llpm-broker"): Logger {
  const options: LoggerOptions = {
    level,
    base: { service, stack },
    redact: { paths: ["*.authorization", "*.headers.authorization", "*.token", "*.prompt"], censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}
