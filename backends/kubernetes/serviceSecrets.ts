import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { coreLabels, type Role } from "../../catalogue/naming";
import type { FleetSecretValues } from "../../core/fleetSecretValues";
import { usageReaderKey } from "../../core/gatewayKey";
import { BROKER_TOKEN_ENV, BROKER_USAGE_KEY_ENV, LITELLM_SECRET_ENV, litellmProviderEnv, POSTGRES_PASSWORD_ENV, postgresDatabaseUrl } from "../../core/serviceEnv";
import { BROKER_SECRET, LITELLM_SECRET, POSTGRES_SECRET } from "./objectNames";

export interface ServiceSecretsArgs {
  stack: string;
  namespace: pulumi.Input<string>;
  secrets: FleetSecretValues;
  /** Provider keys the stack has, by config key (anthropicApiKey ...). */
  providerKeys: Record<string, pulumi.Output<string>>;
}

/** A reference to one key of one of these Secrets, as a container env entry takes it. */
export function secretEnv(secret: string, variable: string) {
  return { name: variable, valueFrom: { secretKeyRef: { name: secret, key: variable } } };
}

/**
 * The core services' secret env, one Secret per service so each pod can read only its own: keys
 * are the variable names, so a container refers to them with secretEnv().
 */
export class ServiceSecrets extends pulumi.ComponentResource {
  /** LiteLLM's variable names held in its Secret. */
  readonly litellmVariables: string[];

  constructor(name: string, args: ServiceSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:ServiceSecrets", name, {}, opts);
    const { secrets } = args;
    const providerEnv = litellmProviderEnv(args.providerKeys);
    const declare = (resourceName: string, secretName: string, role: Role, data: Record<string, pulumi.Output<string>>) =>
      new k8s.core.v1.Secret(
        resourceName,
        {
          metadata: { name: secretName, namespace: args.namespace, labels: coreLabels(args.stack, role) },
          type: "Opaque",
          stringData: pulumi.secret(pulumi.all(data)),
        },
        { parent: this },
      );
    const litellm: Record<string, pulumi.Output<string>> = {
      [LITELLM_SECRET_ENV.masterKey]: secrets.litellmMasterKey,
      [LITELLM_SECRET_ENV.gatewayKeySecret]: secrets.gatewayKeySecret,
      [LITELLM_SECRET_ENV.saltKey]: secrets.litellmSaltKey,
      [LITELLM_SECRET_ENV.databaseUrl]: secrets.postgresPassword.apply(postgresDatabaseUrl),
      ...Object.fromEntries(providerEnv.map((e) => [e.name, e.value])),
    };
    declare("litellm", LITELLM_SECRET, "litellm", litellm);
    declare("broker", BROKER_SECRET, "broker", {
      [BROKER_TOKEN_ENV]: secrets.brokerToken,
      [BROKER_USAGE_KEY_ENV]: secrets.gatewayKeySecret.apply(usageReaderKey),
    });
    declare("postgres", POSTGRES_SECRET, "postgres", { [POSTGRES_PASSWORD_ENV]: secrets.postgresPassword });
    this.litellmVariables = Object.keys(litellm).sort();
    this.registerOutputs({});
  }
}
