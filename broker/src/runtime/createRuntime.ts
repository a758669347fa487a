import type { Logger } from "pino";
import type { BrokerConfig } from "../config";
import type { AgentRuntime } from "./runtime";
import { dockerClient } from "./docker/dockerEndpoint";
import { DockerRuntime } from "./docker/dockerRuntime";

/**
 * The runtime `LLPM_RUNTIME` names; a Kubernetes one that cannot be reached throws a ConfigError.
 * The Kubernetes client loads only when it is used: it costs the Docker broker's start most of a second.
 */
export async function createRuntime(config: BrokerConfig, log: Logger): Promise<AgentRuntime> {
  if (config.runtime.kind === "kubernetes") {
    const [{ KubernetesRuntime }, { kubernetesTarget }] = await Promise.all([import("./kubernetes/kubernetesRuntime.js"), import("./kubernetes/kubeConfig.js")]);
    const { kc, namespace } = kubernetesTarget(config.runtime);
    log.info({ namespace, server: kc.getCurrentCluster()?.server }, "agents are pods of this namespace");
    return new KubernetesRuntime(kc, namespace, config.stack, log);
  }
  return new DockerRuntime(dockerClient(config.docker), config.stack, log);
}
