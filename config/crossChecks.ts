/** Rules that span several keys, checked once every default is filled in. */
import { AGENT_TYPES, typesWithSubscription } from "../catalogue/agentTypes";
import { PROCESS_LIMIT_MARGIN } from "./defaults";
import { MODEL_PROVIDER_DOMAINS, reachesDomain } from "./egressAllowlist";
import type { FleetConfig } from "./fleetConfig";
import type { ConfigProblem } from "./problems";

interface PortClaim {
  key: string;
  port: number;
  what: string;
}

/** Every host port the fleet publishes, with the key that decides it. */
export function portClaims(config: FleetConfig): PortClaim[] {
  return [
    { key: "ports.broker", port: config.ports.broker, what: "the broker" },
    { key: "ports.litellm", port: config.ports.litellm, what: "LiteLLM" },
  ];
}

function portProblems(config: FleetConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<number, PortClaim>();
  for (const claim of portClaims(config)) {
    const earlier = seen.get(claim.port);
    if (earlier) {
      problems.push({
        key: claim.key,
        value: claim.port,
        allowed: `a port not already used: ${claim.port} would serve both ${earlier.what} (${earlier.key}) and ${claim.what}`,
      });
    } else {
      seen.set(claim.port, claim);
    }
  }
  return problems;
}

function authModeProblems(config: FleetConfig): ConfigProblem[] {
  if (config.authMode !== "subscription") return [];
  const withSubscription = typesWithSubscription();
  return AGENT_TYPES.filter((t) => config.agents[t] > 0 && !withSubscription.includes(t)).map((t) => ({
    key: "authMode",
    value: config.authMode,
    allowed: `api_key while agents.${t} is ${config.agents[t]} (${t} has no subscription mode; only ${withSubscription.join(", ")} do), or set agents.${t} to 0`,
  }));
}

function modelProblems(config: FleetConfig): ConfigProblem[] {
  const names = config.models.list.map((m) => m.name);
  const known = `a model of models.list: ${[...new Set(names)].join(", ")}`;
  const problems: ConfigProblem[] = [];
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i)
      problems.push({ key: `models.list.${i}.name`, value: name, allowed: "a name not used by another entry" });
  });
  for (const type of AGENT_TYPES) {
    const model = config.models.agents[type];
    if (config.agents[type] > 0 && !names.includes(model))
      problems.push({ key: `models.agents.${type}`, value: model, allowed: known });
  }
  for (const [model, fallbacks] of Object.entries(config.litellm.fallbacks)) {
    if (!names.includes(model)) problems.push({ key: `litellm.fallbacks.${model}`, value: model, allowed: known });
    fallbacks.forEach((f, i) => {
      if (!names.includes(f)) problems.push({ key: `litellm.fallbacks.${model}.${i}`, value: f, allowed: known });
    });
  }
  for (const model of Object.keys(config.litellm.upstream)) {
    if (!names.includes(model)) problems.push({ key: `litellm.upstream.${model}`, value: model, allowed: known });
  }
  return problems;
}

/**
 * RLIMIT_NPROC is checked against every process of the uid on the whole host, not per container
 * (@pulumi/docker has no pids limit), so the one limit all agents get must hold the whole fleet.
 */
export function requiredProcessLimit(config: FleetConfig): number {
  return AGENT_TYPES.reduce((sum, t) => sum + config.agents[t] * config.resources[t].processes, 0) + PROCESS_LIMIT_MARGIN;
}

function processLimitProblems(config: FleetConfig): ConfigProblem[] {
  const needed = requiredProcessLimit(config);
  if (config.processLimit >= needed) return [];
  return [
    {
      key: "processLimit",
      value: config.processLimit,
      allowed: `at least ${needed} (every agent's resources.<type>.processes times its count, plus ${PROCESS_LIMIT_MARGIN} for your own processes), or fewer agents`,
    },
  ];
}

function egressProblems(config: FleetConfig): ConfigProblem[] {
  return config.egress.allow.flatMap((entry, i) => {
    const provider = MODEL_PROVIDER_DOMAINS.find((d) => reachesDomain(entry, d));
    return provider === undefined
      ? []
      : [
          {
            key: `egress.allow.${i}`,
            value: entry,
            allowed: `a host outside the model providers' domains (${provider} is one): agents reach models only through LiteLLM`,
          },
        ];
  });
}

export function fleetConfigProblems(config: FleetConfig): ConfigProblem[] {
  return [
    ...portProblems(config),
    ...authModeProblems(config),
    ...modelProblems(config),
    ...processLimitProblems(config),
    ...egressProblems(config),
  ];
}
