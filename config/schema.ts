/**
 * The shape of the stack config as the user writes it (every key optional; defaults are applied
 * afterwards). Each leaf's error message is the description of what is allowed, so a zod issue
 * turns straight into a ConfigProblem.
 */
import { z } from "zod";
import { AGENT_TYPES, AUTH_MODES, type AgentType } from "../catalogue/agentTypes";
import { EGRESS_HOST_ALLOWED, EGRESS_HOST_PATTERN, EGRESS_MODES } from "./egressAllowlist";
import { BACKENDS, FORBIDDEN_LITELLM_VERSIONS, SERVICE_IMAGE_NAMES, KNOWN_TOOLCHAINS, MAX_INSTANCES_PER_TYPE } from "./defaults";
import type { ConfigProblem } from "./problems";

function wholeNumber(min: number, max: number) {
  const allowed = { error: `a whole number from ${min} to ${max}` };
  return z.number(allowed).int(allowed).min(min, allowed).max(max, allowed);
}

function decimal(min: number, max: number) {
  const allowed = { error: `a number from ${min} to ${max}` };
  return z.number(allowed).min(min, allowed).max(max, allowed);
}

function text(allowed: string) {
  return z.string({ error: allowed }).min(1, { error: allowed });
}

function oneOf<T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of ${values.join(", ")}` });
}

const flag = z.boolean({ error: "true or false" });

/** A strict object: unknown keys are errors that list the known ones. */
function strict<S extends z.ZodRawShape>(shape: S) {
  const keys = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `one of the keys ${keys}` : `an object with the keys ${keys}`),
  });
}

function perAgentType<T extends z.ZodType>(value: T) {
  const shape = Object.fromEntries(AGENT_TYPES.map((t) => [t, value.optional()])) as { [K in AgentType]: z.ZodOptional<T> };
  return strict(shape).optional();
}

/** An image reference with an explicit version tag or digest: floating tags make deploys unrepeatable. */
const FLOATING_TAGS = ["latest", "stable", "main", "main-latest", "main-stable", "nightly"];

function imageTag(ref: string): string | undefined {
  if (ref.includes("@sha256:")) return ref.split("@")[1];
  const lastSegment = ref.slice(ref.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

export function isPinnedImage(ref: string): boolean {
  const tag = imageTag(ref);
  return tag !== undefined && tag !== "" && !FLOATING_TAGS.includes(tag);
}

const PINNED = "an image reference with an exact version tag, e.g. name:1.2.3 (not latest or another floating tag)";
const pinnedImage = text(PINNED).refine(isPinnedImage, { error: PINNED });

const LITELLM_ALLOWED = `${PINNED}, not LiteLLM ${FORBIDDEN_LITELLM_VERSIONS.join(" or ")} (compromised releases)`;
const litellmImage = text(LITELLM_ALLOWED)
  .refine(isPinnedImage, { error: LITELLM_ALLOWED })
  .refine(
    (ref) =>
      !FORBIDDEN_LITELLM_VERSIONS.some((v) =>
        new RegExp(`(^|[^0-9.])${v.replace(/\./g, "\\.")}($|[^0-9])`).test(imageTag(ref) ?? ""),
      ),
    {
      error: LITELLM_ALLOWED,
    },
  );

const url = z.url({ protocol: /^https?$/, error: "an http(s) URL" });

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const bindAddress = text("an IPv4 address such as 127.0.0.1").regex(IPV4, { error: "an IPv4 address such as 127.0.0.1" });

const modelName = text("a model name of letters, digits, '.', '-', '_' or '/'").regex(/^[A-Za-z0-9._/-]+$/, {
  error: "a model name of letters, digits, '.', '-', '_' or '/'",
});

const modelEntry = strict({
  name: modelName,
  model: text("LiteLLM's provider/model id, e.g. anthropic/claude-sonnet-4-5").regex(/^[^/\s]+\/\S+$/, {
    error: "LiteLLM's provider/model id, e.g. anthropic/claude-sonnet-4-5",
  }),
});

/** RFC 1123 label: what Kubernetes allows as a namespace name. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_LABEL_ALLOWED = "a DNS label: 1-63 of a-z, 0-9 and '-', starting and ending with a letter or digit";
const dnsLabel = text(DNS_LABEL_ALLOWED).regex(DNS_LABEL, { error: DNS_LABEL_ALLOWED });

/** RFC 1123 subdomain: what Kubernetes allows as a StorageClass name. */
const DNS_SUBDOMAIN_ALLOWED = "a StorageClass name: up to 253 of a-z, 0-9, '-' and '.', starting and ending with a letter or digit";
const dnsSubdomain = text(DNS_SUBDOMAIN_ALLOWED)
  .max(253, { error: DNS_SUBDOMAIN_ALLOWED })
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: DNS_SUBDOMAIN_ALLOWED });

const QUANTITY_ALLOWED = "a storage size as Kubernetes writes it: a whole number with a binary suffix, e.g. 10Gi or 512Mi";
const storageSize = text(QUANTITY_ALLOWED).regex(/^[1-9][0-9]*(Ki|Mi|Gi|Ti|Pi)$/, { error: QUANTITY_ALLOWED });

const imageRefs = strict(
  Object.fromEntries([...AGENT_TYPES, ...SERVICE_IMAGE_NAMES].map((name) => [name, pinnedImage.optional()])) as Record<
    AgentType | (typeof SERVICE_IMAGE_NAMES)[number],
    z.ZodOptional<typeof pinnedImage>
  >,
);

/**
 * Where backend kubernetes pushes the images it builds. The host must read as a registry (a dot, a
 * port or `localhost`): Docker takes a first part without one for a Docker Hub account, so
 * `team/images` would push to Docker Hub.
 */
const REGISTRY_HOST = /^(localhost|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)(:([0-9]{1,5}))?$/;
const REGISTRY_PATH = /^[a-z0-9]+([._-][a-z0-9]+)*$/;
export const REGISTRY_SERVER_ALLOWED =
  "a registry as host[:port][/path], lower case, no scheme and no tag, e.g. registry.example.com, localhost:5000 or ghcr.io/team (the host needs a dot, a port or to be localhost)";

export function isRegistryServer(server: string): boolean {
  const [host, ...pathParts] = server.split("/");
  const match = REGISTRY_HOST.exec(host);
  if (!match) return false;
  const port = match[6];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  if (port === undefined && match[1] !== "localhost" && !host.includes(".")) return false;
  return pathParts.every((part) => REGISTRY_PATH.test(part));
}

export const REGISTRY_USERNAME_ALLOWED = "the registry user name registryPassword belongs to";

const imageRegistry = strict({
  // One check, so a bad server gives one problem.
  server: z.string({ error: REGISTRY_SERVER_ALLOWED }).refine(isRegistryServer, { error: REGISTRY_SERVER_ALLOWED }),
  username: text(REGISTRY_USERNAME_ALLOWED).optional(),
});

// One check, so a bad entry gives one problem.
const egressHost = z
  .string({ error: EGRESS_HOST_ALLOWED })
  .refine((host) => host.length <= 253 && EGRESS_HOST_PATTERN.test(host), { error: EGRESS_HOST_ALLOWED });

/** `allow` is the allowlist: with another mode it would do nothing, which is surely not what was meant. */
const egress = strict({
  mode: oneOf(EGRESS_MODES).optional(),
  allow: z.array(egressHost, { error: "a list of host names or .domains" }).optional(),
}).superRefine((value, ctx) => {
  if (value.allow !== undefined && value.mode !== undefined && value.mode !== "allowlist") {
    ctx.addIssue({
      code: "custom",
      path: ["allow"],
      input: value.allow,
      message: `unset with egress.mode ${value.mode}: the list applies only to egress.mode allowlist`,
    });
  }
});

export const stackConfigSchema = strict({
  agents: perAgentType(wholeNumber(0, MAX_INSTANCES_PER_TYPE)),
  authMode: oneOf(AUTH_MODES).optional(),
  workspaceRoot: text("a folder path, absolute or starting with ~/").optional(),
  baseImage: pinnedImage.optional(),
  brokerNodeImage: pinnedImage.optional(),
  postgresImage: pinnedImage.optional(),
  ports: strict({
    broker: wholeNumber(1, 65535).optional(),
    litellm: wholeNumber(1, 65535).optional(),
    bindAddress: bindAddress.optional(),
  }).optional(),
  models: strict({
    agents: perAgentType(modelName),
    list: z.array(modelEntry, { error: "a list of {name, model} entries" }).min(1, { error: "at least one model" }).optional(),
  }).optional(),
  cliOptions: perAgentType(z.array(z.string({ error: "a string" }), { error: "a list of strings" })),
  litellm: strict({
    image: litellmImage.optional(),
    fallbacks: z
      .record(modelName, z.array(modelName, { error: "a list of model names" }), {
        error: "an object: model name -> list of fallback model names",
      })
      .optional(),
    cache: flag.optional(),
    upstream: z
      .record(modelName, strict({ apiBase: url.optional() }), { error: "an object: model name -> {apiBase}" })
      .optional(),
  }).optional(),
  resources: perAgentType(
    strict({
      memoryMb: wholeNumber(256, 1048576).optional(),
      cpus: decimal(0.1, 256).optional(),
      processes: wholeNumber(16, 65536).optional(),
    }),
  ),
  hostMounts: strict({ ssh: flag.optional(), gitconfig: flag.optional() }).optional(),
  extraCaCertificates: text("a path to a PEM file, absolute or starting with ~/").optional(),
  toolchains: z
    .array(oneOf(KNOWN_TOOLCHAINS as [string, ...string[]]), { error: `a list drawn from ${KNOWN_TOOLCHAINS.join(", ")}` })
    .optional(),
  limits: perAgentType(
    strict({
      rpm: wholeNumber(1, 1000000).optional(),
      tpm: wholeNumber(1000, 1000000000).optional(),
      parallelRequests: wholeNumber(1, 1000).optional(),
      budgetUsd: decimal(0.01, 1000000).optional(),
    }),
  ),
  egress: egress.optional(),
  jobTimeoutSeconds: wholeNumber(10, 86400).optional(),
  processLimit: wholeNumber(256, 4194304).optional(),
  backend: oneOf(BACKENDS).optional(),
  kubernetes: strict({
    namespace: dnsLabel.optional(),
    kubeconfig: text("a path to a kubeconfig file, absolute or starting with ~/").optional(),
    context: text("the name of a context in the kubeconfig").optional(),
    storageClass: dnsSubdomain.optional(),
    workspaceSize: storageSize.optional(),
  }).optional(),
  images: strict({ refs: imageRefs.optional(), registry: imageRegistry.optional() }).optional(),
});

export type StackConfigInput = z.infer<typeof stackConfigSchema>;

export function parseStackConfig(raw: unknown): { value?: StackConfigInput; problems: ConfigProblem[] } {
  const result = stackConfigSchema.safeParse(raw, { reportInput: true });
  if (result.success) return { value: result.data, problems: [] };
  return { problems: result.error.issues.flatMap(issueToProblems) };
}

function issueToProblems(issue: z.core.$ZodIssue): ConfigProblem[] {
  const key = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => ({
      key: key ? `${key}.${k}` : k,
      value: "(unknown key)",
      // `pulumi config set ports.broker 1` without --path makes a top-level key named "ports.broker".
      allowed: !key && k.includes(".") ? `${issue.message} (set nested values with pulumi config set --path)` : issue.message,
    }));
  }
  return [{ key: key || "(stack config)", value: (issue as { input?: unknown }).input, allowed: issue.message }];
}
