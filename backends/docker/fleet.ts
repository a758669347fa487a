import * as pulumi from "@pulumi/pulumi";
import { AGENT_TYPES } from "../../catalogue/agentTypes";
import { allAgentInstances, type AgentInstance } from "../../catalogue/instances";
import type { FleetConfig } from "../../config/fleetConfig";
import type { HostUser } from "../../config/hostUser";
import { configuredProviderKeys, type StackSecrets } from "../../config/readStackConfig";
import { GENERATED_SECRET_KEYS } from "../../config/secretKeys";
import { AgentImages } from "../../builds/agentImages";
import { AgentPool } from "./agentPool";
import { Broker } from "./broker";
import { EgressProxy } from "./egressProxy";
import { FleetNetworks } from "./network";
import { FleetSecrets } from "./fleetSecrets";
import { LiteLlm } from "./litellm";
import { Postgres } from "./postgres";

export interface FleetArgs {
  config: FleetConfig;
  /** Secret config values by key (`anthropicApiKey`, `brokerToken` ...); absent ones are unset. */
  secrets: StackSecrets;
  agentUser: HostUser;
  homeDir: string;
  /** Folder holding `images/` and `broker/`. */
  projectRoot: string;
  dockerSocket: { path: string; gid: number };
}

/** Host address for URLs: a wildcard bind is still reached on loopback from the deploying host. */
function urlHost(bindAddress: string): string {
  return bindAddress === "0.0.0.0" ? "127.0.0.1" : bindAddress;
}

/** The whole fleet: networks, images, Postgres, LiteLLM, broker, the egress proxy and one pool per agent type. */
export class Fleet extends pulumi.ComponentResource {
  readonly brokerUrl: string;
  readonly litellmUrl: string;
  readonly agents: AgentInstance[];
  readonly brokerToken: pulumi.Output<string>;
  readonly litellmMasterKey: pulumi.Output<string>;

  constructor(name: string, args: FleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:Fleet", name, {}, opts);
    const { config } = args;
    const child = { parent: this };
    const providerKeys = configuredProviderKeys(args.secrets);
    const secrets = new FleetSecrets(
      "secrets",
      Object.fromEntries(GENERATED_SECRET_KEYS.map((k) => [k, args.secrets[k]])),
      child,
    );
    const networks = new FleetNetworks("network", { stack: config.stack }, child);
    const postgres = new Postgres(
      "postgres",
      { stack: config.stack, image: config.postgresImage, backendNetwork: networks.backend, password: secrets.postgresPassword },
      child,
    );
    new LiteLlm(
      "litellm",
      {
        config,
        agentsNetwork: networks.agents,
        backendNetwork: networks.backend,
        egressNetwork: networks.egress,
        masterKey: secrets.litellmMasterKey,
        gatewayKeySecret: secrets.gatewayKeySecret,
        saltKey: secrets.litellmSaltKey,
        databaseUrl: postgres.databaseUrl,
        providerKeys,
      },
      { parent: this, dependsOn: [postgres] },
    );
    new Broker(
      "broker",
      {
        stack: config.stack,
        projectRoot: args.projectRoot,
        nodeImage: config.brokerNodeImage,
        extraCaCertificates: config.extraCaCertificates,
        agentsNetwork: networks.agents,
        egressNetwork: networks.egress,
        bindAddress: config.ports.bindAddress,
        hostPort: config.ports.broker,
        brokerToken: secrets.brokerToken,
        gatewayKeySecret: secrets.gatewayKeySecret,
        jobTimeoutSeconds: config.jobTimeoutSeconds,
        dockerSocket: args.dockerSocket,
      },
      child,
    );
    // egress.mode none: no proxy at all, so agents have no way out.
    if (config.egress.mode !== "none") {
      new EgressProxy(
        "egress-proxy",
        { config, projectRoot: args.projectRoot, agentsNetwork: networks.agents, egressNetwork: networks.egress },
        child,
      );
    }
    const usedTypes = AGENT_TYPES.filter((t) => config.agents[t] > 0);
    const images = new AgentImages(
      "images",
      {
        config,
        projectRoot: args.projectRoot,
        agentUser: args.agentUser,
        types: usedTypes,
      },
      child,
    );
    for (const type of usedTypes) {
      new AgentPool(
        `pool-${type}`,
        {
          config,
          type,
          image: images.imageFor(type),
          agentsNetwork: networks.agents,
          gatewayKeySecret: secrets.gatewayKeySecret,
          brokerToken: secrets.brokerToken,
          agentUser: args.agentUser,
          homeDir: args.homeDir,
        },
        child,
      );
    }
    const host = urlHost(config.ports.bindAddress);
    this.brokerUrl = `http://${host}:${config.ports.broker}`;
    this.litellmUrl = `http://${host}:${config.ports.litellm}`;
    this.agents = allAgentInstances(config);
    this.brokerToken = secrets.brokerToken;
    this.litellmMasterKey = secrets.litellmMasterKey;
    this.registerOutputs({ brokerUrl: this.brokerUrl, litellmUrl: this.litellmUrl });
  }
}
