import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { coreLabels } from "../../catalogue/naming";
import { POSTGRES_ALIAS, POSTGRES_DATA_PATH, POSTGRES_ENTRYPOINT_CAPABILITIES, POSTGRES_PORT } from "../../core/fleetServices";
import { POSTGRES_DATABASE, POSTGRES_PASSWORD_ENV, POSTGRES_PLAIN_ENV, POSTGRES_USER } from "../../core/serviceEnv";
import { POSTGRES_DATA_CLAIM_TEMPLATE, POSTGRES_SECRET } from "./objectNames";
import { imageUserPod, restrictedContainer, serviceResources } from "./podSecurity";
import { secretEnv } from "./serviceSecrets";
import { claimSpec, RETAIN_CLAIMS } from "./claims";
import { plainEnv } from "./containerEnv";
import { coreService } from "./coreService";
import type { FleetPartArgs } from "./fleetPartArgs";

/** LiteLLM keeps spend logs and keys there: small. */
const POSTGRES_DATA_SIZE = "1Gi";

export type PostgresArgs = FleetPartArgs;

/** LiteLLM's database: one pod with its own data claim (retained), reachable only inside the namespace. */
export class Postgres extends pulumi.ComponentResource {
  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:Postgres", name, {}, opts);
    const { config } = args;
    const labels = coreLabels(config.stack, "postgres");
    const service = coreService(`${name}-service`, { name: POSTGRES_ALIAS, namespace: args.namespace, labels, port: POSTGRES_PORT }, this);
    new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: { name: POSTGRES_ALIAS, namespace: args.namespace, labels },
        spec: {
          serviceName: service.metadata.name,
          replicas: 1,
          persistentVolumeClaimRetentionPolicy: RETAIN_CLAIMS,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: imageUserPod(),
              containers: [
                {
                  name: "postgres",
                  image: config.postgresImage,
                  env: [
                    ...plainEnv(POSTGRES_PLAIN_ENV),
                    secretEnv(POSTGRES_SECRET, POSTGRES_PASSWORD_ENV),
                  ],
                  ports: [{ name: "postgres", containerPort: POSTGRES_PORT }],
                  volumeMounts: [{ name: POSTGRES_DATA_CLAIM_TEMPLATE, mountPath: POSTGRES_DATA_PATH }],
                  readinessProbe: { exec: { command: ["pg_isready", "-U", POSTGRES_USER, "-d", POSTGRES_DATABASE] }, periodSeconds: 5 },
                  // The image's entrypoint prepares the data folder as root, then drops to the postgres user.
                  securityContext: restrictedContainer(POSTGRES_ENTRYPOINT_CAPABILITIES),
                  resources: serviceResources(1024),
                },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: POSTGRES_DATA_CLAIM_TEMPLATE, labels },
              spec: claimSpec(config.kubernetes, POSTGRES_DATA_SIZE),
            },
          ],
        },
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
