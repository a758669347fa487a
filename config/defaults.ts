/** Defaults for every stack config key that has one; README's config table mirrors this file. */
import type { AgentType } from "../catalogue/agentTypes";

export const NAMESPACE = "llpm-fleet";

/** The dev preset: one instance of each type. */
export const DEFAULT_AGENT_COUNTS: Record<AgentType, number> = {
  "claude-code": 1,
  "openai-codex": 1,
  aider: 1,
  opencode: 1,
};

export const MAX_INSTANCES_PER_TYPE = 50;

export const DEFAULT_PORTS = { broker: 3010, litellm: 4000, bindAddress: "127.0.0.1" };

export const DEFAULT_BASE_IMAGE = "ubuntu:22.04";
export const DEFAULT_LITELLM_IMAGE = "ghcr.io/berriai/litellm:main-v1.108.14";
export const DEFAULT_POSTGRES_IMAGE = "postgres:16.10-bookworm";
export const DEFAULT_NODE_IMAGE = "node:20.20.2-bookworm-slim";

/** LiteLLM releases that were published compromised; never deployable. */
export const FORBIDDEN_LITELLM_VERSIONS = ["1.82.7", "1.82.8"];

export interface ModelEntry {
  /** The name agents and clients ask LiteLLM for. */
  name: string;
  /** LiteLLM's `provider/model` upstream id. */
  model: string;
}

export const DEFAULT_MODEL_LIST: ModelEntry[] = [
  { name: "claude-sonnet-4-5", model: "anthropic/claude-sonnet-4-5" },
  { name: "gpt-5.5", model: "openai/gpt-5.5" },
  { name: "gpt-5", model: "openai/gpt-5" },
];

export interface AgentResources {
  memoryMb: number;
  cpus: number;
  processes: number;
}

export const DEFAULT_RESOURCES: AgentResources = { memoryMb: 4096, cpus: 2, processes: 512 };

/** What one agent may ask of the gateway (`limits.<type>`); LiteLLM enforces them per agent key. */
export interface AgentGatewayLimits {
  /** Requests per minute. */
  rpm: number;
  /** Tokens (prompt + completion) per minute. */
  tpm: number;
  /** Requests in flight at once. */
  parallelRequests: number;
  /** Spend cap in USD over the key's life; only with LiteLLM's database (see README). Absent: none. */
  budgetUsd?: number;
}

/**
 * Generous enough for one busy CLI (Claude Code sends several calls per turn, some in parallel,
 * each carrying the whole context), small enough that a runaway agent cannot starve the others.
 */
export const DEFAULT_GATEWAY_LIMITS: AgentGatewayLimits = { rpm: 120, tpm: 2000000, parallelRequests: 4 };

/** The base image's toolchain folders (`images/base/toolchains/<name>`); the default installs all. */
export const KNOWN_TOOLCHAINS = ["node", "typescript", "python", "go", "rust", "java", "dotnet", "ruby", "php", "cpp"];

export const DEFAULT_JOB_TIMEOUT_SECONDS = 1800;

/**
 * RLIMIT_NPROC of every agent: fixed per stack rather than derived from the counts, so scaling does
 * not change (and so replace) the containers already running. Validation checks it covers the fleet.
 */
export const DEFAULT_PROCESS_LIMIT = 8192;

/** Where the fleet runs: Docker on this host (the default) or a Kubernetes cluster. */
export const BACKENDS = ["docker", "kubernetes"] as const;
export type Backend = (typeof BACKENDS)[number];
export const DEFAULT_BACKEND: Backend = "docker";

/** Each agent's workspace claim on the kubernetes backend (`kubernetes.workspaceSize`). */
export const DEFAULT_WORKSPACE_SIZE = "10Gi";

/** `kubernetes.namespace` unless set; DESIGN "Backends". */
export function defaultKubernetesNamespace(stack: string): string {
  return `llpm-${stack}`;
}

/** The fleet's own images that `images.refs.<name>` may name prebuilt: one per agent type, the broker and the egress proxy. */
export const BROKER_IMAGE_NAME = "broker";
export const EGRESS_PROXY_IMAGE_NAME = "egress-proxy";
export const SERVICE_IMAGE_NAMES = [BROKER_IMAGE_NAME, EGRESS_PROXY_IMAGE_NAME] as const;

/** Room for the deploying user's own processes, which share the uid (and so the count) with agents. */
export const PROCESS_LIMIT_MARGIN = 1024;
