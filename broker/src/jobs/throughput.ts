import type { MinuteCount } from "../store/jobStore";
import type { JobState } from "./jobTypes";

export interface MinuteBucket {
  start: string;
  completed: number;
  failed: number;
  cancelled: number;
}

const MINUTE_MS = 60_000;
const COLUMN: Partial<Record<JobState, keyof Omit<MinuteBucket, "start">>> = {
  completed: "completed",
  failed: "failed",
  timed_out: "failed",
  cancelled: "cancelled",
};

/** The first instant of the series: `minutes` buckets ending with the current minute. */
export function seriesStart(now: Date, minutes: number): Date {
  return new Date((Math.floor(now.getTime() / MINUTE_MS) - minutes + 1) * MINUTE_MS);
}

/** Jobs ended per minute, one bucket for every minute (empty ones too), oldest first. */
export function jobsPerMinute(counts: MinuteCount[], now: Date, minutes: number): MinuteBucket[] {
  const first = seriesStart(now, minutes).getTime() / MINUTE_MS;
  const buckets = Array.from({ length: minutes }, (_, i) => ({
    start: new Date((first + i) * MINUTE_MS).toISOString(),
    completed: 0,
    failed: 0,
    cancelled: 0,
  }));
  for (const c of counts) {
    const bucket = buckets[c.minute - first];
    const column = COLUMN[c.state];
    if (bucket && column) bucket[column] += c.count;
  }
  return buckets;
}
