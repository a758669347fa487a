/**
 * Broker benchmark against the real Docker engine, each broker figure beside the raw dockerode
 * exec it wraps, measured in the same run on the same containers:
 *   - dispatch overhead: HTTP request → process started in the container (p50, p95)
 *   - 1,000 trivial jobs over 10 agents, and jobs lost (must be 0)
 *   - GET /agents latency with 100 agents
 *   - the broker's resident memory
 * The broker runs compiled (`node broker/dist/broker/src/main.js`, as in its image) in its own process.
 * Rerun: npm run bench:broker   (BENCH_JOBS, BENCH_DISPATCH_SAMPLES, BENCH_AGENTS tune the sizes)
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Duplex } from "node:stream";
import Docker from "dockerode";
import { TestFleet } from "../../test/broker/support/testFleet";
import { waitFor } from "../../test/support/waitFor";
import { compileBroker, measureCalls, measureDispatch, ms, pct, printDispatch, residentMiB, runBench, spawnBroker, TOKEN, type JobView } from "./benchSupport";

const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const DISPATCH_SAMPLES = Number(process.env.BENCH_DISPATCH_SAMPLES ?? 40);
const TOTAL_AGENTS = Number(process.env.BENCH_AGENTS ?? 100);
const WORKERS = 10;
const LIST_SAMPLES = 200;

/** Raw dockerode exec of the same llpm-run-job with the same stdin; resolves with its stdout. */
async function rawExec(docker: Docker, container: string, jobId: string, prompt: string): Promise<string> {
  const exec = await docker.getContainer(container).exec({
    Cmd: ["llpm-run-job", "--job-id", jobId, "--timeout", "60"],
    WorkingDir: "/workspace",
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
  let out = "";
  const { PassThrough } = await import("node:stream");
  const stdout = new PassThrough();
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  docker.modem.demuxStream(stream, stdout, new PassThrough());
  stream.end(prompt);
  await new Promise((r) => stream.on("end", r));
  return out;
}

async function main() {
  const fleet = new TestFleet();
  const dbDir = mkdtempSync(path.join(os.tmpdir(), "llpmt-brk-bench-"));
  let broker: ChildProcess | null = null;
  try {
    console.log(`preparing: fake agent image, ${TOTAL_AGENTS} agent containers, compiled broker`);
    await fleet.prepare();
    compileBroker();
    for (let i = 1; i <= TOTAL_AGENTS; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, TOTAL_AGENTS - i + 1) }, (_, k) => {
          const n = i + k;
          return n <= WORKERS ? fleet.startAgent("aider", n, { noHealthcheck: true }) : fleet.startAgent("opencode", n, { noHealthcheck: true });
        }),
      );
    }
    const spawned = await spawnBroker({ LLPM_STACK: fleet.stack, BROKER_DB: path.join(dbDir, "broker.db") });
    broker = spawned.child;
    const { api, port } = spawned;
    await waitFor(`broker to list ${TOTAL_AGENTS} agents`, async () => (await api.call<unknown[]>("GET", "/agents")).length === TOTAL_AGENTS, 60000);
    const docker = fleet.docker;
    const bench1 = fleet.containerName("aider-1");

    // 1. Dispatch overhead.
    const dispatch = await measureDispatch(api, "aider-1", DISPATCH_SAMPLES, (i) => rawExec(docker, bench1, `raw-${i}`, "#now"));

    // 2. 1,000 trivial jobs over 10 agents, against raw execs at the same concurrency.
    let t = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < JOBS; i++) ids.push((await api.call<JobView>("POST", "/jobs", { agentType: "aider", prompt: `trivial ${i}` })).id);
    const submitted = performance.now() - t;
    const countFinal = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
      return ["completed", "failed", "cancelled", "timed_out"].reduce(
        (n, s) => n + Number(new RegExp(`^llpm_broker_jobs\\{state="${s}"\\} (\\d+)$`, "m").exec(text)?.[1] ?? 0),
        0,
      );
    };
    await waitFor(`${JOBS} jobs to finish`, async () => (await countFinal()) >= JOBS + DISPATCH_SAMPLES, 600000);
    const brokerBatch = performance.now() - t;
    let lost = 0;
    for (const [i, id] of ids.entries()) {
      const j = await api.call<JobView>("GET", `/jobs/${id}`);
      if (j.state !== "completed" || j.result !== `echo: trivial ${i}`) lost++;
    }
    t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        while (next < JOBS) {
          const i = next++;
          await rawExec(docker, fleet.containerName(`aider-${w + 1}`), `rawbatch-${i}`, `trivial ${i}`);
        }
      }),
    );
    const rawBatch = performance.now() - t;

    // 3. GET /agents with 100 agents.
    const list = await measureCalls(api, "GET", "/agents", LIST_SAMPLES);

    // 4. Resident memory of the broker process.
    const rss = residentMiB(broker.pid!);

    console.log("\nllpm broker benchmark (real Docker engine, fake agent CLI, %d cores)", os.cpus().length);
    printDispatch("container", "raw exec", dispatch);
    console.log(`${JOBS} trivial jobs over ${WORKERS} agents:`);
    console.log(`  broker   ${(brokerBatch / 1000).toFixed(1)} s (${(JOBS / (brokerBatch / 1000)).toFixed(0)} jobs/s; submitting took ${(submitted / 1000).toFixed(1)} s), lost ${lost}`);
    console.log(`  raw exec ${(rawBatch / 1000).toFixed(1)} s (${(JOBS / (rawBatch / 1000)).toFixed(0)} jobs/s) at concurrency ${WORKERS}`);
    console.log(`GET /agents with ${TOTAL_AGENTS} agents (${LIST_SAMPLES} calls): p50 ${ms(pct(list, 50))}  p95 ${ms(pct(list, 95))} (aim p50 < 10 ms)`);
    console.log(`broker resident memory: ${rss}`);
    console.log("rerun: npm run bench:broker");
    if (lost > 0) process.exitCode = 1;
  } finally {
    broker?.kill("SIGTERM");
    await fleet.cleanup();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

runBench(main);
