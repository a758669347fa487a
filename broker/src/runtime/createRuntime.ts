import Docker from "dockerode";
import type { Logger } from "pino";
import type { BrokerConfig } from "../config";
import type { AgentRuntime } from "./runtime";
import { DockerRuntime } from "./docker/dockerRuntime";
import { KubernetesRuntime } from "./kubernetes/kubernetesRuntime";
import { kubernetesTarget } from "./kubernetes/kubeConfig";

/** The runtime `LLPM_RUNTIME` names; a Kubernetes one that cannot be reached throws a ConfigError. */
export function createRuntime(config: BrokerConfig, log: Logger): AgentRuntime {
  if (config.runtime.kind === "kubernetes") {
    const { kc, namespace } = kubernetesTarget(config.runtime);
    log.info({ namespace, server: kc.getCurrentCluster()?.server }, "agents are pods of this namespace");
    return new KubernetesRuntime(kc, namespace, config.stack, log);
  }
  // DOCKER_HOST or the default socket, as the docker CLI would pick.
  return new DockerRuntime(new Docker(), config.stack, log);
}
