import type { Outcome } from "./jobTypes";

export const TIMEOUT_EXIT_CODE = 124;

export interface ExitFacts {
  exitCode: number | null;
  /** Why the job's end could not be seen, when it could not (then exitCode is null). */
  endNotSeen: string | null;
  cancelRequested: boolean;
  /** The broker's own deadline (job timeout plus grace) passed and it killed the process. */
  brokerDeadlinePassed: boolean;
  /** Set when the agent's container was no longer running when the process ended. */
  containerStopped: string | null;
  /** The CLI reported failure in its output although it exited 0. */
  cliReportedError: boolean;
}

/** Maps how a job's process ended to its final state; cancellation wins over whatever followed it. */
export function decideOutcome(f: ExitFacts): Outcome {
  const exitCode = f.exitCode;
  if (f.cancelRequested) return { state: "cancelled", exitCode, reason: "cancelled on request" };
  if (f.brokerDeadlinePassed) {
    return { state: "timed_out", exitCode, reason: "no exit by the job timeout plus grace; the broker killed it" };
  }
  if (f.containerStopped) return { state: "failed", exitCode, reason: `agent container stopped mid-job: ${f.containerStopped}` };
  if (exitCode === TIMEOUT_EXIT_CODE) return { state: "timed_out", exitCode, reason: "llpm-run-job hit the job timeout (exit 124)" };
  if (exitCode === null) return { state: "failed", exitCode, reason: f.endNotSeen ?? "the process is gone and its exit status is unknown" };
  if (exitCode !== 0) return { state: "failed", exitCode, reason: `llpm-run-job exited with code ${exitCode}` };
  if (f.cliReportedError) return { state: "failed", exitCode, reason: "the agent CLI reported an error in its output" };
  return { state: "completed", exitCode, reason: null };
}
