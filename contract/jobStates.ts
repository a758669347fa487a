/** Job states, as the API, the store, the metrics, the dashboard and the terminal client name them. */
export const JOB_STATES = ["queued", "running", "completed", "failed", "cancelled", "timed_out"] as const;
export type JobState = (typeof JOB_STATES)[number];
export type FinalJobState = Exclude<JobState, "queued" | "running">;
export const FINAL_STATES: ReadonlySet<JobState> = new Set<FinalJobState>(["completed", "failed", "cancelled", "timed_out"]);
