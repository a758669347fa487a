/**
 * Exit codes of `llpm`. A followed job exits with its final state's code, so scripts can tell a
 * failure from a cancellation or a timeout; the others say why the client itself stopped.
 */
import type { FinalJobState } from "./contract";

export const EXIT = {
  completed: 0,
  failed: 1,
  usage: 2,
  cancelled: 3,
  timed_out: 4,
  brokerUnreachable: 5,
  unauthorized: 6,
  brokerError: 7,
  noBrokerConfig: 8,
} as const;

export function exitCodeOfState(state: FinalJobState): number {
  return EXIT[state];
}

/** An error that ends the client with a message for the user and a given exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
