import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AgentType } from "../../catalogue/agentTypes";
import { agentId, coreLabels } from "../../catalogue/naming";
import { MAX_INSTANCES_PER_TYPE } from "../../config/defaults";
import type { FleetConfig } from "../../config/fleetConfig";
import { agentCredentials } from "./agentTemplateEnv";
import { agentCredentialsSecretName } from "./objectNames";

export interface AgentCredentialsArgs {
  config: FleetConfig;
  type: AgentType;
  namespace: pulumi.Input<string>;
  gatewayKeySecret: pulumi.Output<string>;
  brokerToken: pulumi.Output<string>;
}

/** Secret key of one instance's variable: `aider-1.OPENAI_API_KEY`. */
export function credentialKey(id: string, variable: string): string {
  return `${id}.${variable}`;
}

/**
 * Every possible instance's own credentials (gateway key, broker token), for indexes 1 to the
 * most a type may have: the Secret does not change with the count, so scaling changes only the
 * StatefulSet. Only the pods' init container mounts it, and copies out its own pod's entries.
 */
export class AgentCredentials extends pulumi.ComponentResource {
  readonly secretName: pulumi.Output<string>;

  constructor(name: string, args: AgentCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:AgentCredentials", name, {}, opts);
    const { config, type } = args;
    const stringData = pulumi.all([args.gatewayKeySecret, args.brokerToken]).apply(([gatewayKeySecret, brokerToken]) =>
      Object.fromEntries(
        Array.from({ length: MAX_INSTANCES_PER_TYPE }, (_, i) => i + 1).flatMap((index) =>
          Object.entries(agentCredentials(config, type, index, { gatewayKeySecret, brokerToken })).map(([variable, value]) => [
            credentialKey(agentId(type, index), variable),
            value,
          ]),
        ),
      ),
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      {
        metadata: { name: agentCredentialsSecretName(type), namespace: args.namespace, labels: coreLabels(config.stack, "agent") },
        type: "Opaque",
        stringData: pulumi.secret(stringData),
      },
      { parent: this },
    );
    this.secretName = secret.metadata.name;
    this.registerOutputs({ secretName: this.secretName });
  }
}
