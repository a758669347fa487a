import * as pulumi from "@pulumi/pulumi";
import { AGENT_TYPES, type AgentType } from "../../catalogue/agentTypes";
import { AgentImages } from "../../builds/agentImages";
import { buildFleetImage, type ImageRegistry } from "../../builds/fleetImage";
import { brokerImageBuild, egressProxyImageBuild, type ServiceImageArgs } from "../../builds/serviceImages";
import { clusterImagesNeeded } from "../../config/backendChecks";
import { BROKER_IMAGE_NAME, EGRESS_PROXY_IMAGE_NAME } from "../../config/defaults";
import type { FleetConfig } from "../../config/fleetConfig";
import type { HostUser } from "../../config/hostUser";

export interface ClusterImagesArgs {
  config: FleetConfig;
  /** The folder holding `images/` and `broker/`, the build contexts. */
  projectRoot: string;
  /** The uid/gid the agent images are built for. */
  agentUser: HostUser;
  /** Absent: every image is in `images.refs` (validation made sure). */
  registry?: ImageRegistry;
}

/**
 * The images the cluster runs: `images.refs.<name>` where given, else built by the deploying
 * host's engine from the same Dockerfiles and build args as on Docker and pushed to the registry.
 * A built image is run by its registry digest, so a rebuild rolls exactly the pods that use it.
 */
export class ClusterImages extends pulumi.ComponentResource {
  private readonly byName: Record<string, pulumi.Input<string>> = {};
  private readonly built = new Set<string>();

  constructor(name: string, args: ClusterImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:ClusterImages", name, {}, opts);
    const { config, registry } = args;
    const toBuild = clusterImagesNeeded(config)
      .map(([image]) => image)
      .filter((image) => config.imageRefs[image] === undefined);
    Object.assign(this.byName, config.imageRefs);
    if (toBuild.length === 0) {
      this.registerOutputs({});
      return;
    }
    if (registry === undefined) throw new Error(`images ${toBuild.join(", ")} have neither a ref nor a registry to be pushed to`);
    const child = { parent: this };
    for (const image of toBuild) this.built.add(image);
    const types = AGENT_TYPES.filter((t) => toBuild.includes(t));
    if (types.length > 0) {
      const agentImages = new AgentImages("agent-images", { config, projectRoot: args.projectRoot, agentUser: args.agentUser, types, registry }, child);
      for (const type of types) this.byName[type] = agentImages.imageFor(type);
    }
    const service: ServiceImageArgs = {
      stack: config.stack,
      projectRoot: args.projectRoot,
      nodeImage: config.brokerNodeImage,
      extraCaCertificates: config.extraCaCertificates,
    };
    const serviceBuilds = { [BROKER_IMAGE_NAME]: brokerImageBuild, [EGRESS_PROXY_IMAGE_NAME]: egressProxyImageBuild };
    for (const [image, build] of Object.entries(serviceBuilds).filter(([image]) => toBuild.includes(image))) {
      this.byName[image] = buildFleetImage(`image-${image}`, build(service), registry, child).repoDigest;
    }
    this.registerOutputs({});
  }

  /** Whether the image is built and pushed to the registry (not a ref): its pods pull it with the registry's credentials. */
  isBuilt(name: AgentType | typeof BROKER_IMAGE_NAME | typeof EGRESS_PROXY_IMAGE_NAME): boolean {
    return this.built.has(name);
  }

  /** Whether any image is built and pushed. */
  get buildsAny(): boolean {
    return this.built.size > 0;
  }

  /** What a pod of this image runs: the ref, or the pushed build's digest. */
  imageFor(name: AgentType | typeof BROKER_IMAGE_NAME | typeof EGRESS_PROXY_IMAGE_NAME): pulumi.Input<string> {
    const image = this.byName[name];
    if (image === undefined) throw new Error(`no image was declared for ${name}`);
    return image;
  }
}
