import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerName, coreLabels } from "../catalogue/naming";
import type { FleetConfig } from "../config/fleetConfig";
import { PROVIDER_KEYS } from "../config/secretKeys";
import { dockerLabels, envList, fleetContainerBasics, publishedPort, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import { memoryWithoutSwap } from "./providerReadBack";
import { litellmConfigYaml } from "./litellmConfig";

export const LITELLM_ALIAS = "litellm";
export const LITELLM_PORT = 4000;
export const LITELLM_CONFIG_PATH = "/app/config.yaml";

export interface LiteLlmArgs {
  config: FleetConfig;
  networkName: pulumi.Input<string>;
  masterKey: pulumi.Output<string>;
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
    const providerEnv = PROVIDER_KEYS.filter((k) => args.providerKeys[k.configKey] !== undefined).map((k) => ({
      name: k.litellmEnv,
      value: args.providerKeys[k.configKey],
    }));
    const envs = pulumi
      .all([args.masterKey, args.saltKey, args.databaseUrl, pulumi.all(providerEnv.map((e) => e.value))])
      .apply(([masterKey, saltKey, databaseUrl, providerValues]) =>
        envList({
          LITELLM_MASTER_KEY: masterKey,
          LITELLM_SALT_KEY: saltKey,
          DATABASE_URL: databaseUrl,
          STORE_MODEL_IN_DB: "True",
          // The cost map ships in the image; fetching it at start is a needless outbound call.
          LITELLM_LOCAL_MODEL_COST_MAP: "True",
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
        uploads: [{ file: LITELLM_CONFIG_PATH, content: litellmConfigYaml(config, Object.keys(args.providerKeys)) }],
        networksAdvanced: [{ name: args.networkName, aliases: [LITELLM_ALIAS] }],
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
