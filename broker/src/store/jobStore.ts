import type Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { FINAL_STATES, type Job, type JobEvent, type JobEventKind, type JobState, type LogStream, type Outcome } from "../jobs/jobTypes";
import type { JobUsage, TimelineEntry } from "../parsers/timeline";

interface JobRow {
  id: string;
  agent_id: string | null;
  agent_type: string;
  state: JobState;
  prompt: string;
  timeout_seconds: number;
  branch: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  exit_code: number | null;
  result: string | null;
  reason: string | null;
  output_offset: number;
  log_bytes: number;
  log_truncated: number;
  cancel_requested: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
}

/** Totals over one agent's finished jobs. */
export interface AgentUsage {
  jobs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Totals per agent and type over all finished jobs, for the metrics. */
export interface UsageTotals extends AgentUsage {
  agentId: string;
  agentType: string;
}

/** How many jobs ended in each final state during one minute. */
export interface MinuteCount {
  minute: number;
  state: JobState;
  count: number;
}

const toJob = (r: JobRow): Job => ({
  id: r.id,
  agentId: r.agent_id,
  agentType: r.agent_type,
  state: r.state,
  prompt: r.prompt,
  timeoutSeconds: r.timeout_seconds,
  branch: r.branch,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  exitCode: r.exit_code,
  result: r.result,
  reason: r.reason,
  outputOffset: r.output_offset,
  logBytes: r.log_bytes,
  logTruncated: r.log_truncated === 1,
  cancelRequested: r.cancel_requested === 1,
  usage:
    r.input_tokens === null && r.output_tokens === null && r.cost_usd === null
      ? null
      : { inputTokens: r.input_tokens, outputTokens: r.output_tokens, costUsd: r.cost_usd },
});

const FINAL_LIST = [...FINAL_STATES].map((s) => `'${s}'`).join(", ");

const now = () => new Date().toISOString();

export interface NewJob {
  agentId: string | null;
  agentType: string;
  prompt: string;
  timeoutSeconds: number;
  branch: string | null;
}

/** Durable job records and their event logs; every method is one SQLite transaction. */
export class JobStore {
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO jobs (id, agent_id, agent_type, state, prompt, timeout_seconds, branch, created_at)
         VALUES (@id, @agentId, @agentType, 'queued', @prompt, @timeoutSeconds, @branch, @createdAt)`,
      ),
      get: db.prepare(`SELECT * FROM jobs WHERE id = ?`),
      byAgent: db.prepare(`SELECT * FROM jobs WHERE agent_id = ? ORDER BY n DESC LIMIT ?`),
      byState: db.prepare(`SELECT * FROM jobs WHERE state = ? ORDER BY n`),
      start: db.prepare(
        `UPDATE jobs SET state = 'running', agent_id = ?, started_at = ?, reason = NULL WHERE id = ? AND state = 'queued'`,
      ),
      setQueuedReason: db.prepare(`UPDATE jobs SET reason = ? WHERE id = ? AND state = 'queued' AND reason IS NOT ?`),
      setUsage: db.prepare(`UPDATE jobs SET input_tokens = ?, output_tokens = ?, cost_usd = ? WHERE id = ?`),
      timelineOf: db.prepare(`SELECT data FROM job_events WHERE job_id = ? AND kind = 'timeline' ORDER BY seq`),
      agentUsage: db.prepare(
        `SELECT COUNT(*) AS jobs, COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens,
           COALESCE(SUM(cost_usd), 0) AS costUsd
         FROM jobs WHERE agent_id = ? AND state IN (${FINAL_LIST})`,
      ),
      usageTotals: db.prepare(
        `SELECT agent_id AS agentId, agent_type AS agentType, COUNT(*) AS jobs, COALESCE(SUM(input_tokens), 0) AS inputTokens,
           COALESCE(SUM(output_tokens), 0) AS outputTokens, COALESCE(SUM(cost_usd), 0) AS costUsd
         FROM jobs WHERE agent_id IS NOT NULL AND state IN (${FINAL_LIST}) GROUP BY agent_id, agent_type`,
      ),
      finishedPerMinute: db.prepare(
        `SELECT CAST(strftime('%s', finished_at) AS INTEGER) / 60 AS minute, state, COUNT(*) AS count
         FROM jobs WHERE finished_at >= ? GROUP BY minute, state`,
      ),
      setOutputOffset: db.prepare(`UPDATE jobs SET output_offset = ? WHERE id = ?`),
      requestCancel: db.prepare(`UPDATE jobs SET cancel_requested = 1 WHERE id = ?`),
      finish: db.prepare(
        `UPDATE jobs SET state = ?, exit_code = ?, reason = ?, result = ?, finished_at = ?
         WHERE id = ? AND state IN ('queued', 'running')`,
      ),
      addLogBytes: db.prepare(`UPDATE jobs SET log_bytes = log_bytes + ?, log_truncated = log_truncated | ? WHERE id = ?`),
      nextSeq: db.prepare(`SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM job_events WHERE job_id = ?`),
      insertEvent: db.prepare(
        `INSERT INTO job_events (job_id, seq, kind, stream, data, at) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      eventsAfter: db.prepare(`SELECT seq, kind, stream, data, at FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq`),
      logOf: db.prepare(`SELECT data FROM job_events WHERE job_id = ? AND kind = 'log' ORDER BY seq`),
      stdoutOf: db.prepare(`SELECT data FROM job_events WHERE job_id = ? AND kind = 'log' AND stream = 'stdout' ORDER BY seq`),
      countByState: db.prepare(`SELECT state, COUNT(*) AS count FROM jobs GROUP BY state`),
    };
  }

  create(input: NewJob): Job {
    const id = randomUUID();
    this.stmt.insert.run({ ...input, id, createdAt: now() });
    return this.get(id)!;
  }

  get(id: string): Job | null {
    const row = this.stmt.get.get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  listByAgent(agentId: string, limit: number): Job[] {
    return (this.stmt.byAgent.all(agentId, limit) as JobRow[]).map(toJob);
  }

  /** Jobs in one state, oldest first: the FIFO order the scheduler serves. */
  inState(state: JobState): Job[] {
    return (this.stmt.byState.all(state) as JobRow[]).map(toJob);
  }

  /** Claims a queued job for an agent; false when it was no longer queued (e.g. cancelled). */
  start(id: string, agentId: string): boolean {
    return this.stmt.start.run(agentId, now(), id).changes === 1;
  }

  setOutputOffset(id: string, offset: number): void {
    this.stmt.setOutputOffset.run(offset, id);
  }

  /** Runs `fn` as one transaction (a stored chunk and the offset past it, say). */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Why a queued job waits; a no-op (false) when unchanged or no longer queued. */
  setQueuedReason(id: string, reason: string): boolean {
    return this.stmt.setQueuedReason.run(reason, id, reason).changes === 1;
  }

  setUsage(id: string, usage: JobUsage | null): void {
    this.stmt.setUsage.run(usage?.inputTokens ?? null, usage?.outputTokens ?? null, usage?.costUsd ?? null, id);
  }

  requestCancel(id: string): void {
    this.stmt.requestCancel.run(id);
  }

  /** Records the final state once; false when the job had already finished. */
  finish(id: string, outcome: Outcome, result: string | null): boolean {
    return this.stmt.finish.run(outcome.state, outcome.exitCode, outcome.reason, result, now(), id).changes === 1;
  }

  appendEvent(jobId: string, kind: JobEventKind, stream: LogStream | null, data: string, truncated = false): JobEvent {
    return this.db.transaction(() => {
      const { seq } = this.stmt.nextSeq.get(jobId) as { seq: number };
      const at = now();
      this.stmt.insertEvent.run(jobId, seq, kind, stream, data, at);
      if (kind === "log") this.stmt.addLogBytes.run(Buffer.byteLength(data), truncated ? 1 : 0, jobId);
      return { seq, kind, stream, data, at };
    })();
  }

  eventsAfter(jobId: string, seq: number): JobEvent[] {
    return this.stmt.eventsAfter.all(jobId, seq) as JobEvent[];
  }

  log(jobId: string): string {
    return (this.stmt.logOf.all(jobId) as { data: string }[]).map((r) => r.data).join("");
  }

  stdout(jobId: string): string {
    return (this.stmt.stdoutOf.all(jobId) as { data: string }[]).map((r) => r.data).join("");
  }

  timeline(jobId: string): TimelineEntry[] {
    return (this.stmt.timelineOf.all(jobId) as { data: string }[]).map((r) => JSON.parse(r.data) as TimelineEntry);
  }

  agentUsage(agentId: string): AgentUsage {
    return this.stmt.agentUsage.get(agentId) as AgentUsage;
  }

  usageTotals(): UsageTotals[] {
    return this.stmt.usageTotals.all() as UsageTotals[];
  }

  /** Jobs that ended since `since`, per minute (Unix minutes) and final state. */
  finishedPerMinute(since: Date): MinuteCount[] {
    return this.stmt.finishedPerMinute.all(since.toISOString()) as MinuteCount[];
  }

  countByState(): Record<string, number> {
    const rows = this.stmt.countByState.all() as { state: string; count: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.count]));
  }
}
