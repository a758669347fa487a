import { CoreV1Api, Watch, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";

export type PodEvent = { type: "ADDED" | "MODIFIED" | "DELETED"; pod: V1Pod };

const RECONNECT_MS = 1000;
/**
 * The API server ends each watch after this long and the watch starts again: a connection that
 * went quiet without closing (a dropped NAT entry, say) cannot stall updates for longer.
 */
export const WATCH_TIMEOUT_SECONDS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Watches the pods of a namespace that match a label selector until the returned function is
 * called, as an informer does: a list, then a watch from the list's resourceVersion, resumed from
 * the last version seen after each end (bookmarks keep it fresh), so no change between two
 * connections is lost. When that version has expired (410 Gone) it lists again, and reports the
 * pods that went in the meantime as DELETED.
 */
export function watchPods(
  kc: KubeConfig,
  namespace: string,
  labelSelector: string,
  log: Logger,
  onEvent: (event: PodEvent) => void,
  timeoutSeconds = WATCH_TIMEOUT_SECONDS,
): () => void {
  const core = kc.makeApiClient(CoreV1Api);
  const watch = new Watch(kc);
  const known = new Set<string>();
  let resourceVersion: string | undefined;
  let stopped = false;
  let current: AbortController | null = null;

  const emit = (event: PodEvent) => {
    const name = event.pod.metadata?.name;
    if (!name) return;
    if (event.type === "DELETED") known.delete(name);
    else known.add(name);
    onEvent(event);
  };

  const relist = async () => {
    const list = await core.listNamespacedPod({ namespace, labelSelector });
    const names = new Set(list.items.map((p) => p.metadata?.name));
    for (const name of [...known]) if (!names.has(name)) emit({ type: "DELETED", pod: { metadata: { name, namespace } } });
    for (const pod of list.items) emit({ type: "ADDED", pod });
    resourceVersion = list.metadata?.resourceVersion;
  };

  /** Resolves true when the watch ended in an error (not the server's timeout, nor our own stop). */
  const once = () =>
    new Promise<boolean>((resolve) => {
      const handle = (type: string, obj: unknown) => {
        if (type === "ERROR") {
          const status = obj as { code?: number };
          // The version is too old to resume from: list afresh.
          if (status.code === 410) resourceVersion = undefined;
          else log.warn({ status }, "kubernetes pod watch reported an error; reconnecting");
          return;
        }
        const pod = obj as V1Pod;
        if (pod.metadata?.resourceVersion) resourceVersion = pod.metadata.resourceVersion;
        if (type === "ADDED" || type === "MODIFIED" || type === "DELETED") emit({ type, pod });
      };
      const ended = (err: unknown) => {
        const failed = Boolean(err) && !stopped && (err as { name?: string }).name !== "AbortError";
        if (failed) log.warn({ err }, "kubernetes pod watch ended; reconnecting");
        resolve(failed);
      };
      const query = { labelSelector, resourceVersion, allowWatchBookmarks: true, timeoutSeconds };
      watch.watch(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, query, handle, ended).then(
        (controller) => {
          current = controller;
          if (stopped) controller.abort();
        },
        (err: unknown) => ended(err ?? new Error("watch request failed")),
      );
    });

  void (async () => {
    while (!stopped) {
      try {
        if (resourceVersion === undefined) await relist();
        // A failing watch (the API unreachable, rights withdrawn) is retried, not spun on.
        if (!stopped && (await once())) await sleep(RECONNECT_MS);
      } catch (err) {
        log.warn({ err }, "kubernetes pod list failed; retrying");
        await sleep(RECONNECT_MS);
      }
    }
  })();
  return () => {
    stopped = true;
    current?.abort();
  };
}
