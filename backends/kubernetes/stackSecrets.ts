/**
 * The fleet's secrets on Kubernetes come from the stack only: nothing is generated here (the
 * random provider is not used on this backend), so a missing one is a config problem.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ImageRegistry } from "../../builds/fleetImage";
import type { FleetConfig } from "../../config/fleetConfig";
import type { FleetSecretValues } from "../../core/fleetSecretValues";
import { ConfigError } from "../../config/problems";
import type { StackSecrets } from "../../config/readStackConfig";
import { GENERATED_SECRET_KEYS, REGISTRY_PASSWORD_KEY } from "../../config/secretKeys";

export function requiredFleetSecrets(secrets: StackSecrets): FleetSecretValues {
  const missing = GENERATED_SECRET_KEYS.filter((k) => secrets[k] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map((key) => ({
        key,
        value: undefined,
        allowed: `a secret set with \`pulumi config set --secret ${key} ...\`: backend kubernetes generates none`,
      })),
    );
  }
  return Object.fromEntries(GENERATED_SECRET_KEYS.map((k) => [k, pulumi.secret(secrets[k]!)])) as FleetSecretValues;
}

/** `images.registry` with its password (already checked by registrySecretProblems); absent: nothing is built. */
export function imageRegistry(config: FleetConfig, secrets: StackSecrets): ImageRegistry | undefined {
  if (config.imageRegistry === undefined) return undefined;
  const password = secrets[REGISTRY_PASSWORD_KEY];
  return { ...config.imageRegistry, ...(password !== undefined ? { password: pulumi.secret(password) } : {}) };
}
