import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { imageRepository } from "../catalogue/naming";
import { contentTag } from "./imageContent";

export interface FleetImageArgs {
  stack: string;
  /** Short image name, e.g. `base`, `claude-code`, `broker`. */
  image: string;
  contextDir: string;
  /** Default: `Dockerfile` at the context's top. */
  dockerfile?: string;
  buildArgs: Record<string, string>;
}

/** Where a cluster's images are pushed: its nodes cannot see the deploying host's engine. */
export interface ImageRegistry {
  /** `host[:port][/path]`, as `images.registry.server` validated it. */
  server: string;
  username?: string;
  /** The stack's `registryPassword`, a secret. */
  password?: pulumi.Input<string>;
}

const dockerfileOf = (args: FleetImageArgs) => args.dockerfile ?? path.join(args.contextDir, "Dockerfile");

/**
 * `llpm-<stack>/<image>:<content tag>` for the local engine, `<server>/llpm-<image>:<content tag>`
 * in a registry; see imageContent.ts for why the tag is content-derived.
 */
export function fleetImageName(args: FleetImageArgs, registry?: ImageRegistry): string {
  const repository = registry ? `${registry.server}/llpm-${args.image}` : imageRepository(args.stack, args.image);
  return `${repository}:${contentTag(args.contextDir, args.buildArgs, dockerfileOf(args))}`;
}

/**
 * One of the fleet's own images, built by the deploying host's engine. Without a registry it is
 * never pushed (the fleet runs on the host that builds it); with one it is pushed there, and its
 * `repoDigest` is the registry's digest, which a cluster's nodes pull.
 */
export function buildFleetImage(resourceName: string, args: FleetImageArgs, registry: ImageRegistry | undefined, opts: pulumi.CustomResourceOptions): docker.Image {
  const build = { context: args.contextDir, dockerfile: dockerfileOf(args), args: args.buildArgs };
  const imageName = fleetImageName(args, registry);
  return new docker.Image(
    resourceName,
    registry
      ? {
          imageName,
          skipPush: false,
          registry: {
            // Credentials belong to the host; the path is only part of the image's name.
            server: registry.server.split("/")[0],
            ...(registry.username !== undefined ? { username: registry.username } : {}),
            ...(registry.password !== undefined ? { password: pulumi.secret(registry.password) } : {}),
          },
          build,
        }
      : { imageName, skipPush: true, build },
    opts,
  );
}
