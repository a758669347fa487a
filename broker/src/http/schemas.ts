import { AUTH_MODES } from "../../../contract/agentTypes";
import { z } from "zod";
import { AGENT_STATES } from "../agents/agentView";
import { BranchName } from "../diff/branchName";
import { DEFAULT_DIFF_MAX_BYTES, MAX_DIFF_MAX_BYTES } from "../diff/jobDiff";
import { LOG_STREAMS } from "../jobs/jobTypes";
import { JOB_STATES } from "../../../contract/jobStates";
import type { TimelineEntry as TimelineEntryType } from "../parsers/timeline";
import { TOOL_INPUT_CAP_CHARS, TOOL_OUTPUT_CAP_CHARS } from "../parsers/timeline";
import { RUNTIMES } from "../runtime/runtime";

export const MAX_PROMPT_BYTES = 1024 * 1024;
/** Above the prompt limit so an oversized prompt gets the schema's precise message, not a bare 413. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
const PROMPT_TOO_BIG = `prompt must be at most ${MAX_PROMPT_BYTES} bytes (1 MiB) of UTF-8`;

export const AgentId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "an agent id is 1-63 of a-z 0-9 '-', e.g. claude-code-1")
  .describe("Agent id, `<type>-<n>`");
export const AgentType = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "an agent type is 1-63 of a-z 0-9 '-', e.g. openai-codex")
  .describe("Agent type (catalogue key)");
export const JobId = z.uuid({ error: "a job id is a UUID as returned when the job was created" });

export const AgentParams = z.object({ id: AgentId });
export const JobParams = z.object({ id: JobId });
export const AgentJobParams = z.object({ id: AgentId, jobId: JobId });

const Prompt = z
  .string({ error: "prompt must be a string" })
  .min(1, "prompt must not be empty")
  // The length bound shows in the OpenAPI schema; the byte bound is the real rule.
  .max(MAX_PROMPT_BYTES, PROMPT_TOO_BIG)
  .refine((s) => Buffer.byteLength(s) <= MAX_PROMPT_BYTES, PROMPT_TOO_BIG)
  .describe("The prompt (at most 1 MiB of UTF-8), handed to the agent CLI on stdin, never through a shell");
const TimeoutSeconds = z
  .number()
  .int()
  .min(1)
  .max(86_400)
  .optional()
  .describe("Job timeout in seconds (default: the broker's BROKER_JOB_TIMEOUT_SECONDS)");

export const CreateJobBody = z.strictObject({ prompt: Prompt, timeoutSeconds: TimeoutSeconds, branch: BranchName.optional() });
export const DispatchJobBody = z.strictObject({
  agentType: AgentType,
  prompt: Prompt,
  timeoutSeconds: TimeoutSeconds,
  branch: BranchName.optional(),
});
export const DiffQuery = z.strictObject({
  maxBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(MAX_DIFF_MAX_BYTES)
    .default(DEFAULT_DIFF_MAX_BYTES)
    .describe("Cap of the patch in bytes; past it the patch ends with a marker line and `truncated` is true"),
});
export const AuthBody = z.strictObject({ authenticated: z.boolean() });
export const RegisterBody = z.strictObject({
  id: AgentId,
  type: AgentType,
  authMode: z.enum(AUTH_MODES).default("api_key"),
  url: z.url().optional().describe("Where the agent can be reached, for the record"),
});
export const ListJobsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe("At most this many, newest first"),
});

export const OverviewQuery = z.strictObject({
  minutes: z.coerce.number().int().min(1).max(1440).default(60).describe("How many minutes back the jobs-per-minute series goes"),
});

const CallId = z.string().nullable().describe("Pairs a tool call with its result; null when the CLI gives none");
export const TimelineEntry = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("text"), text: z.string().describe("Assistant text") }),
    z.object({ kind: z.literal("command"), command: z.string().describe("The command line the agent ran"), callId: CallId }),
    z.object({ kind: z.literal("file_write"), path: z.string().describe("Relative to the workspace when inside it"), callId: CallId }),
    z.object({ kind: z.literal("file_edit"), path: z.string().describe("Relative to the workspace when inside it"), callId: CallId }),
    z.object({
      kind: z.literal("tool_call"),
      tool: z.string(),
      input: z.string().describe(`The tool's input as compact JSON, cut at ${TOOL_INPUT_CAP_CHARS} characters`),
      callId: CallId,
    }),
    z.object({
      kind: z.literal("tool_result"),
      callId: CallId,
      output: z.string().describe(`Cut at ${TOOL_OUTPUT_CAP_CHARS} characters`),
      truncated: z.boolean(),
      isError: z.boolean(),
    }),
    z.object({ kind: z.literal("error"), message: z.string() }),
    z.object({ kind: z.literal("result"), text: z.string().nullable(), isError: z.boolean().describe("The CLI reported failure") }),
  ])
  .describe("One step of a job, parsed from its CLI's output") satisfies z.ZodType<TimelineEntryType>;

export const JobUsage = z
  .object({
    inputTokens: z.number().int().nullable(),
    outputTokens: z.number().int().nullable(),
    costUsd: z.number().nullable(),
  })
  .nullable()
  .describe("Tokens and cost as the CLI reported them (null: not reported; Codex reports no cost); null until the job ends");
export const AgentUsage = z
  .object({ jobs: z.number().int(), inputTokens: z.number().int(), outputTokens: z.number().int(), costUsd: z.number() })
  .describe("Totals over the agent's finished jobs");

export const GatewayUsage = z
  .object({ requests: z.number(), inputTokens: z.number(), outputTokens: z.number(), costUsd: z.number() })
  .nullable()
  .describe(
    "What LiteLLM itself counted for this agent's key since LiteLLM started (its /metrics), to set beside the CLI-reported usage; null when the broker reads no LiteLLM, cannot reach it, or the agent sent nothing since",
  );
export const GatewayUsageStatus = z
  .object({
    state: z.enum(["not_configured", "ok", "unavailable"]),
    readAt: z.string().nullable().describe("When LiteLLM's figures were last read"),
    error: z.string().nullable(),
  })
  .describe("Whether LiteLLM's per-agent figures could be read");

export const Agent = z.object({
  id: z.string(),
  type: z.string(),
  index: z.number().int().nullable(),
  source: z.enum([...RUNTIMES, "external"]),
  container: z.string().nullable(),
  state: z.enum(AGENT_STATES),
  authMode: z.enum(AUTH_MODES),
  authenticated: z.boolean(),
  currentJobIds: z.array(z.string()),
  queuedJobs: z.number().int(),
  workspacePath: z.string().nullable(),
  attachCommand: z.string().nullable(),
  stoppedReason: z.string().nullable(),
  lastHeartbeat: z.string().nullable(),
  usage: AgentUsage,
  gatewayUsage: GatewayUsage,
});

export const Job = z.object({
  id: z.string(),
  agentId: z.string().nullable().describe("Null while a job dispatched by type waits for an agent"),
  agentType: z.string(),
  state: z.enum(JOB_STATES),
  prompt: z.string(),
  timeoutSeconds: z.number().int(),
  branch: z.string().nullable().describe("The git branch the job runs on in its own worktree; null: the workspace itself"),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  result: z.string().nullable().describe("The answer parsed from the CLI's machine-readable output"),
  reason: z.string().nullable().describe("While queued, why it waits; once ended, why it ended as it did, when not plainly completed"),
  logBytes: z.number().int(),
  logTruncated: z.boolean(),
  cancelRequested: z.boolean(),
  usage: JobUsage,
});
export const JobTimeline = z.object({ jobId: z.string(), state: z.enum(JOB_STATES), entries: z.array(TimelineEntry) });

export const Overview = z.object({
  agentsByState: z.record(z.enum(AGENT_STATES), z.number().int()),
  queueDepthByType: z.record(z.string(), z.number().int()).describe("Queued jobs per agent type"),
  jobsPerMinute: z
    .array(
      z.object({
        start: z.string().describe("Start of the minute (UTC)"),
        completed: z.number().int(),
        failed: z.number().int().describe("Failed or timed out"),
        cancelled: z.number().int(),
      }),
    )
    .describe("Jobs that ended in each minute, oldest first, the current minute last"),
  usageByAgent: z
    .array(AgentUsage.extend({ agentId: z.string(), agentType: z.string(), gateway: GatewayUsage }))
    .describe("Per agent with finished jobs or LiteLLM traffic: the CLIs' totals, and LiteLLM's own count beside them"),
  gatewayUsage: GatewayUsageStatus,
});
export const JobWithLog = Job.extend({ log: z.string().describe("stdout and stderr interleaved, capped") });

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }),
});
export const Health = z.object({ status: z.literal("ok"), stack: z.string(), agents: z.number().int() });

/** The events of `GET /jobs/:id/events`, by name: the `data` of each. */
export const JobStreamEvents = {
  log: z.object({ stream: z.enum(LOG_STREAMS), data: z.string() }),
  state: z.object({ state: z.enum(JOB_STATES) }),
  timeline: TimelineEntry,
};
/** The events of `GET /events`, by name: the `data` of each. */
export const BrokerStreamEvents = {
  snapshot: z.object({ agents: z.array(Agent) }),
  agent: Agent,
  agentRemoved: z.object({ id: z.string() }),
  job: Job.extend({ prompt: z.string().describe("The prompt's first 200 characters") }),
};
