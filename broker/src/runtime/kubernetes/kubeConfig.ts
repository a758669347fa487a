import { KubeConfig } from "@kubernetes/client-node";
import { existsSync, readFileSync } from "node:fs";
import { ConfigError } from "../../config";

/** Where Kubernetes mounts a pod's service account: its token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export interface KubernetesTarget {
  kc: KubeConfig;
  namespace: string;
}

/**
 * The API the broker talks to and the namespace whose agents it serves: a kubeconfig file (its
 * current context or the one named) when one is given, else the broker pod's own service account.
 */
export function kubernetesTarget(
  settings: { namespace: string | null; kubeconfig: string | null; context: string | null },
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): KubernetesTarget {
  const kc = new KubeConfig();
  if (settings.kubeconfig) {
    if (!existsSync(settings.kubeconfig)) throw new ConfigError(`LLPM_KUBECONFIG: no file at ${settings.kubeconfig}`);
    kc.loadFromFile(settings.kubeconfig);
    if (settings.context) {
      const names = kc.getContexts().map((c) => c.name);
      if (!names.includes(settings.context)) {
        throw new ConfigError(`LLPM_KUBERNETES_CONTEXT: no context ${settings.context} in ${settings.kubeconfig} (it has: ${names.join(", ") || "none"})`);
      }
      kc.setCurrentContext(settings.context);
    }
    if (!kc.getCurrentCluster()) throw new ConfigError(`LLPM_KUBECONFIG: ${settings.kubeconfig} has no current context with a cluster`);
  } else {
    if (!process.env.KUBERNETES_SERVICE_HOST || !existsSync(`${serviceAccountDir}/token`)) {
      throw new ConfigError(
        "LLPM_RUNTIME=kubernetes: not running in a pod with a service account; set LLPM_KUBECONFIG to a kubeconfig file to reach a cluster from outside",
      );
    }
    kc.loadFromCluster();
  }
  const namespace = settings.namespace ?? readNamespace(serviceAccountDir);
  return { kc, namespace };
}

function readNamespace(serviceAccountDir: string): string {
  const file = `${serviceAccountDir}/namespace`;
  if (!existsSync(file)) throw new ConfigError(`LLPM_KUBERNETES_NAMESPACE is not set and ${file} does not exist (the broker is not in a pod): set it`);
  return readFileSync(file, "utf8").trim();
}
