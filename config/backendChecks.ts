/** Rules of the `backend` key: what each backend needs, and keys that only one backend reads. */
import { AGENT_TYPES } from "../catalogue/agentTypes";
import { BROKER_IMAGE_NAME, EGRESS_PROXY_IMAGE_NAME } from "./defaults";
import type { FleetConfig } from "./fleetConfig";
import type { HostLookup } from "./hostPaths";
import type { ConfigProblem } from "./problems";
import { REGISTRY_PASSWORD_KEY } from "./secretKeys";
import { DNS_LABEL, DNS_LABEL_ALLOWED, REGISTRY_USERNAME_ALLOWED, type StackConfigInput } from "./schema";

/** The images a cluster runs, each with the setting that makes it needed (none: always). */
export function clusterImagesNeeded(config: FleetConfig): [string, string | undefined][] {
  return [
    ...AGENT_TYPES.filter((t) => config.agents[t] > 0).map((t): [string, string] => [t, `agents.${t} is ${config.agents[t]}`]),
    [BROKER_IMAGE_NAME, undefined],
    ...(config.egress.mode === "none" ? [] : [[EGRESS_PROXY_IMAGE_NAME, `egress.mode is ${config.egress.mode}`] as [string, string]]),
  ];
}

function kubernetesProblems(config: FleetConfig, host: HostLookup): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const k8s = config.kubernetes;
  if (!DNS_LABEL.test(k8s.namespace)) {
    problems.push({
      key: "kubernetes.namespace",
      value: undefined,
      allowed: `${DNS_LABEL_ALLOWED}; the default llpm-<stack> (${JSON.stringify(k8s.namespace)}) is not one, so set it`,
    });
  }
  if (k8s.kubeconfig !== undefined && (!k8s.kubeconfig.startsWith("/") || host.readFile(k8s.kubeconfig) === undefined)) {
    problems.push({ key: "kubernetes.kubeconfig", value: k8s.kubeconfig, allowed: "a path to a readable kubeconfig file, absolute or starting with ~/" });
  }
  // With a registry, what images.refs does not name is built and pushed; without one, nothing is built.
  for (const [name, why] of config.imageRegistry ? [] : clusterImagesNeeded(config)) {
    if (config.imageRefs[name] === undefined) {
      problems.push({
        key: `images.refs.${name}`,
        value: undefined,
        allowed: `a prebuilt image reference with an exact tag, or set images.registry: without a registry backend kubernetes does not build images${why ? ` (needed while ${why})` : ""}`,
      });
    }
  }
  for (const mount of ["ssh", "gitconfig"] as const) {
    if (config.hostMounts[mount]) {
      problems.push({ key: `hostMounts.${mount}`, value: true, allowed: "false with backend kubernetes: a cluster's pods cannot mount this host's home folder" });
    }
  }
  return problems;
}

/** Keys only the kubernetes backend reads are refused on docker, so a forgotten `backend` is not silent. */
function dockerProblems(input: StackConfigInput): ConfigProblem[] {
  const onlyKubernetes = { kubernetes: input.kubernetes, "images.refs": input.images?.refs, "images.registry": input.images?.registry };
  return Object.entries(onlyKubernetes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({ key, value, allowed: ONLY_KUBERNETES }));
}

const ONLY_KUBERNETES = "not set while backend is docker (the default): it is read only with backend kubernetes";

/**
 * The rules of `registryPassword`, which validation does not see: secrets are read apart, as
 * secret Outputs, so only whether it is set is known here (and no problem shows its value).
 */
export function registrySecretProblems(config: FleetConfig, passwordSet: boolean): ConfigProblem[] {
  const key = REGISTRY_PASSWORD_KEY;
  const registry = config.imageRegistry;
  if (config.backend !== "kubernetes") return passwordSet ? [{ key, value: "(a secret)", allowed: ONLY_KUBERNETES }] : [];
  if (registry === undefined) {
    return passwordSet ? [{ key, value: "(a secret)", allowed: "not set without images.registry: it is that registry's password" }] : [];
  }
  if (registry.username !== undefined && !passwordSet) {
    return [{ key, value: undefined, allowed: `a secret set with \`pulumi config set --secret ${key} ...\`: images.registry.username is set` }];
  }
  if (registry.username === undefined && passwordSet) {
    return [{ key: "images.registry.username", value: undefined, allowed: REGISTRY_USERNAME_ALLOWED }];
  }
  return [];
}

export function backendProblems(input: StackConfigInput, config: FleetConfig, host: HostLookup): ConfigProblem[] {
  return config.backend === "kubernetes" ? kubernetesProblems(config, host) : dockerProblems(input);
}
