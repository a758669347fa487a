/**
 * What the client reads from the broker, from the broker's own schemas and types.
 */
import type { z } from "zod";
import type { Agent as AgentSchema, AgentUsage as AgentUsageSchema, ErrorBody, Job as JobSchema, JobWithLog as JobWithLogSchema } from "../broker/src/http/schemas";
import type { ChangedFile, JobDiff as JobDiffSchema } from "../broker/src/diff/jobDiff";

export type { JobState } from "../broker/src/jobs/jobTypes";
export type { JobUsage, TimelineEntry } from "../broker/src/parsers/timeline";

export type AgentUsage = z.infer<typeof AgentUsageSchema>;

/** Optional fields: a broker before the timeline/diff/usage routes does not send them. */
type Older<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
export type Job = Older<z.infer<typeof JobSchema>, "usage">;
export type JobWithLog = Older<z.infer<typeof JobWithLogSchema>, "usage">;
export type Agent = Older<z.infer<typeof AgentSchema>, "usage">;

export type JobDiff = z.infer<typeof JobDiffSchema>;
export type DiffFile = z.infer<typeof ChangedFile>;
export type BrokerErrorBody = z.infer<typeof ErrorBody>;
