/**
 * Follows a job's event stream until its final state: timeline entries rendered one a line when
 * the broker parses them, else (an older broker, or a CLI whose output gave no entry) the raw log.
 * A dropped connection is resumed with Last-Event-ID, so nothing is printed twice or lost.
 */
import type { BrokerClient } from "./brokerClient";
import type { JobState, JobWithLog, TimelineEntry } from "./contract";
import { FINAL_STATES } from "../contract/jobStates";
import { CliError, EXIT } from "./exitCodes";
import type { Paint } from "./render/colour";
import { renderTimelineEntry } from "./render/timeline";
import { readSse } from "./sse";

const RECONNECTS = 5;

export interface FollowOptions {
  /** Render `timeline` events and hold the raw log back as the fallback. */
  timeline: boolean;
  out: NodeJS.WritableStream;
  paint: Paint;
}

interface LogEvent {
  stream: "stdout" | "stderr" | "broker";
  data: string;
}

/** Whether this broker emits timeline events (it documents the timeline route when it does). */
export async function brokerHasTimeline(client: BrokerClient): Promise<boolean> {
  const doc = await client.get<{ paths?: Record<string, unknown> }>("/openapi.json");
  return Object.hasOwn(doc.paths ?? {}, "/jobs/{id}/timeline");
}

export async function followJob(client: BrokerClient, jobId: string, opts: FollowOptions): Promise<JobWithLog> {
  let lastEventId: string | null = null;
  let finished = false;
  let entries = 0;
  const heldLog: string[] = [];
  const writeLog = (e: LogEvent) => opts.out.write(e.stream === "broker" ? opts.paint.dim(e.data) : e.data);

  for (let attempt = 0; !finished && attempt <= RECONNECTS; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 500 * attempt));
    const res = await client.stream(`/jobs/${encodeURIComponent(jobId)}/events`, lastEventId ? { "Last-Event-ID": lastEventId } : {});
    try {
      for await (const message of readSse(res.body!)) {
        if (message.id !== null) lastEventId = message.id;
        const data = JSON.parse(message.data) as unknown;
        if (message.event === "log") {
          if (opts.timeline) heldLog.push((data as LogEvent).data);
          else writeLog(data as LogEvent);
        } else if (message.event === "timeline") {
          entries++;
          opts.out.write(`${renderTimelineEntry(data as TimelineEntry, opts.paint)}\n`);
        } else if (message.event === "state" && FINAL_STATES.has((data as { state: JobState }).state)) {
          finished = true;
        }
      }
    } catch {
      // The connection dropped mid-stream (broker restart, network): resume after the last event.
    }
  }
  if (opts.timeline && entries === 0) for (const text of heldLog) opts.out.write(text);
  const job = await client.get<JobWithLog>(`/jobs/${encodeURIComponent(jobId)}`);
  if (!finished && !FINAL_STATES.has(job.state)) throw new CliError(`lost the event stream of job ${jobId} ${RECONNECTS} times; it is still ${job.state} (llpm logs --follow ${jobId} resumes)`, EXIT.brokerUnreachable);
  return job;
}
