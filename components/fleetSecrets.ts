import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface FleetSecretsArgs {
  /** From `pulumi config set --secret`; generated when absent. */
  litellmMasterKey?: pulumi.Output<string>;
  brokerToken?: pulumi.Output<string>;
}

/**
 * The fleet's own secrets. Generated ones live in the stack state (encrypted), so they stay the
 * same across updates; every value handed out here is a Pulumi secret.
 */
export class FleetSecrets extends pulumi.ComponentResource {
  readonly litellmMasterKey: pulumi.Output<string>;
  readonly litellmSaltKey: pulumi.Output<string>;
  readonly brokerToken: pulumi.Output<string>;
  /** Agents' gateway keys are derived from it; only LiteLLM and the program hold it. */
  readonly gatewayKeySecret: pulumi.Output<string>;
  readonly postgresPassword: pulumi.Output<string>;

  constructor(name: string, args: FleetSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:FleetSecrets", name, {}, opts);
    // Alphanumeric only: these go into URLs (DATABASE_URL) and env lines unescaped.
    const generate = (resourceName: string) =>
      pulumi.secret(new random.RandomPassword(resourceName, { length: 48, special: false }, { parent: this }).result);
    // LiteLLM expects keys it issues or accepts to start with sk-.
    this.litellmMasterKey = pulumi.secret(args.litellmMasterKey ?? pulumi.interpolate`sk-${generate("litellm-master-key")}`);
    this.brokerToken = pulumi.secret(args.brokerToken ?? generate("broker-token"));
    // LiteLLM encrypts stored provider credentials with the salt key: it must never change.
    this.litellmSaltKey = pulumi.interpolate`sk-${generate("litellm-salt-key")}`;
    this.postgresPassword = generate("postgres-password");
    this.gatewayKeySecret = generate("gateway-key-secret");
    this.registerOutputs({});
  }
}
