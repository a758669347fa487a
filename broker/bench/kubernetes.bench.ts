/**
 * Broker dispatch overhead on Kubernetes: HTTP request → process started in the agent pod (p50,
 * p95), beside a raw API exec (@kubernetes/client-node's Exec, a WebSocket through the API server)
 * of the same `llpm-run-job` with the same stdin, alternating on the same pod in the same run.
 * The broker runs compiled (`node broker/dist/main.js`, as in its image) with LLPM_RUNTIME=kubernetes
 * against the real single-node cluster of .ci/cluster/ (needs root and the cluster's toolchain).
 * Rerun: npm run bench:kubernetes   (BENCH_DISPATCH_SAMPLES tunes the size)
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execInPod, exitCode } from "../../test/support/kubernetes/cluster";
import { AGENT_CONTAINER, KubernetesAgentFleet } from "../../test/support/kubernetes/agentFleet";
import { waitFor } from "../../test/support/waitFor";
import { Client, freePort, ms, pct, startedAt, TOKEN, wallNs, type JobView } from "./benchSupport";

const DISPATCH_SAMPLES = Number(process.env.BENCH_DISPATCH_SAMPLES ?? 40);
const ROOT = path.join(__dirname, "../..");
const AGENT = "aider-1";

async function main() {
  const fleet = new KubernetesAgentFleet();
  const dbDir = mkdtempSync(path.join(os.tmpdir(), "llpmt-krt-bench-"));
  let broker: ChildProcess | null = null;
  try {
    console.log("preparing: cluster, fake agent image loaded into it, one agent pod, compiled broker");
    await fleet.prepare();
    execFileSync("npx", ["tsc", "-p", "broker"], { cwd: ROOT, stdio: "inherit" });
    // A whole core, not the tests' quarter: throttling would swamp the overhead being measured.
    await fleet.startAgent("aider", 1, { noHealthcheck: true, cpuLimit: "1" });
    const port = await freePort();
    broker = spawn(process.execPath, ["broker/dist/main.js"], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        ...fleet.brokerEnv(),
        BROKER_TOKEN: TOKEN,
        LLPM_STACK: fleet.stack,
        BROKER_PORT: String(port),
        BROKER_DB: path.join(dbDir, "broker.db"),
        BROKER_LOG_LEVEL: "warn",
      },
    });
    const api = new Client(`http://127.0.0.1:${port}`);
    await waitFor("broker to see the agent ready", async () => (await api.call<{ state: string }>("GET", `/agents/${AGENT}`)).state === "ready", 60000);

    const viaBroker: number[] = [];
    const viaRaw: number[] = [];
    for (let i = 0; i < DISPATCH_SAMPLES; i++) {
      let t0 = wallNs();
      const job = await api.call<JobView>("POST", `/agents/${AGENT}/jobs`, { prompt: "#now" });
      const done = await waitFor("dispatch job", async () => {
        const j = await api.call<JobView>("GET", `/jobs/${job.id}`);
        return j.state === "completed" && j;
      });
      viaBroker.push(Number(startedAt(done.log) - t0) / 1e6);
      t0 = wallNs();
      const raw = await execInPod(fleet.kc, fleet.namespace, AGENT, AGENT_CONTAINER, ["llpm-run-job", "--job-id", `raw-${i}`, "--timeout", "60"], "#now");
      if (exitCode(raw.status) !== 0) throw new Error(`raw exec failed: ${raw.stderr}`);
      viaRaw.push(Number(startedAt(raw.stdout) - t0) / 1e6);
    }

    const p50b = pct(viaBroker, 50);
    const p50r = pct(viaRaw, 50);
    console.log("\nllpm broker benchmark on Kubernetes (real single-node cluster, fake agent CLI, %d cores)", os.cpus().length);
    console.log(`dispatch overhead, request → process started in the pod (${DISPATCH_SAMPLES} samples):`);
    console.log(`  broker       p50 ${ms(p50b)}  p95 ${ms(pct(viaBroker, 95))}`);
    console.log(`  raw API exec p50 ${ms(p50r)}  p95 ${ms(pct(viaRaw, 95))}`);
    console.log(`  ratio        p50 ${(p50b / p50r).toFixed(2)}x (aim ≤ 1.2x)`);
    console.log("rerun: npm run bench:kubernetes");
  } finally {
    broker?.kill("SIGTERM");
    await fleet.cleanup();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
