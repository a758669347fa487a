import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { coreLabels } from "../../catalogue/naming";
import { EGRESS_PROXY_PORT } from "../../contract/ports";
import { EGRESS_PROXY_HEALTH_COMMAND, EGRESS_PROXY_TMPFS_BYTES, EGRESS_PROXY_USER, SQUID_CONFIG_ENV } from "../../core/egressProxyImage";
import { EGRESS_PROXY_ALIAS } from "../../core/fleetServices";
import { squidConfig } from "../../core/squidConfig";
import { plainEnv } from "./containerEnv";
import { coreService } from "./coreService";
import { imagePullSecrets } from "./registryPullSecret";
import { nonRootPod, restrictedContainer, serviceResources } from "./podSecurity";
import type { FleetPartArgs } from "./fleetPartArgs";

export interface EgressProxyArgs extends FleetPartArgs {
  image: pulumi.Input<string>;
  /** The registry pull secret, when the image is pushed there by this stack. */
  pullSecret?: pulumi.Input<string>;
}

/**
 * Agents' only way out, as on Docker: Squid from images/egress-proxy with the config generated
 * from `egress.mode` / `egress.allow`, every request logged on its stdout (`kubectl logs
 * deploy/egress-proxy`), refusals as TCP_DENIED/403. The NetworkPolicies (networkPolicies.ts)
 * leave agents no other route. Stateless, so a changed allowlist rolls out with the new pod up
 * before the old one stops, and agents' downloads see no gap.
 */
export class EgressProxy extends pulumi.ComponentResource {
  constructor(name: string, args: EgressProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:EgressProxy", name, {}, opts);
    const { config } = args;
    const labels = coreLabels(config.stack, "egress-proxy");
    const probe = { exec: { command: EGRESS_PROXY_HEALTH_COMMAND }, periodSeconds: 10, timeoutSeconds: 10 };
    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: EGRESS_PROXY_ALIAS, namespace: args.namespace, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              ...imagePullSecrets(args.pullSecret),
              securityContext: nonRootPod(EGRESS_PROXY_USER),
              containers: [
                {
                  name: "egress-proxy",
                  image: args.image,
                  env: plainEnv({ [SQUID_CONFIG_ENV]: squidConfig(config) }),
                  ports: [{ name: "proxy", containerPort: EGRESS_PROXY_PORT }],
                  volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                  readinessProbe: probe,
                  livenessProbe: { ...probe, failureThreshold: 6 },
                  securityContext: { ...restrictedContainer(), readOnlyRootFilesystem: true },
                  resources: serviceResources(256),
                },
              ],
              volumes: [{ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: `${EGRESS_PROXY_TMPFS_BYTES / 1024 / 1024}Mi` } }],
            },
          },
        },
      },
      { parent: this },
    );
    coreService(`${name}-service`, { name: EGRESS_PROXY_ALIAS, namespace: args.namespace, labels, port: EGRESS_PROXY_PORT }, this);
    this.registerOutputs({});
  }
}
