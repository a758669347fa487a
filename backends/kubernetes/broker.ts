import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { coreLabels } from "../../catalogue/naming";
import { BROKER_ALIAS, BROKER_USER } from "../../core/fleetServices";
import { BROKER_PORT } from "../../contract/ports";
import { BROKER_DATA_PATH, BROKER_NAMESPACE_ENV, BROKER_RUNTIME_ENV, BROKER_TOKEN_ENV, BROKER_USAGE_KEY_ENV, brokerPlainEnv } from "../../core/serviceEnv";
import { claimSpec } from "./claims";
import { plainEnv, podFieldEnv } from "./containerEnv";
import { coreService } from "./coreService";
import { BROKER_DATA_CLAIM, BROKER_SECRET } from "./objectNames";
import { imagePullSecrets } from "./registryPullSecret";
import { nonRootPod, restrictedContainer, serviceResources } from "./podSecurity";
import { secretEnv } from "./serviceSecrets";
import type { FleetPartArgs } from "./fleetPartArgs";

export interface BrokerArgs extends FleetPartArgs {
  image: pulumi.Input<string>;
  serviceAccountName: pulumi.Input<string>;
  /** The registry pull secret, when the image is pushed there by this stack. */
  pullSecret?: pulumi.Input<string>;
}

/** The broker's job database: small, and kept across restarts so jobs are reconciled, not lost. */
const BROKER_DATA_SIZE = "1Gi";

/**
 * The broker: finds agent pods by label and runs jobs in them through the API, as its own
 * ServiceAccount (BrokerAccess). One replica: its database is a file on a ReadWriteOnce claim, so
 * an update stops the old pod before the new one starts.
 */
export class Broker extends pulumi.ComponentResource {
  constructor(name: string, args: BrokerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:Broker", name, {}, opts);
    const { config } = args;
    const labels = coreLabels(config.stack, "broker");
    const claim = new k8s.core.v1.PersistentVolumeClaim(
      "data",
      { metadata: { name: BROKER_DATA_CLAIM, namespace: args.namespace, labels }, spec: claimSpec(config.kubernetes, BROKER_DATA_SIZE) },
      // Job history outlives the stack, like the workspaces: destroy leaves the claim.
      { parent: this, retainOnDelete: true },
    );
    const env = { ...brokerPlainEnv(config.stack, config.jobTimeoutSeconds), [BROKER_RUNTIME_ENV]: "kubernetes" };
    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: BROKER_ALIAS, namespace: args.namespace, labels },
        spec: {
          replicas: 1,
          strategy: { type: "Recreate" },
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: args.serviceAccountName,
              // The one pod of the fleet that talks to the API.
              automountServiceAccountToken: true,
              enableServiceLinks: false,
              ...imagePullSecrets(args.pullSecret),
              securityContext: nonRootPod(BROKER_USER),
              containers: [
                {
                  name: "broker",
                  image: args.image,
                  env: [
                    ...plainEnv(env),
                    podFieldEnv(BROKER_NAMESPACE_ENV, "metadata.namespace"),
                    secretEnv(BROKER_SECRET, BROKER_TOKEN_ENV),
                    secretEnv(BROKER_SECRET, BROKER_USAGE_KEY_ENV),
                  ],
                  ports: [{ name: "http", containerPort: BROKER_PORT }],
                  volumeMounts: [{ name: "data", mountPath: BROKER_DATA_PATH }],
                  readinessProbe: { httpGet: { path: "/health", port: BROKER_PORT }, periodSeconds: 5 },
                  securityContext: restrictedContainer(),
                  resources: serviceResources(512),
                },
              ],
              volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim.metadata.name } }],
            },
          },
        },
      },
      { parent: this },
    );
    coreService(`${name}-service`, { name: BROKER_ALIAS, namespace: args.namespace, labels, port: BROKER_PORT }, this);
    this.registerOutputs({});
  }
}
