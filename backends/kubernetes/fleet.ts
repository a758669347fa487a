import * as pulumi from "@pulumi/pulumi";
import { AGENT_TYPES } from "../../catalogue/agentTypes";
import { allAgentInstances } from "../../catalogue/instances";
import type { ImageRegistry } from "../../builds/fleetImage";
import { BROKER_IMAGE_NAME, EGRESS_PROXY_IMAGE_NAME } from "../../config/defaults";
import type { FleetConfig } from "../../config/fleetConfig";
import type { HostUser } from "../../config/hostUser";
import type { FleetSecretValues } from "../../core/fleetSecretValues";
import { BROKER_ALIAS, LITELLM_ALIAS } from "../../core/fleetServices";
import { BROKER_PORT, LITELLM_PORT } from "../../contract/ports";
import { AgentCredentials } from "./agentCredentials";
import { AgentStatefulSet } from "./agentStatefulSet";
import { Broker } from "./broker";
import { ClusterImages } from "./clusterImages";
import { BrokerAccess } from "./brokerAccess";
import { EgressProxy } from "./egressProxy";
import { LiteLlm } from "./litellm";
import { FleetNamespace } from "./namespace";
import { FleetNetworkPolicies } from "./networkPolicies";
import { workspaceClaimName } from "./objectNames";
import { Postgres } from "./postgres";
import { RegistryPullSecret } from "./registryPullSecret";
import { ServiceSecrets } from "./serviceSecrets";

export interface KubernetesFleetArgs {
  config: FleetConfig;
  secrets: FleetSecretValues;
  /** Provider keys the stack has, by config key (anthropicApiKey ...). */
  providerKeys: Record<string, pulumi.Output<string>>;
  /** The uid/gid the agent images are built for and run as. */
  agentUser: HostUser;
  /** The folder holding `images/` and `broker/`, for the images the cluster builds. */
  projectRoot: string;
  /** Where built images are pushed; absent: every image is in `images.refs`. */
  registry?: ImageRegistry;
}

/** Where the cluster's DNS runs (CoreDNS / kube-dns): the one namespace agents may reach besides their own. */
const DNS_NAMESPACE = "kube-system";

export interface KubernetesAgent {
  id: string;
  type: string;
  index: number;
  /** The pod is named after the agent; its workspace is this claim. */
  pod: string;
  workspaceClaim: string;
}

/** The whole fleet in one namespace (and its images): Secrets, Postgres, LiteLLM, the broker, the egress proxy and one StatefulSet per agent type. */
export class KubernetesFleet extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly brokerUrl: pulumi.Output<string>;
  readonly litellmUrl: pulumi.Output<string>;
  readonly agents: KubernetesAgent[];

  constructor(name: string, args: KubernetesFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:Fleet", name, {}, opts);
    const { config, secrets } = args;
    const child = { parent: this };
    const images = new ClusterImages("images", { config, projectRoot: args.projectRoot, agentUser: args.agentUser, registry: args.registry }, child);
    const ns = new FleetNamespace("namespace", { stack: config.stack, name: config.kubernetes.namespace }, child);
    const namespace = ns.name;
    const { registry } = args;
    const pullSecret =
      images.buildsAny && registry?.username !== undefined && registry.password !== undefined
        ? new RegistryPullSecret("registry-pull-secret", { stack: config.stack, namespace, registry: { ...registry, username: registry.username, password: registry.password } }, child).name
        : undefined;
    const pullSecretFor = (image: Parameters<ClusterImages["isBuilt"]>[0]) => (images.isBuilt(image) ? pullSecret : undefined);
    const serviceSecrets = new ServiceSecrets("secrets", { stack: config.stack, namespace, secrets, providerKeys: args.providerKeys }, child);
    const egressProxy = config.egress.mode !== "none";
    new FleetNetworkPolicies("network-policies", { stack: config.stack, namespace, dnsNamespace: DNS_NAMESPACE, egressProxy }, child);
    // egress.mode none: no proxy at all, so agents have no way out.
    if (egressProxy) new EgressProxy("egress-proxy", { config, namespace, image: images.imageFor(EGRESS_PROXY_IMAGE_NAME), pullSecret: pullSecretFor(EGRESS_PROXY_IMAGE_NAME) }, child);
    new Postgres("postgres", { config, namespace }, { parent: this, dependsOn: [serviceSecrets] });
    new LiteLlm(
      "litellm",
      { config, namespace, providerKeyNames: Object.keys(args.providerKeys), secretVariables: serviceSecrets.litellmVariables },
      { parent: this, dependsOn: [serviceSecrets] },
    );
    const access = new BrokerAccess("broker-access", { stack: config.stack, namespace }, child);
    new Broker(
      "broker",
      { config, namespace, image: images.imageFor(BROKER_IMAGE_NAME), pullSecret: pullSecretFor(BROKER_IMAGE_NAME), serviceAccountName: access.serviceAccountName },
      { parent: this, dependsOn: [serviceSecrets, access] },
    );
    for (const type of AGENT_TYPES.filter((t) => config.agents[t] > 0)) {
      const credentials = new AgentCredentials(
        `credentials-${type}`,
        { config, type, namespace, gatewayKeySecret: secrets.gatewayKeySecret, brokerToken: secrets.brokerToken },
        child,
      );
      new AgentStatefulSet(
        `agents-${type}`,
        { config, type, namespace, image: images.imageFor(type), pullSecret: pullSecretFor(type), agentUser: args.agentUser, credentialsSecret: credentials.secretName },
        child,
      );
    }
    this.namespace = namespace;
    this.brokerUrl = pulumi.interpolate`http://${BROKER_ALIAS}.${namespace}.svc:${BROKER_PORT}`;
    this.litellmUrl = pulumi.interpolate`http://${LITELLM_ALIAS}.${namespace}.svc:${LITELLM_PORT}`;
    this.agents = allAgentInstances(config).map((a) => ({ id: a.id, type: a.type, index: a.index, pod: a.id, workspaceClaim: workspaceClaimName(a.id) }));
    this.registerOutputs({ namespace, brokerUrl: this.brokerUrl, litellmUrl: this.litellmUrl });
  }
}
