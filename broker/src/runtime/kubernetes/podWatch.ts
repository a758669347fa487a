import { Watch, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";

export type PodEvent = { type: "ADDED" | "MODIFIED" | "DELETED"; pod: V1Pod };

const RECONNECT_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Watches the pods of a namespace that match a label selector until the returned function is
 * called. Each (re)connection starts without a resourceVersion, so the API first replays every
 * current pod as ADDED: a reconnect catches up on changes it missed, except deletions, which the
 * broker's periodic rediscovery covers.
 */
export function watchPods(kc: KubeConfig, namespace: string, labelSelector: string, log: Logger, onEvent: (event: PodEvent) => void): () => void {
  const watch = new Watch(kc);
  let stopped = false;
  let current: AbortController | null = null;
  const once = () =>
    new Promise<void>((resolve) => {
      const handle = (type: string, obj: unknown) => {
        if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") onEvent({ type, pod: obj as V1Pod });
        else if (type === "ERROR") log.warn({ status: obj }, "kubernetes pod watch reported an error; reconnecting");
      };
      const ended = (err: unknown) => {
        if (err && !stopped) log.warn({ err }, "kubernetes pod watch ended; reconnecting");
        resolve();
      };
      watch.watch(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, { labelSelector }, handle, ended).then(
        (controller) => {
          current = controller;
          if (stopped) controller.abort();
        },
        (err: unknown) => ended(err ?? new Error("watch request failed")),
      );
    });
  void (async () => {
    while (!stopped) {
      await once();
      if (!stopped) await sleep(RECONNECT_MS);
    }
  })();
  return () => {
    stopped = true;
    current?.abort();
  };
}
