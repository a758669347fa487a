import { z } from "zod";
import { RUNTIMES } from "./runtime/runtime";
import { parseEndpoint, type Endpoint } from "./runtime/docker/dockerEndpoint";
import { BROKER_PORT } from "../../contract/ports";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A Kubernetes object name such as a namespace's (RFC 1123 label). */
const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const optionalPath = (what: string) => z.string().min(1, `${what} must not be empty when set`).optional();

const EnvSchema = z.object({
  BROKER_TOKEN: z
    .string({ error: "BROKER_TOKEN is required: the bearer token every API call must present" })
    .min(16, "BROKER_TOKEN must be at least 16 characters"),
  LLPM_STACK: z
    .string({ error: "LLPM_STACK is required: the stack whose agents this broker serves (label llpm.stack)" })
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "LLPM_STACK must be 1-64 of A-Z a-z 0-9 _ . -"),
  BROKER_PORT: z.coerce.number().int().min(0).max(65535).default(BROKER_PORT),
  BROKER_HOST: z.string().min(1).default("127.0.0.1"),
  BROKER_DB: z.string().min(1).default("broker.db"),
  BROKER_MAX_JOBS_PER_AGENT: positiveInt(1),
  BROKER_JOB_TIMEOUT_SECONDS: positiveInt(1800),
  BROKER_LOG_CAP_BYTES: positiveInt(1024 * 1024),
  BROKER_RESYNC_SECONDS: positiveInt(30),
  BROKER_LITELLM_URL: z.url({ protocol: /^https?$/, error: "BROKER_LITELLM_URL must be an http(s) URL, e.g. http://litellm:4000" }).optional(),
  BROKER_LITELLM_USAGE_KEY: z.string().min(1).optional(),
  BROKER_LITELLM_USAGE_SECONDS: positiveInt(10),
  BROKER_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LLPM_RUNTIME: z.enum(RUNTIMES, { error: `LLPM_RUNTIME must be one of: ${RUNTIMES.join(", ")}` }).default("docker"),
  LLPM_KUBERNETES_NAMESPACE: z
    .string()
    .regex(dnsLabel, "LLPM_KUBERNETES_NAMESPACE must be a namespace name: 1-63 of a-z 0-9 -, starting and ending with a letter or digit")
    .optional(),
  LLPM_KUBECONFIG: optionalPath("LLPM_KUBECONFIG"),
  LLPM_KUBERNETES_CONTEXT: optionalPath("LLPM_KUBERNETES_CONTEXT"),
  DOCKER_HOST: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return undefined;
      const parsed = parseEndpoint(value);
      if (!parsed) ctx.addIssue({ code: "custom", message: `DOCKER_HOST=${value}: allowed: unset (the local socket), unix:///absolute/path or tcp://host:port` });
      return parsed ?? undefined;
    }),
});

/** How the broker reaches its agents. */
export type RuntimeConfig =
  | { kind: "docker" }
  | {
      kind: "kubernetes";
      /** null: the namespace of the pod the broker runs in (its service account's). */
      namespace: string | null;
      /** null: the in-cluster config of the broker's service account. */
      kubeconfig: string | null;
      /** null: the kubeconfig's current context. */
      context: string | null;
    };

export interface BrokerConfig {
  token: string;
  stack: string;
  port: number;
  host: string;
  dbPath: string;
  maxJobsPerAgent: number;
  defaultJobTimeoutSeconds: number;
  logCapBytes: number;
  resyncSeconds: number;
  logLevel: string;
  /** Where to read LiteLLM's per-agent spend, and the key good only for that; null: not read. */
  litellmUsage: { url: string; key: string; intervalSeconds: number } | null;
  runtime: RuntimeConfig;
  /** The Docker API: in the fleet, the Docker API filter's socket; unset, the local engine's. */
  docker: Endpoint | undefined;
}

export class ConfigError extends Error {}

/** Reads the broker's settings from the environment; each problem names the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv): BrokerConfig {
  const parsed = EnvSchema.refine((e) => (e.BROKER_LITELLM_URL === undefined) === (e.BROKER_LITELLM_USAGE_KEY === undefined), {
    path: ["BROKER_LITELLM_USAGE_KEY"],
    message: "BROKER_LITELLM_URL and BROKER_LITELLM_USAGE_KEY go together: set both (to read LiteLLM's per-agent spend) or neither",
  }).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid broker configuration:\n${problems.join("\n")}`);
  }
  const e = parsed.data;
  const kubernetesOnly = (["LLPM_KUBERNETES_NAMESPACE", "LLPM_KUBECONFIG", "LLPM_KUBERNETES_CONTEXT"] as const).filter((k) => e[k] !== undefined);
  if (e.LLPM_RUNTIME !== "kubernetes" && kubernetesOnly.length) {
    throw new ConfigError(`invalid broker configuration:\n  ${kubernetesOnly.join(", ")}: only used with LLPM_RUNTIME=kubernetes (it is ${e.LLPM_RUNTIME})`);
  }
  if (e.LLPM_KUBERNETES_CONTEXT !== undefined && e.LLPM_KUBECONFIG === undefined) {
    throw new ConfigError("invalid broker configuration:\n  LLPM_KUBERNETES_CONTEXT: needs LLPM_KUBECONFIG (the in-cluster config has no contexts)");
  }
  return {
    token: e.BROKER_TOKEN,
    stack: e.LLPM_STACK,
    port: e.BROKER_PORT,
    host: e.BROKER_HOST,
    dbPath: e.BROKER_DB,
    maxJobsPerAgent: e.BROKER_MAX_JOBS_PER_AGENT,
    defaultJobTimeoutSeconds: e.BROKER_JOB_TIMEOUT_SECONDS,
    logCapBytes: e.BROKER_LOG_CAP_BYTES,
    resyncSeconds: e.BROKER_RESYNC_SECONDS,
    logLevel: e.BROKER_LOG_LEVEL,
    litellmUsage:
      e.BROKER_LITELLM_URL && e.BROKER_LITELLM_USAGE_KEY
        ? { url: e.BROKER_LITELLM_URL, key: e.BROKER_LITELLM_USAGE_KEY, intervalSeconds: e.BROKER_LITELLM_USAGE_SECONDS }
        : null,
    runtime:
      e.LLPM_RUNTIME === "docker"
        ? { kind: "docker" }
        : {
            kind: "kubernetes",
            namespace: e.LLPM_KUBERNETES_NAMESPACE ?? null,
            kubeconfig: e.LLPM_KUBECONFIG ?? null,
            context: e.LLPM_KUBERNETES_CONTEXT ?? null,
          },
    docker: e.DOCKER_HOST,
  };
}
