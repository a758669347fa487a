/** One job in one line: the summary after `run --follow` and `logs --follow`. */
import type { Job } from "../contract";
import type { Paint } from "./colour";
import { usagePhrase } from "./usage";

function seconds(job: Job): string | null {
  if (!job.startedAt || !job.finishedAt) return null;
  return `${((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000).toFixed(1)} s`;
}

export function jobSummary(job: Job, paint: Paint): string {
  const parts = [`job ${job.id} ${job.state}`];
  if (job.agentId) parts.push(`on ${job.agentId}`);
  const took = seconds(job);
  if (took) parts.push(`in ${took}`);
  let line = parts.join(" ");
  const usage = usagePhrase(job.usage);
  if (usage) line += ` (${usage})`;
  if (job.reason) line += `: ${job.reason}`;
  return job.state === "completed" ? paint.green(line) : paint.red(line);
}

/** Local date and time to the second, for the job lists. */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
