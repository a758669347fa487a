/** What every command gets: a lazily resolved broker client and where to write. */
import { BrokerClient } from "./brokerClient";
import { resolveBrokerTarget } from "./brokerTarget";
import { paintFor, type Paint } from "./render/colour";

export interface CommandContext {
  client(): Promise<BrokerClient>;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Colours for `out`: only on a terminal. */
  paint: Paint;
}

export function processContext(globalOptions: () => { stack?: string }): CommandContext {
  let client: Promise<BrokerClient> | undefined;
  return {
    client: () => (client ??= resolveBrokerTarget(globalOptions(), process.env).then((t) => new BrokerClient(t))),
    out: process.stdout,
    err: process.stderr,
    paint: paintFor(process.stdout),
  };
}

export const jobPath = (id: string) => `/jobs/${encodeURIComponent(id)}`;
