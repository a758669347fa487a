/**
 * The fleet on the kubernetes backend: every secret from the stack, images from `images.refs` or
 * built and pushed to `images.registry`, and the cluster from `kubernetes.kubeconfig`/`context` or
 * the ambient kubeconfig.
 */
import * as fs from "node:fs";
import { clusterProvider } from "../backends/kubernetes/clusterProvider";
import { KubernetesFleet } from "../backends/kubernetes/fleet";
import { imageRegistry, requiredFleetSecrets } from "../backends/kubernetes/stackSecrets";
import type { FleetConfig } from "../config/fleetConfig";
import { agentUser } from "../config/hostUser";
import { configuredProviderKeys, type StackSecrets } from "../config/readStackConfig";

export function kubernetesProgram(config: FleetConfig, secrets: StackSecrets, projectRoot: string) {
  const fleetSecrets = requiredFleetSecrets(secrets);
  const provider = clusterProvider("cluster", config.kubernetes, (file) => fs.readFileSync(file, "utf8"));
  const fleet = new KubernetesFleet(
    "fleet",
    {
      config,
      secrets: fleetSecrets,
      providerKeys: configuredProviderKeys(secrets),
      // The agent images are built for the deploying user's uid, as on docker (1000 when that is root).
      agentUser: agentUser(process.getuid, process.getgid),
      projectRoot,
      registry: imageRegistry(config, secrets),
    },
    { providers: { kubernetes: provider } },
  );
  return {
    namespace: fleet.namespace,
    brokerUrl: fleet.brokerUrl,
    litellmUrl: fleet.litellmUrl,
    agents: fleet.agents,
    brokerToken: fleetSecrets.brokerToken,
    litellmMasterKey: fleetSecrets.litellmMasterKey,
  };
}
