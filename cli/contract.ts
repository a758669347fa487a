/**
 * What the client reads from the broker: jobs, agents, the timeline and usage from the broker's
 * own schemas and types; the diff shape is that of the issue-11 contract, which the broker's
 * route table defines once that route is merged (then import it from there instead).
 */
import type { z } from "zod";
import type { Agent as AgentSchema, AgentUsage as AgentUsageSchema, Job as JobSchema, JobWithLog as JobWithLogSchema } from "../broker/src/http/schemas";

export type { JobState } from "../broker/src/jobs/jobTypes";
export type { JobUsage, TimelineEntry } from "../broker/src/parsers/timeline";

export type AgentUsage = z.infer<typeof AgentUsageSchema>;

/** Optional fields: a broker before the timeline/diff/usage routes does not send them. */
type Older<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
export type Job = Older<z.infer<typeof JobSchema>, "usage"> & { branch?: string | null };
export type JobWithLog = Older<z.infer<typeof JobWithLogSchema>, "usage"> & { branch?: string | null };
export type Agent = Older<z.infer<typeof AgentSchema>, "usage">;

export interface DiffFile {
  path: string;
  status: "added" | "modified" | "deleted" | "renamed";
  additions: number | null;
  deletions: number | null;
  binary: boolean;
}
export interface JobDiff {
  jobId: string;
  before: string;
  after: string;
  files: DiffFile[];
  patch: string;
  truncated: boolean;
}

/** The broker's error body (`{ error: { code, message, details } }`). */
export interface BrokerErrorBody {
  error: { code: string; message: string; details: unknown };
}
