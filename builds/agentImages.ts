import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { AGENT_CATALOGUE, type AgentType } from "../catalogue/agentTypes";
import type { FleetConfig } from "../config/fleetConfig";
import type { HostUser } from "../config/hostUser";
import { buildFleetImage, fleetImageName, type ImageRegistry } from "./fleetImage";
import { IMAGES_DIR } from "./serviceImages";

export interface AgentImagesArgs {
  /** Its stack, `baseImage`, `toolchains` and `extraCaCertificates`. */
  config: FleetConfig;
  /** The folder holding `images/`. */
  projectRoot: string;
  agentUser: HostUser;
  /** Only types with at least one instance get an image. */
  types: AgentType[];
  /** Absent: built for the local engine, never pushed. */
  registry?: ImageRegistry;
}

/**
 * The base image and one image per agent type, each built once and shared by every instance of
 * its type.
 */
export class AgentImages extends pulumi.ComponentResource {
  readonly base: docker.Image;
  private readonly byType: Partial<Record<AgentType, docker.Image>> = {};

  constructor(name: string, args: AgentImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:AgentImages", name, {}, opts);
    const { config } = args;
    const imagesDir = path.join(args.projectRoot, IMAGES_DIR);
    const baseArgs = {
      stack: config.stack,
      image: "base",
      contextDir: path.join(imagesDir, "base"),
      buildArgs: {
        BASE_IMAGE: config.baseImage,
        AGENT_UID: String(args.agentUser.uid),
        AGENT_GID: String(args.agentUser.gid),
        TOOLCHAINS: config.toolchains.join(","),
        EXTRA_CA_CERTIFICATES: config.extraCaCertificates,
      },
    };
    const baseName = fleetImageName(baseArgs, args.registry);
    this.base = buildFleetImage("image-base", baseArgs, args.registry, { parent: this });
    for (const type of args.types) {
      this.byType[type] = buildFleetImage(
        `image-${type}`,
        {
          stack: config.stack,
          image: type,
          contextDir: path.join(imagesDir, AGENT_CATALOGUE[type].imageFolder),
          // The base's content tag is in its name, so a changed base rebuilds every agent image.
          buildArgs: { LLPM_BASE_IMAGE: baseName, EXTRA_CA_CERTIFICATES: config.extraCaCertificates },
        },
        args.registry,
        { parent: this, dependsOn: [this.base] },
      );
    }
    this.registerOutputs({ base: this.base.imageName });
  }

  /** The image a container of this type runs: the build's digest, so a rebuild replaces it. */
  imageFor(type: AgentType): pulumi.Output<string> {
    const image = this.byType[type];
    if (!image) throw new Error(`no image was declared for agent type ${type}`);
    return image.repoDigest;
  }
}
