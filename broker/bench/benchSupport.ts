/** What the broker benchmarks share: the compiled broker in its own process, its client, percentiles, the dispatch measurement. */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { waitFor } from "../../test/support/waitFor";

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

const ROOT = path.join(__dirname, "../..");

/** Compiles the broker as its image does (`tsc -p broker` into broker/dist). */
export function compileBroker(): void {
  execFileSync("npx", ["tsc", "-p", "broker"], { cwd: ROOT, stdio: "inherit" });
}

/** The compiled broker (`node broker/dist/broker/src/main.js`, as in its image) in its own process on 127.0.0.1. */
export async function spawnBroker(env: Record<string, string>): Promise<{ child: ChildProcess; api: Client; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["broker/dist/broker/src/main.js"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, BROKER_TOKEN: TOKEN, BROKER_PORT: String(port), BROKER_LOG_LEVEL: "warn", ...env },
  });
  return { child, api: new Client(`http://127.0.0.1:${port}`), port };
}

/**
 * Dispatch overhead: request → the fake CLI's `#now` in the agent, through the broker and through
 * `raw` (a direct exec of the same llpm-run-job, resolving with its stdout), alternating so that
 * drift hits both alike. Milliseconds per sample.
 */
export async function measureDispatch(api: Client, agentId: string, samples: number, raw: (i: number) => Promise<string>): Promise<{ viaBroker: number[]; viaRaw: number[] }> {
  const viaBroker: number[] = [];
  const viaRaw: number[] = [];
  for (let i = 0; i < samples; i++) {
    let t0 = wallNs();
    const job = await api.call<JobView>("POST", `/agents/${agentId}/jobs`, { prompt: "#now" });
    const done = await waitFor("dispatch job", async () => {
      const j = await api.call<JobView>("GET", `/jobs/${job.id}`);
      return j.state === "completed" && j;
    });
    viaBroker.push(Number(startedAt(done.log) - t0) / 1e6);
    t0 = wallNs();
    viaRaw.push(Number(startedAt(await raw(i)) - t0) / 1e6);
  }
  return { viaBroker, viaRaw };
}

export function printDispatch(where: string, rawName: string, { viaBroker, viaRaw }: { viaBroker: number[]; viaRaw: number[] }): void {
  const p50b = pct(viaBroker, 50);
  const p50r = pct(viaRaw, 50);
  const pad = (s: string) => s.padEnd(rawName.length);
  console.log(`dispatch overhead, request → process started in the ${where} (${viaBroker.length} samples):`);
  console.log(`  ${pad("broker")} p50 ${ms(p50b)}  p95 ${ms(pct(viaBroker, 95))}`);
  console.log(`  ${rawName} p50 ${ms(p50r)}  p95 ${ms(pct(viaRaw, 95))}`);
  console.log(`  ${pad("ratio")} p50 ${(p50b / p50r).toFixed(2)}x (aim ≤ 1.2x)`);
}

/** A process's resident memory, from /proc. */
export function residentMiB(pid: number): string {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]);
  return `${(kb / 1024).toFixed(1)} MiB`;
}

/** Milliseconds per call of `route`, `samples` calls one after another. */
export async function measureCalls(api: Client, method: string, route: string, samples: number): Promise<number[]> {
  const took: number[] = [];
  for (let i = 0; i < samples; i++) {
    const s = performance.now();
    await api.call(method, route);
    took.push(performance.now() - s);
  }
  return took;
}

/** Runs `task(0)` … `task(count - 1)` with at most `concurrency` under way at once. */
export async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/**
 * Runs `cleanup` when the benchmark is interrupted (Ctrl-C, SIGTERM), where `finally` blocks do not
 * run: what it made on a shared cluster must not outlive it.
 */
export function cleanUpOnInterrupt(cleanup: () => Promise<void>): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up`);
      cleanup().finally(() => process.exit(130));
    });
  }
}

export function runBench(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
