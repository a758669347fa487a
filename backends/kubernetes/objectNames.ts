/**
 * Names of the Kubernetes objects the backend declares inside the fleet's namespace. Services use
 * the same names as the Docker network aliases (core/fleetServices.ts), so an agent's
 * environment is the same on both backends.
 */
import type { AgentType } from "../../catalogue/agentTypes";

/** One StatefulSet per type, named after it; with ordinals from 1 its pods are the instance ids (`aider-1`). */
export function agentStatefulSetName(type: AgentType): string {
  return type;
}

/** The claim template; Kubernetes names each claim `workspace-<pod>`, e.g. `workspace-aider-1`. */
export const WORKSPACE_CLAIM_TEMPLATE = "workspace";

export function workspaceClaimName(agentId: string): string {
  return `${WORKSPACE_CLAIM_TEMPLATE}-${agentId}`;
}

export function agentCredentialsSecretName(type: AgentType): string {
  return `${type}-credentials`;
}

export const LITELLM_SECRET = "litellm-env";
export const LITELLM_CONFIG_MAP = "litellm-config";
export const BROKER_SECRET = "broker-env";
export const BROKER_DATA_CLAIM = "broker-data";
export const BROKER_SERVICE_ACCOUNT = "broker";
export const POSTGRES_SECRET = "postgres-env";
/** Postgres' claim template; its one claim is `data-postgres-0`. */
export const POSTGRES_DATA_CLAIM_TEMPLATE = "data";

/** Labels Kubernetes itself puts on every StatefulSet pod. */
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
/** Set on every namespace by the API server: NetworkPolicies select the cluster DNS's namespace by it. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** The `kubernetes.io/dockerconfigjson` Secret the pods of built images pull with (images.registry.username set). */
export const REGISTRY_PULL_SECRET = "registry-pull";
