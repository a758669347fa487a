/**
 * `kubectl port-forward` to a pod, as a user runs it: the cluster's own kubectl, a free local port
 * on 127.0.0.1, stopped by the caller.
 */
import { spawn } from "node:child_process";
import { kubectlPath } from "./cluster";
import { waitFor } from "../waitFor";

export interface PortForward {
  localPort: number;
  stop(): void;
}

export async function portForward(kubeconfig: string, namespace: string, pod: string, podPort: number): Promise<PortForward> {
  const child = spawn(await kubectlPath(), ["-n", namespace, "port-forward", `pod/${pod}`, `:${podPort}`], {
    env: { ...process.env, KUBECONFIG: kubeconfig },
  });
  let output = "";
  child.stdout.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr.on("data", (b: Buffer) => (output += b.toString()));
  const stop = () => void child.kill();
  try {
    // kubectl prints "Forwarding from 127.0.0.1:<local> -> <podPort>" once it listens.
    const localPort = await waitFor(`kubectl port-forward to ${pod}:${podPort}`, () => {
      if (child.exitCode !== null) throw new Error(`kubectl port-forward exited ${child.exitCode}: ${output}`);
      const found = new RegExp(`Forwarding from 127\\.0\\.0\\.1:(\\d+) -> ${podPort}`).exec(output);
      return found ? Number(found[1]) : undefined;
    }, 30_000);
    return { localPort, stop };
  } catch (err) {
    stop();
    throw err;
  }
}
