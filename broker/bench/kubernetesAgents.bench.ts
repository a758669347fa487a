/**
 * The broker's Kubernetes discovery and `GET /agents` with many agents: BENCH_AGENTS (200) pods of
 * the fake agent image (test/broker/fixtures/agent-image; the fake agent CLI, the four agent types
 * in turn) created in parallel in a namespace of their own on the real single-node cluster of
 * .ci/cluster/, with a compiled broker (`node broker/dist/broker/src/main.js`, LLPM_RUNTIME=kubernetes) running
 * and watching meanwhile. Measures:
 *   - how long the cluster took to make every pod Ready (seen by a watch of our own), and how long
 *     the broker's discovery took to list every agent `ready` (polled every 100 ms), both from the
 *     first create, and the broker's lag behind the last pod's Ready;
 *   - a fresh broker started with all the pods there: process start → every agent listed `ready`;
 *   - `GET /agents` with all of them (200 calls one after another): p50, p95 (aim p50 < 10 ms);
 *   - the broker's resident memory.
 * The node has 2 cores, so the pods request 1m CPU and 16Mi (limits as the tests'), and carry no
 * readiness probe: an exec probe for each of 200 pods would take the CPU being measured (the broker
 * counts such a pod ready once its container runs). The kubelet must allow that many pods
 * (maxPods in .ci/cluster/start.sh; the benchmark checks the room first). Needs root.
 * Rerun: npm run bench:kubernetes-agents   (BENCH_AGENTS, BENCH_CREATE_CONCURRENCY tune it)
 */
import { Watch, type V1Pod } from "@kubernetes/client-node";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { AGENT_TYPES } from "../../contract/agentTypes";
import { KubernetesAgentFleet } from "../../test/support/kubernetes/agentFleet";
import { waitFor } from "../../test/support/waitFor";
import type { AgentView } from "../src/agents/agentView";
import { cleanUpOnInterrupt, type Client, compileBroker, inParallel, measureCalls, ms, pct, residentMiB, runBench, spawnBroker } from "./benchSupport";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 200);
const CREATE_CONCURRENCY = Number(process.env.BENCH_CREATE_CONCURRENCY ?? 16);
const LIST_SAMPLES = 200;
const TINY_REQUESTS = { cpu: "1m", memory: "16Mi" };
const READY_TIMEOUT_MS = 15 * 60 * 1000;

const seconds = (x: number) => `${(x / 1000).toFixed(1)} s`;
const isReady = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

/** Fails at once, saying why, when the node cannot take that many more pods (rather than leaving them Pending). */
async function checkRoom(fleet: KubernetesAgentFleet, wanted: number): Promise<void> {
  const nodes = (await fleet.core.listNode()).items;
  const allowed = nodes.reduce((n, node) => n + Number(node.status?.allocatable?.pods ?? 0), 0);
  const pods = (await fleet.core.listPodForAllNamespaces()).items.filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
  if (allowed - pods.length < wanted) {
    throw new Error(
      `the node allows ${allowed} pods and ${pods.length} exist: no room for ${wanted} more. ` +
        "maxPods is set in .ci/cluster/start.sh's kubelet config; a running cluster takes a new value only when started afresh (stop.sh, start.sh)",
    );
  }
}

const readyAgents = async (api: Client) => (await api.call<AgentView[]>("GET", "/agents")).filter((a) => a.state === "ready").length;

async function main() {
  const fleet = new KubernetesAgentFleet();
  const dbDir = mkdtempSync(path.join(os.tmpdir(), "llpmt-kag-bench-"));
  const brokers: ChildProcess[] = [];
  let watch: AbortController | undefined;
  const cleanup = async () => {
    watch?.abort();
    for (const b of brokers) b.kill("SIGTERM");
    const t = performance.now();
    await fleet.cleanup(READY_TIMEOUT_MS);
    console.log(`cleanup: namespace ${fleet.namespace} and its pods deleted in ${seconds(performance.now() - t)}`);
    rmSync(dbDir, { recursive: true, force: true });
  };
  cleanUpOnInterrupt(cleanup);
  try {
    console.log(`preparing: cluster, fake agent image loaded into it, namespace ${fleet.namespace}, compiled broker`);
    await fleet.prepare();
    await checkRoom(fleet, AGENTS);
    compileBroker();
    const spawnInNamespace = (db: string) => spawnBroker({ ...fleet.brokerEnv(), LLPM_STACK: fleet.stack, BROKER_DB: path.join(dbDir, db) });
    const watching = await spawnInNamespace("watching.db");
    brokers.push(watching.child);
    await waitFor("broker to answer", async () => (await watching.api.call<AgentView[]>("GET", "/agents")).length === 0, 30000);

    // Our own watch sees when each pod turns Ready, without polling 200 pods.
    const readyAt = new Map<string, number>();
    let t0 = 0;
    watch = await new Watch(fleet.kc).watch(
      `/api/v1/namespaces/${fleet.namespace}/pods`,
      {},
      (_type, pod: V1Pod) => {
        if (isReady(pod) && !readyAt.has(pod.metadata!.name!)) readyAt.set(pod.metadata!.name!, performance.now() - t0);
      },
      () => undefined,
    );

    console.log(`creating ${AGENTS} agent pods, ${CREATE_CONCURRENCY} at a time`);
    t0 = performance.now();
    // Together: a failed create ends the benchmark at once rather than after the wait's timeout.
    const [createdMs, brokerReadyMs] = await Promise.all([
      inParallel(AGENTS, CREATE_CONCURRENCY, (i) =>
        fleet.createAgent(AGENT_TYPES[i % AGENT_TYPES.length], Math.floor(i / AGENT_TYPES.length) + 1, { noHealthcheck: true, requests: TINY_REQUESTS }),
      ).then(() => performance.now() - t0),
      waitFor(`the broker to list ${AGENTS} agents ready`, async () => (await readyAgents(watching.api)) === AGENTS && performance.now() - t0, READY_TIMEOUT_MS),
    ]);
    await waitFor("our watch to see every pod Ready", () => readyAt.size === AGENTS, 30000);
    const clusterReadyMs = Math.max(...readyAt.values());
    watching.child.kill("SIGTERM");

    const fresh = await spawnInNamespace("fresh.db");
    brokers.push(fresh.child);
    const t1 = performance.now();
    await waitFor(`a fresh broker to list ${AGENTS} agents ready`, async () => (await readyAgents(fresh.api)) === AGENTS, 120000);
    const freshMs = performance.now() - t1;

    const list = await measureCalls(fresh.api, "GET", "/agents", LIST_SAMPLES);
    const rss = residentMiB(fresh.child.pid!);

    console.log(`\nllpm broker on Kubernetes with ${AGENTS} agents (real single-node cluster, fake agent CLI, ${os.cpus().length} cores)`);
    console.log(`${AGENTS} pods created (${CREATE_CONCURRENCY} at a time) in ${seconds(createdMs)}; all Ready (our watch) after ${seconds(clusterReadyMs)}`);
    console.log(`the watching broker listed all ${AGENTS} ready after ${seconds(brokerReadyMs)}: ${ms(brokerReadyMs - clusterReadyMs)} after the last pod's Ready (polled every 100 ms)`);
    console.log(`a fresh broker, process start → all ${AGENTS} listed ready: ${seconds(freshMs)}`);
    console.log(`GET /agents with ${AGENTS} agents (${LIST_SAMPLES} calls): p50 ${ms(pct(list, 50))}  p95 ${ms(pct(list, 95))} (aim p50 < 10 ms)`);
    console.log(`broker resident memory: ${rss}`);
    console.log("rerun: npm run bench:kubernetes-agents");
  } finally {
    await cleanup();
  }
}

runBench(main);
