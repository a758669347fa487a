import type { Logger } from "pino";
import type { BrokerConfig } from "../config";
import type { AgentRuntime } from "./runtime";
import { dockerClient } from "./docker/dockerEndpoint";
import { DockerRuntime } from "./docker/dockerRuntime";

/**
 * The runtime `LLPM_RUNTIME` names; a Kubernetes one that cannot be reached throws a ConfigError.
 * The Kubernetes client loads only when it is used: it costs the Docker broker's start most of a second.
 */
export function createRuntime(config: BrokerConfig, log: Logger): AgentRuntime {
  if (config.runtime.kind === "kubernetes") {
    // require, not import(): a dynamic import would bypass the require hooks tests run TypeScript with.
    const { KubernetesRuntime } = require("./kubernetes/kubernetesRuntime") as typeof import("./kubernetes/kubernetesRuntime");
    const { kubernetesTarget } = require("./kubernetes/kubeConfig") as typeof import("./kubernetes/kubeConfig");
    const { kc, namespace } = kubernetesTarget(config.runtime);
    log.info({ namespace, server: kc.getCurrentCluster()?.server }, "agents are pods of this namespace");
    return new KubernetesRuntime(kc, namespace, config.stack, log);
  }
  return new DockerRuntime(dockerClient(config.docker), config.stack, log);
}
