import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesSettings } from "../../config/fleetConfig";

/**
 * The Kubernetes provider the fleet deploys with: the configured kubeconfig (its text kept as a
 * secret, so the credentials it embeds are encrypted in the state) and context, or the ambient ones.
 */
export function clusterProvider(name: string, settings: KubernetesSettings, readFile: (file: string) => string): k8s.Provider {
  return new k8s.Provider(name, {
    ...(settings.kubeconfig !== undefined ? { kubeconfig: pulumi.secret(readFile(settings.kubeconfig)) } : {}),
    ...(settings.context !== undefined ? { context: settings.context } : {}),
  });
}
