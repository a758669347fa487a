/** What the broker benchmarks share: a broker client, a free port, percentiles and the fake CLI's start stamp. */
import net from "node:net";

export const TOKEN = "bench-broker-token-0123456789abcdef";

/** Wall-clock nanoseconds, comparable with `date +%s%N` inside an agent on this machine. */
export const wallNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
export const ms = (x: number) => `${x.toFixed(2)} ms`;
/** When the fake CLI's `#now` directive ran, from its output. */
export const startedAt = (text: string) => BigInt(/started-at-ns (\d+)/.exec(text)![1]);

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export class Client {
  constructor(private readonly base: string) {}
  async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + route, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${route}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

export interface JobView {
  id: string;
  state: string;
  result: string | null;
  log: string;
}
