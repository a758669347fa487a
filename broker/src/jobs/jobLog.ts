import { StringDecoder } from "node:string_decoder";
import type { BrokerBus } from "../events/bus";
import type { JobStore } from "../store/jobStore";
import type { LogStream } from "./jobTypes";
import { fitChunk, truncationMarker } from "./logCap";

/**
 * One job's log: appends stdout/stderr to SQLite under the size cap and publishes each stored
 * chunk to live subscribers. Decoders are per stream so a UTF-8 character split across two
 * chunks is joined, not mangled.
 */
export class JobLog {
  private readonly decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  private used: number;
  /** The end of stdout, kept apart from the capped log because results come last. */
  private stdoutTail = "";
  private truncated: boolean;

  constructor(
    private readonly store: JobStore,
    private readonly bus: BrokerBus,
    private readonly jobId: string,
    private readonly capBytes: number,
    already: { logBytes: number; logTruncated: boolean },
  ) {
    this.used = already.logBytes;
    this.truncated = already.logTruncated;
    // A job re-adopted after a broker restart keeps the output captured before it.
    if (already.logBytes > 0) this.keepTail(store.stdout(jobId));
  }

  write(stream: "stdout" | "stderr", chunk: Buffer): void {
    const text = this.decoders[stream].write(chunk);
    if (stream === "stdout") this.keepTail(text);
    this.append(stream, text);
  }

  /** Stdout for the result parser: complete unless it outgrew the cap, then its last cap bytes. */
  stdout(): string {
    return this.stdoutTail;
  }

  private keepTail(text: string): void {
    this.stdoutTail += text;
    if (this.stdoutTail.length > this.capBytes) this.stdoutTail = this.stdoutTail.slice(-this.capBytes);
  }

  note(text: string): void {
    this.append("broker", `[llpm-broker] ${text}\n`);
  }

  flush(): void {
    const rest = { stdout: this.decoders.stdout.end(), stderr: this.decoders.stderr.end() };
    this.keepTail(rest.stdout);
    this.append("stdout", rest.stdout);
    this.append("stderr", rest.stderr);
  }

  private append(stream: LogStream, text: string): void {
    if (!text || this.truncated) return;
    const { keep, truncate } = fitChunk(this.used, this.capBytes, text);
    if (keep) this.publish(stream, keep, false);
    if (truncate) {
      this.truncated = true;
      this.publish("broker", truncationMarker(this.capBytes), true);
    }
  }

  private publish(stream: LogStream, data: string, truncated: boolean): void {
    const event = this.store.appendEvent(this.jobId, "log", stream, data, truncated);
    this.used += Buffer.byteLength(data);
    this.bus.emit("jobEvent", this.jobId, event);
  }
}
