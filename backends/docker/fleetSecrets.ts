import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { GeneratedSecretKey } from "../../config/secretKeys";
import { GENERATED_SECRET_RESOURCE, resolveFleetSecrets } from "../../core/fleetSecretValues";

export type FleetSecretsArgs = Partial<Record<GeneratedSecretKey, pulumi.Output<string>>>;

/**
 * The fleet's own secrets, from `pulumi config set --secret` or generated. Generated ones live in
 * the stack state (encrypted), so they stay the same across updates.
 */
export class FleetSecrets extends pulumi.ComponentResource {
  readonly litellmMasterKey: pulumi.Output<string>;
  /** LiteLLM encrypts stored provider credentials with the salt key: it must never change. */
  readonly litellmSaltKey: pulumi.Output<string>;
  readonly brokerToken: pulumi.Output<string>;
  /** Agents' gateway keys are derived from it; only LiteLLM and the program hold it. */
  readonly gatewayKeySecret: pulumi.Output<string>;
  readonly postgresPassword: pulumi.Output<string>;

  constructor(name: string, args: FleetSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:FleetSecrets", name, {}, opts);
    // Alphanumeric only: these go into URLs (DATABASE_URL) and env lines unescaped.
    const values = resolveFleetSecrets(args, (key) =>
      new random.RandomPassword(GENERATED_SECRET_RESOURCE[key], { length: 48, special: false }, { parent: this }).result,
    );
    this.litellmMasterKey = values.litellmMasterKey;
    this.litellmSaltKey = values.litellmSaltKey;
    this.brokerToken = values.brokerToken;
    this.gatewayKeySecret = values.gatewayKeySecret;
    this.postgresPassword = values.postgresPassword;
    this.registerOutputs({});
  }
}
