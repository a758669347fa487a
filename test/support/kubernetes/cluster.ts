/**
 * The real single-node cluster of `.ci/cluster/` for tests: started (or reused when healthy) by its
 * own script, images loaded into its containerd, and a client for its API.
 */
import { CoreV1Api, Exec, KubeConfig, type V1Status } from "@kubernetes/client-node";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { promisify } from "node:util";

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, "../../..");
export const clusterScript = (name: string) => path.join(repoRoot, ".ci/cluster", name);

/** A toolchain or cluster script's stdout and its progress log (stderr); a failure says why. */
async function runScriptOutput(script: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(script, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${path.relative(repoRoot, script)} failed: ${e.stderr?.trim().split("\n").slice(-30).join("\n") || e.message}`);
  }
}

/** The last line a toolchain or cluster script prints on stdout is the path it made. */
export async function runScript(script: string, args: string[] = []): Promise<string> {
  const { stdout } = await runScriptOutput(script, args);
  return stdout.trim().split("\n").pop() ?? "";
}

/**
 * How long a `before` hook that starts the cluster may take: on a fresh machine the toolchain
 * (Kubernetes, etcd, CoreDNS, the Pulumi provider) builds from the registries first, about 35 min
 * on two cores, while CI's background build of it may already be under way.
 */
export const CLUSTER_SETUP_TIMEOUT_MS = 60 * 60 * 1000;

/**
 * Builds what the cluster needs (cached: seconds) and starts it, or reuses the running one; returns
 * the admin kubeconfig's path. Never skips: without the toolchain the test fails saying why.
 */
export async function startCluster(): Promise<string> {
  await runScript(path.join(repoRoot, ".ci/toolchain/kubernetes-all.sh"));
  return runScript(clusterScript("start.sh"));
}

/** The cluster's DNS domain, as .ci/cluster/config.sh sets it for the kubelet and CoreDNS. */
export const CLUSTER_DOMAIN = (() => {
  const found = /^CLUSTER_DOMAIN=(\S+)$/m.exec(readFileSync(clusterScript("config.sh"), "utf8"));
  if (!found) throw new Error(".ci/cluster/config.sh sets no CLUSTER_DOMAIN");
  return found[1];
})();

/** The cluster's own kubectl: the toolchain's pinned build, in the folder .ci/cluster/config.sh names. */
export async function kubectlPath(): Promise<string> {
  const { stdout } = await run("bash", ["-c", `source ${clusterScript("config.sh")} && echo "$K8S_BIN"`]);
  return path.join(stdout.trim(), "kubectl");
}

/** Resolves with what load-image.sh logged: each image loaded in N s, or already loaded. */
export async function loadImages(...images: string[]): Promise<string> {
  return (await runScriptOutput(clusterScript("load-image.sh"), images)).stderr.trim();
}

export function kubeConfigFrom(file: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

/** Resolves once namespace `name` no longer exists (404), or fails after `timeoutMs`. */
export async function waitForNamespaceGone(core: CoreV1Api, name: string, timeoutMs = 120000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await core.readNamespace({ name });
    } catch (err) {
      if ((err as { code?: number }).code === 404) return;
      throw err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`namespace ${name} still exists after ${timeoutMs} ms`);
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The API's final status: `Success`, or `Failure` with the exit code in its details. */
  status: V1Status;
}

/** Runs `command` in a pod's container through the API's exec (WebSocket), with optional stdin. */
export function execInPod(kc: KubeConfig, namespace: string, pod: string, container: string, command: string[], stdin?: string): Promise<ExecResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (b: Buffer) => out.push(b));
  stderr.on("data", (b: Buffer) => err.push(b));
  return new Promise((resolve, reject) => {
    new Exec(kc)
      .exec(namespace, pod, container, command, stdout, stderr, stdin === undefined ? null : Readable.from([Buffer.from(stdin)]), false, (status) =>
        resolve({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), status }),
      )
      .then((ws) => ws.on("error", reject), reject);
  });
}

/** The exit code an exec's status reports (0 for `Success`). */
export function exitCode(status: V1Status): number {
  if (status.status === "Success") return 0;
  const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
  if (!cause?.message) throw new Error(`exec failed without an exit code: ${JSON.stringify(status)}`);
  return Number(cause.message);
}
