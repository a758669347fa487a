import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { LITELLM_PORT } from "../../contract/ports";
import { containerName, coreLabels } from "../../catalogue/naming";
import type { FleetConfig } from "../../config/fleetConfig";
import { dockerLabels, envList, fleetContainerBasics, publishedPort, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import * as fs from "node:fs";
import { memoryWithoutSwap } from "./providerReadBack";
import { gatewayPolicyJson } from "../../core/gatewayPolicy";
import { litellmConfigYaml } from "../../core/litellmConfig";
import { LITELLM_PLAIN_ENV, LITELLM_SECRET_ENV, litellmProviderEnv } from "../../core/serviceEnv";

import { GATEWAY_AUTH_MODULE_PATH, GATEWAY_AUTH_SOURCE, GATEWAY_POLICY_PATH, LITELLM_ALIAS, LITELLM_CONFIG_PATH } from "../../core/fleetServices";


export interface LiteLlmArgs {
  config: FleetConfig;
  /** Where agents reach it, as `litellm`. */
  agentsNetwork: pulumi.Input<string>;
  /** Postgres, which no agent can reach. */
  backendNetwork: pulumi.Input<string>;
  /** LiteLLM's own route to the upstreams (and its published port). */
  egressNetwork: pulumi.Input<string>;
  masterKey: pulumi.Output<string>;
  /** The secret agent gateway keys are derived from (core/gatewayKey.ts). */
  gatewayKeySecret: pulumi.Output<string>;
  saltKey: pulumi.Output<string>;
  databaseUrl: pulumi.Output<string>;
  /** Provider keys the stack has, by config key (anthropicApiKey ...). */
  providerKeys: Record<string, pulumi.Output<string>>;
}

/** The model gateway every agent talks to; its admin UI is at /ui. */
export class LiteLlm extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: LiteLlmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:LiteLlm", name, {}, opts);
    const { config } = args;
    const providerEnv = litellmProviderEnv(args.providerKeys);
    const envs = pulumi
      .all([args.masterKey, args.gatewayKeySecret, args.saltKey, args.databaseUrl, pulumi.all(providerEnv.map((e) => e.value))])
      .apply(([masterKey, gatewayKeySecret, saltKey, databaseUrl, providerValues]) =>
        envList({
          ...LITELLM_PLAIN_ENV,
          [LITELLM_SECRET_ENV.masterKey]: masterKey,
          [LITELLM_SECRET_ENV.gatewayKeySecret]: gatewayKeySecret,
          [LITELLM_SECRET_ENV.saltKey]: saltKey,
          [LITELLM_SECRET_ENV.databaseUrl]: databaseUrl,
          ...Object.fromEntries(providerEnv.map((e, i) => [e.name, providerValues[i]])),
        }),
      );
    this.container = new docker.Container(
      "litellm",
      {
        name: containerName(config.stack, "litellm"),
        image: config.litellm.image,
        labels: dockerLabels(coreLabels(config.stack, "litellm")),
        command: ["--config", LITELLM_CONFIG_PATH, "--port", String(LITELLM_PORT)],
        envs: pulumi.secret(envs),
        uploads: [
          { file: LITELLM_CONFIG_PATH, content: litellmConfigYaml(config, Object.keys(args.providerKeys)) },
          { file: GATEWAY_AUTH_MODULE_PATH, content: fs.readFileSync(GATEWAY_AUTH_SOURCE, "utf8") },
          { file: GATEWAY_POLICY_PATH, content: gatewayPolicyJson(config) },
        ],
        networksAdvanced: [
          { name: args.egressNetwork },
          { name: args.agentsNetwork, aliases: [LITELLM_ALIAS] },
          { name: args.backendNetwork },
        ],
        ports: [publishedPort(config.ports.bindAddress, config.ports.litellm, LITELLM_PORT)],
        ...memoryWithoutSwap(2048),
        // /health calls every model with auth; liveliness only says the server answers.
        ...fleetContainerBasics([
          "python3",
          "-c",
          `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${LITELLM_PORT}/health/liveliness', timeout=5)`,
        ]),
      },
      { parent: this, ...REPLACE_BY_DELETING_FIRST },
    );
    this.registerOutputs({});
  }
}
