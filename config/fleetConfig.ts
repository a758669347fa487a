/**
 * The validated fleet config: every default resolved, every cross-key rule checked. Pure: the
 * host (env, home folder, file reads) is injected, so the whole path is unit-testable.
 */
import { AGENT_CATALOGUE, AGENT_TYPES, type AgentType, type AuthMode } from "../catalogue/agentTypes";
import {
  DEFAULT_AGENT_COUNTS,
  DEFAULT_BACKEND,
  DEFAULT_WORKSPACE_SIZE,
  defaultKubernetesNamespace,
  type Backend,
  DEFAULT_BASE_IMAGE,
  DEFAULT_GATEWAY_LIMITS,
  DEFAULT_JOB_TIMEOUT_SECONDS,
  DEFAULT_LITELLM_IMAGE,
  DEFAULT_MODEL_LIST,
  DEFAULT_NODE_IMAGE,
  DEFAULT_PORTS,
  DEFAULT_PROCESS_LIMIT,
  DEFAULT_POSTGRES_IMAGE,
  DEFAULT_RESOURCES,
  KNOWN_TOOLCHAINS,
  type AgentGatewayLimits,
  type AgentResources,
  type ModelEntry,
} from "./defaults";
import { expandHome, resolveWorkspaceRoot, type HostLookup } from "./hostPaths";
import { ConfigError, type ConfigProblem } from "./problems";
import { parseStackConfig, type StackConfigInput } from "./schema";
import { fleetConfigProblems } from "./crossChecks";
import { defaultEgressAllow, type EgressMode } from "./egressAllowlist";
import { backendProblems } from "./backendChecks";

export interface KubernetesSettings {
  namespace: string;
  /** Absolute path of the kubeconfig to deploy with; absent: the provider's ambient one. */
  kubeconfig?: string;
  /** Context of the kubeconfig; absent: its current context. */
  context?: string;
  /** Absent: the cluster's default StorageClass. */
  storageClass?: string;
  workspaceSize: string;
}

export interface FleetConfig {
  stack: string;
  backend: Backend;
  kubernetes: KubernetesSettings;
  /** Prebuilt images by name (an agent type, `broker` or `egress-proxy`): a cluster runs them instead of building its own. */
  imageRefs: Record<string, string>;
  /** Where a cluster's own builds are pushed; absent: it builds nothing. */
  imageRegistry?: { server: string; username?: string };
  agents: Record<AgentType, number>;
  authMode: AuthMode;
  workspaceRoot: string;
  baseImage: string;
  brokerNodeImage: string;
  postgresImage: string;
  ports: { broker: number; litellm: number; bindAddress: string };
  models: { agents: Record<AgentType, string>; list: ModelEntry[] };
  cliOptions: Record<AgentType, string[]>;
  litellm: {
    image: string;
    fallbacks: Record<string, string[]>;
    cache: boolean;
    upstream: Record<string, { apiBase?: string }>;
  };
  resources: Record<AgentType, AgentResources>;
  limits: Record<AgentType, AgentGatewayLimits>;
  /** Agents' only way out (besides LiteLLM and the broker): the egress proxy. */
  egress: { mode: EgressMode; allow: string[] };
  hostMounts: { ssh: boolean; gitconfig: boolean };
  /** PEM text trusted at build and run time; "" when none is configured. */
  extraCaCertificates: string;
  toolchains: string[];
  jobTimeoutSeconds: number;
  /** nproc of every agent container; see DEFAULT_PROCESS_LIMIT. */
  processLimit: number;
}

function perType<T>(make: (t: AgentType) => T): Record<AgentType, T> {
  return Object.fromEntries(AGENT_TYPES.map((t) => [t, make(t)])) as Record<AgentType, T>;
}

/** Fills every default; `agents` absent means the dev preset, a partial `agents` means 0 for the rest. */
export function withDefaults(input: StackConfigInput, stack: string, workspaceRoot: string, extraCaPem: string, homeDir: string): FleetConfig {
  const k8s = input.kubernetes;
  return {
    stack,
    backend: input.backend ?? DEFAULT_BACKEND,
    kubernetes: {
      namespace: k8s?.namespace ?? defaultKubernetesNamespace(stack),
      ...(k8s?.kubeconfig !== undefined ? { kubeconfig: expandHome(k8s.kubeconfig, homeDir) } : {}),
      ...(k8s?.context !== undefined ? { context: k8s.context } : {}),
      ...(k8s?.storageClass !== undefined ? { storageClass: k8s.storageClass } : {}),
      workspaceSize: k8s?.workspaceSize ?? DEFAULT_WORKSPACE_SIZE,
    },
    imageRefs: Object.fromEntries(Object.entries(input.images?.refs ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
    ...(input.images?.registry !== undefined ? { imageRegistry: { ...input.images.registry } } : {}),
    agents: input.agents ? perType((t) => input.agents?.[t] ?? 0) : { ...DEFAULT_AGENT_COUNTS },
    authMode: input.authMode ?? "api_key",
    workspaceRoot,
    baseImage: input.baseImage ?? DEFAULT_BASE_IMAGE,
    brokerNodeImage: input.brokerNodeImage ?? DEFAULT_NODE_IMAGE,
    postgresImage: input.postgresImage ?? DEFAULT_POSTGRES_IMAGE,
    ports: { ...DEFAULT_PORTS, ...input.ports },
    models: {
      agents: perType((t) => input.models?.agents?.[t] ?? AGENT_CATALOGUE[t].defaultModel),
      list: input.models?.list ?? DEFAULT_MODEL_LIST.map((m) => ({ ...m })),
    },
    cliOptions: perType((t) => input.cliOptions?.[t] ?? []),
    litellm: {
      image: input.litellm?.image ?? DEFAULT_LITELLM_IMAGE,
      fallbacks: input.litellm?.fallbacks ?? {},
      cache: input.litellm?.cache ?? true,
      upstream: input.litellm?.upstream ?? {},
    },
    resources: perType((t) => ({ ...DEFAULT_RESOURCES, ...input.resources?.[t] })),
    limits: perType((t) => ({ ...DEFAULT_GATEWAY_LIMITS, ...input.limits?.[t] })),
    egress: {
      mode: input.egress?.mode ?? "allowlist",
      allow: input.egress?.allow ?? defaultEgressAllow(input.toolchains ?? [...KNOWN_TOOLCHAINS]),
    },
    hostMounts: { ssh: input.hostMounts?.ssh ?? false, gitconfig: input.hostMounts?.gitconfig ?? false },
    extraCaCertificates: extraCaPem,
    toolchains: input.toolchains ?? [...KNOWN_TOOLCHAINS],
    jobTimeoutSeconds: input.jobTimeoutSeconds ?? DEFAULT_JOB_TIMEOUT_SECONDS,
    processLimit: input.processLimit ?? DEFAULT_PROCESS_LIMIT,
  };
}

const PEM_ALLOWED = "a path to a readable PEM file holding at least one -----BEGIN CERTIFICATE----- block";
// The PEM travels as a build arg, which Docker sets as an environment variable in every RUN, and
// Linux refuses a single one over 128 KiB: a whole system bundle (about 220 KB) breaks every build.
export const MAX_EXTRA_CA_BYTES = 100 * 1024;
const PEM_TOO_LARGE = `at most ${MAX_EXTRA_CA_BYTES / 1024} KiB: only the extra certificates (e.g. /usr/local/share/ca-certificates/*.crt), not a whole system bundle`;

function readExtraCa(configured: string | undefined, host: HostLookup): { pem: string; problem?: ConfigProblem } {
  if (configured === undefined) return { pem: "" };
  const file = expandHome(configured, host.homeDir);
  const text = file.startsWith("/") ? host.readFile(file) : undefined;
  if (text === undefined || !text.includes("-----BEGIN CERTIFICATE-----")) {
    return { pem: "", problem: { key: "extraCaCertificates", value: configured, allowed: PEM_ALLOWED } };
  }
  if (Buffer.byteLength(text) > MAX_EXTRA_CA_BYTES) {
    return { pem: "", problem: { key: "extraCaCertificates", value: configured, allowed: PEM_TOO_LARGE } };
  }
  return { pem: text };
}

/**
 * Validates a stack's raw config (the JSON values under the `llpm-fleet` namespace) and returns the
 * full FleetConfig, or throws one ConfigError listing every problem found.
 */
export function validateFleetConfig(raw: Record<string, unknown>, stack: string, host: HostLookup): FleetConfig {
  const parsed = parseStackConfig(raw);
  const rawRoot = typeof raw.workspaceRoot === "string" ? raw.workspaceRoot : undefined;
  const root = resolveWorkspaceRoot(rawRoot, host);
  const ca = readExtraCa(typeof raw.extraCaCertificates === "string" ? raw.extraCaCertificates : undefined, host);
  const problems = [...parsed.problems];
  if ("problem" in root) problems.push(root.problem);
  if (ca.problem) problems.push(ca.problem);
  if (parsed.value === undefined || "problem" in root || ca.problem) throw new ConfigError(problems);
  const config = withDefaults(parsed.value, stack, root.root, ca.pem, host.homeDir);
  const crossProblems = [...fleetConfigProblems(config), ...backendProblems(parsed.value, config, host)];
  if (crossProblems.length > 0) throw new ConfigError(crossProblems);
  return config;
}
