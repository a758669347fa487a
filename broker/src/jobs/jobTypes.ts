import type { JobUsage } from "../parsers/timeline";

export const JOB_STATES = ["queued", "running", "completed", "failed", "cancelled", "timed_out"] as const;
export type JobState = (typeof JOB_STATES)[number];
export const FINAL_STATES: ReadonlySet<JobState> = new Set(["completed", "failed", "cancelled", "timed_out"]);

export interface Job {
  id: string;
  agentId: string | null;
  agentType: string;
  state: JobState;
  prompt: string;
  timeoutSeconds: number;
  /** The git branch the job runs on, in its own worktree; null: the workspace itself. */
  branch: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  result: string | null;
  reason: string | null;
  /** Bytes of the job's output record already stored: where re-attaching resumes. */
  outputOffset: number;
  logBytes: number;
  logTruncated: boolean;
  cancelRequested: boolean;
  /** Tokens and cost of the run as its CLI reported them; null until it ends or when it reported none. */
  usage: JobUsage | null;
}

export type JobEventKind = "log" | "state" | "timeline";
export const LOG_STREAMS = ["stdout", "stderr", "broker"] as const;
export type LogStream = (typeof LOG_STREAMS)[number];

export interface JobEvent {
  seq: number;
  kind: JobEventKind;
  stream: LogStream | null;
  data: string;
  at: string;
}

export interface Outcome {
  state: Exclude<JobState, "queued" | "running">;
  exitCode: number | null;
  reason: string | null;
}
