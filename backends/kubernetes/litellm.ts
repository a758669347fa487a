import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { coreLabels } from "../../catalogue/naming";
import { GATEWAY_AUTH_MODULE_PATH, GATEWAY_AUTH_SOURCE, GATEWAY_POLICY_PATH, LITELLM_ALIAS, LITELLM_CONFIG_PATH } from "../../core/fleetServices";
import { LITELLM_PORT } from "../../contract/ports";
import { gatewayPolicyJson } from "../../core/gatewayPolicy";
import { litellmConfigYaml } from "../../core/litellmConfig";
import { LITELLM_PLAIN_ENV } from "../../core/serviceEnv";
import { plainEnv } from "./containerEnv";
import { coreService } from "./coreService";
import { LITELLM_CONFIG_MAP, LITELLM_SECRET } from "./objectNames";
import { imageUserPod, restrictedContainer, serviceResources } from "./podSecurity";
import { secretEnv } from "./serviceSecrets";
import type { FleetPartArgs } from "./fleetPartArgs";

export interface LiteLlmArgs extends FleetPartArgs {
  /** Config keys of the provider keys the stack has: only those get an api_key line. */
  providerKeyNames: string[];
  /** The variables of LiteLLM's Secret (ServiceSecrets). */
  secretVariables: string[];
}

/** The model gateway every agent talks to: its generated config in a ConfigMap, its keys from its Secret. */
export class LiteLlm extends pulumi.ComponentResource {
  constructor(name: string, args: LiteLlmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:LiteLlm", name, {}, opts);
    const { config } = args;
    const labels = coreLabels(config.stack, "litellm");
    // ConfigMap keys are file names; each file is mounted at the path LiteLLM reads it from.
    const files: Record<string, string> = {
      [LITELLM_CONFIG_PATH]: litellmConfigYaml(config, args.providerKeyNames),
      [GATEWAY_AUTH_MODULE_PATH]: fs.readFileSync(GATEWAY_AUTH_SOURCE, "utf8"),
      [GATEWAY_POLICY_PATH]: gatewayPolicyJson(config),
    };
    const configMap = new k8s.core.v1.ConfigMap(
      "config",
      {
        metadata: { name: LITELLM_CONFIG_MAP, namespace: args.namespace, labels },
        data: Object.fromEntries(Object.entries(files).map(([file, content]) => [path.basename(file), content])),
      },
      { parent: this },
    );
    // A changed ConfigMap does not restart pods; a changed template annotation does.
    const configHash = createHash("sha256").update(JSON.stringify(files)).digest("hex").slice(0, 16);
    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: LITELLM_ALIAS, namespace: args.namespace, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels, annotations: { "llpm.config-hash": configHash } },
            spec: {
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: imageUserPod(),
              containers: [
                {
                  name: "litellm",
                  image: config.litellm.image,
                  args: ["--config", LITELLM_CONFIG_PATH, "--port", String(LITELLM_PORT)],
                  env: [
                    ...plainEnv(LITELLM_PLAIN_ENV),
                    ...args.secretVariables.map((variable) => secretEnv(LITELLM_SECRET, variable)),
                  ],
                  ports: [{ name: "http", containerPort: LITELLM_PORT }],
                  volumeMounts: Object.keys(files).map((file) => ({ name: "config", mountPath: file, subPath: path.basename(file), readOnly: true })),
                  // /health calls every model with auth; liveliness only says the server answers.
                  readinessProbe: { httpGet: { path: "/health/liveliness", port: LITELLM_PORT }, periodSeconds: 5, timeoutSeconds: 5 },
                  securityContext: restrictedContainer(),
                  resources: serviceResources(2048),
                },
              ],
              volumes: [{ name: "config", configMap: { name: configMap.metadata.name } }],
            },
          },
        },
      },
      { parent: this },
    );
    coreService(`${name}-service`, { name: LITELLM_ALIAS, namespace: args.namespace, labels, port: LITELLM_PORT }, this);
    this.registerOutputs({});
  }
}
