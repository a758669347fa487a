/**
 * From a stopped cluster to the first ready agent, on the real single-node cluster of .ci/cluster/:
 * `stop.sh`, then `start.sh` timed with each phase it logs (PKI, etcd, API server, containerd with
 * the system images, node Ready, kube-proxy, CoreDNS), then the fake agent image
 * (test/broker/fixtures/agent-image, the fake agent CLI) put into the cluster by load-image.sh,
 * which says whether containerd held it already (its images survive stop.sh), a namespace with its
 * default ServiceAccount, and one agent pod, with the tests' readiness probe (llpm-healthcheck every
 * second), created → Ready. Needs root.
 * It stops the cluster, which is shared: it refuses while any namespace starting with `llpm` exists
 * (a fleet's or a test's), and leaves the cluster running.
 * Rerun: npm run bench:kubernetes-start
 */
import { CoreV1Api } from "@kubernetes/client-node";
import { spawn } from "node:child_process";
import os from "node:os";
import { createInterface } from "node:readline";
import { KubernetesAgentFleet } from "../../test/support/kubernetes/agentFleet";
import { clusterScript, kubeConfigFrom, runScript, startCluster } from "../../test/support/kubernetes/cluster";
import { cleanUpOnInterrupt, runBench } from "./benchSupport";

/** start.sh's phase lines: `[cluster HH:MM:SS] <what> at <ms> ms`. */
const PHASE_LINE = /^\[cluster [\d:]+\] (.+) at (\d+) ms$/;

const seconds = (x: number) => `${(x / 1000).toFixed(1)} s`;

async function timed<T>(step: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await step();
  return [value, performance.now() - t];
}

/** Names of the namespaces someone's fleet or tests use (`llpm-<stack>`, `llpmt-…`). */
async function llpmNamespaces(kubeconfigPath: string): Promise<string[]> {
  const core = kubeConfigFrom(kubeconfigPath).makeApiClient(CoreV1Api);
  return (await core.listNamespace()).items.map((ns) => ns.metadata!.name!).filter((name) => name.startsWith("llpm"));
}

/** Runs start.sh, its log passed through; resolves with the kubeconfig path it prints and the phases it logged. */
function startClusterLogged(): Promise<{ kubeconfigPath: string; phases: { what: string; atMs: number }[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(clusterScript("start.sh"), [], { stdio: ["ignore", "pipe", "pipe"] });
    const phases: { what: string; atMs: number }[] = [];
    let stdout = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    createInterface({ input: child.stderr }).on("line", (line) => {
      process.stderr.write(`${line}\n`);
      const m = PHASE_LINE.exec(line);
      if (m) phases.push({ what: m[1], atMs: Number(m[2]) });
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve({ kubeconfigPath: stdout.trim().split("\n").pop()!, phases }) : reject(new Error(`start.sh exited with ${code}`))));
  });
}

async function main() {
  const fleet = new KubernetesAgentFleet();
  const cleanup = () => fleet.cleanup();
  cleanUpOnInterrupt(cleanup);
  try {
    // Also builds the toolchain when missing, before anything is stopped.
    const users = await llpmNamespaces(await startCluster());
    if (users.length) throw new Error(`not stopping the shared cluster: namespaces ${users.join(", ")} are in use (a fleet's or a test's)`);

    console.log("stopping the cluster");
    const [, stopMs] = await timed(() => runScript(clusterScript("stop.sh")));
    console.log("starting it");
    const [{ kubeconfigPath, phases }, startMs] = await timed(startClusterLogged);
    fleet.connect(kubeconfigPath);
    const [imageLog, imageMs] = await timed(() => fleet.loadAgentImage());
    const [, namespaceMs] = await timed(() => fleet.createNamespace());
    const [, podMs] = await timed(() => fleet.startAgent("aider", 1));

    console.log(`\ncluster start → first ready agent (real single-node cluster, fake agent CLI, ${os.cpus().length} cores)`);
    console.log(`  stop.sh (before)                       ${seconds(stopMs)}`);
    console.log(`  start.sh                               ${seconds(startMs)}`);
    for (const p of phases) console.log(`    ${p.what.padEnd(36)} at ${seconds(p.atMs)}`);
    console.log(`  fake agent image into the cluster      ${seconds(imageMs)} (load-image.sh: ${imageLog})`);
    console.log(`  namespace + default ServiceAccount     ${seconds(namespaceMs)}`);
    console.log(`  agent pod created → Ready              ${seconds(podMs)}`);
    console.log(`  start.sh begun → first agent Ready     ${seconds(startMs + imageMs + namespaceMs + podMs)}`);
    console.log("rerun: npm run bench:kubernetes-start");
  } finally {
    await cleanup();
  }
}

runBench(main);
