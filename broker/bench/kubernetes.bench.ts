/**
 * Broker dispatch overhead on Kubernetes: HTTP request → process started in the agent pod (p50,
 * p95), beside a raw API exec (@kubernetes/client-node's Exec, a WebSocket through the API server)
 * of the same `llpm-run-job` with the same stdin, alternating on the same pod in the same run.
 * The broker runs compiled (`node broker/dist/broker/src/main.js`, as in its image) with LLPM_RUNTIME=kubernetes
 * against the real single-node cluster of .ci/cluster/ (needs root and the cluster's toolchain).
 * Rerun: npm run bench:kubernetes   (BENCH_DISPATCH_SAMPLES tunes the size)
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execInPod, exitCode } from "../../test/support/kubernetes/cluster";
import { AGENT_CONTAINER, KubernetesAgentFleet } from "../../test/support/kubernetes/agentFleet";
import { waitFor } from "../../test/support/waitFor";
import { compileBroker, measureDispatch, printDispatch, runBench, spawnBroker } from "./benchSupport";

const DISPATCH_SAMPLES = Number(process.env.BENCH_DISPATCH_SAMPLES ?? 40);
const AGENT = "aider-1";

async function main() {
  const fleet = new KubernetesAgentFleet();
  const dbDir = mkdtempSync(path.join(os.tmpdir(), "llpmt-krt-bench-"));
  let broker: ChildProcess | null = null;
  try {
    console.log("preparing: cluster, fake agent image loaded into it, one agent pod, compiled broker");
    await fleet.prepare();
    compileBroker();
    // A whole core, not the tests' quarter: throttling would swamp the overhead being measured.
    await fleet.startAgent("aider", 1, { noHealthcheck: true, cpuLimit: "1" });
    const spawned = await spawnBroker({ ...fleet.brokerEnv(), LLPM_STACK: fleet.stack, BROKER_DB: path.join(dbDir, "broker.db") });
    broker = spawned.child;
    const { api } = spawned;
    await waitFor("broker to see the agent ready", async () => (await api.call<{ state: string }>("GET", `/agents/${AGENT}`)).state === "ready", 60000);

    const dispatch = await measureDispatch(api, AGENT, DISPATCH_SAMPLES, async (i) => {
      const raw = await execInPod(fleet.kc, fleet.namespace, AGENT, AGENT_CONTAINER, ["llpm-run-job", "--job-id", `raw-${i}`, "--timeout", "60"], "#now");
      if (exitCode(raw.status) !== 0) throw new Error(`raw exec failed: ${raw.stderr}`);
      return raw.stdout;
    });

    console.log("\nllpm broker benchmark on Kubernetes (real single-node cluster, fake agent CLI, %d cores)", os.cpus().length);
    printDispatch("pod", "raw API exec", dispatch);
    console.log("rerun: npm run bench:kubernetes");
  } finally {
    broker?.kill("SIGTERM");
    await fleet.cleanup();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

runBench(main);
