import { StringDecoder } from "node:string_decoder";
import type { BrokerBus } from "../events/bus";
import { timelineParserFor } from "../parsers";
import type { ParsedResult } from "../parsers/parsedResult";
import type { JobUsage, TimelineEntry, TimelineParser } from "../parsers/timeline";
import type { JobStore } from "../store/jobStore";
import type { Job } from "./jobTypes";

/** A runaway job cannot grow its timeline without bound; the raw log keeps what follows. */
export const MAX_TIMELINE_ENTRIES = 5000;

/**
 * One job's timeline: parses its stdout as it arrives, stores each entry as a `timeline` job
 * event (in the same transaction as the chunk that completed it, so a restart neither loses nor
 * repeats one) and publishes it to live subscribers. It reads the raw chunks, so it goes on after
 * the log reaches its cap.
 */
export class JobTimeline {
  private readonly decoder = new StringDecoder("utf8");
  private readonly parser: TimelineParser;
  private count: number;
  private sawResult: boolean;

  constructor(
    private readonly store: JobStore,
    private readonly bus: BrokerBus,
    private readonly job: Job,
  ) {
    this.parser = timelineParserFor(job.agentType);
    const stored = store.timeline(job.id);
    this.count = stored.length;
    this.sawResult = stored.some((e) => e.kind === "result");
    // A job re-adopted after a restart: the parser's state (a held paragraph, usage so far) is
    // rebuilt from the stored stdout; the entries that gives are stored already.
    if (job.logBytes > 0) this.parser.push(store.stdout(job.id));
  }

  write(chunk: Buffer): void {
    this.append(this.parser.push(this.decoder.write(chunk)));
  }

  /**
   * The output has ended: flushes the parser and, when the CLI printed no result event of its
   * own, adds the broker's parsed result (none when the job ended without one). Returns the usage.
   */
  end(parsed: ParsedResult | null): JobUsage | null {
    this.append([...this.parser.push(this.decoder.end()), ...this.parser.end()]);
    if (parsed && !this.sawResult) this.append([{ kind: "result", text: parsed.text, isError: parsed.isError }]);
    return this.parser.usage();
  }

  private append(entries: TimelineEntry[]): void {
    for (const entry of entries) {
      if (this.count > MAX_TIMELINE_ENTRIES) return;
      const capped: TimelineEntry =
        this.count === MAX_TIMELINE_ENTRIES
          ? { kind: "error", message: `timeline capped at ${MAX_TIMELINE_ENTRIES} entries; the log has what follows` }
          : entry;
      this.count++;
      if (capped.kind === "result") this.sawResult = true;
      this.bus.emit("jobEvent", this.job.id, this.store.appendEvent(this.job.id, "timeline", null, JSON.stringify(capped)));
    }
  }
}
