/**
 * The fleet's own secrets, backend-neutral: each one is the stack's value when set, else what
 * `generate` makes (the Docker backend generates with @pulumi/random; the Kubernetes backend
 * refuses a missing one). Every value handed out is a Pulumi secret.
 */
import * as pulumi from "@pulumi/pulumi";
import type { GeneratedSecretKey } from "../config/secretKeys";

export type FleetSecretValues = Record<GeneratedSecretKey, pulumi.Output<string>>;

/** The name of the generated resource of each secret: stable, so generated values never change. */
export const GENERATED_SECRET_RESOURCE: Record<GeneratedSecretKey, string> = {
  litellmMasterKey: "litellm-master-key",
  brokerToken: "broker-token",
  litellmSaltKey: "litellm-salt-key",
  gatewayKeySecret: "gateway-key-secret",
  postgresPassword: "postgres-password",
};

/** LiteLLM expects keys it issues or accepts to start with sk-. */
const WITH_SK_PREFIX: GeneratedSecretKey[] = ["litellmMasterKey", "litellmSaltKey"];

export function resolveFleetSecrets(
  provided: Partial<Record<GeneratedSecretKey, pulumi.Output<string>>>,
  generate: (key: GeneratedSecretKey) => pulumi.Output<string>,
): FleetSecretValues {
  const value = (key: GeneratedSecretKey) => {
    const given = provided[key];
    if (given) return pulumi.secret(given);
    const made = generate(key);
    return pulumi.secret(WITH_SK_PREFIX.includes(key) ? pulumi.interpolate`sk-${made}` : made);
  };
  return {
    litellmMasterKey: value("litellmMasterKey"),
    brokerToken: value("brokerToken"),
    litellmSaltKey: value("litellmSaltKey"),
    gatewayKeySecret: value("gatewayKeySecret"),
    postgresPassword: value("postgresPassword"),
  };
}
