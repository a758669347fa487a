import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { imageRepository } from "../../catalogue/naming";
import { contentTag } from "./imageContent";

export interface LocalImageArgs {
  stack: string;
  /** Short image name, e.g. `base`, `claude-code`, `broker`. */
  image: string;
  contextDir: string;
  /** Default: `Dockerfile` at the context's top. */
  dockerfile?: string;
  buildArgs: Record<string, string>;
}

const dockerfileOf = (args: LocalImageArgs) => args.dockerfile ?? path.join(args.contextDir, "Dockerfile");

/** `llpm-<stack>/<image>:<content tag>`, see imageContent.ts for why the tag is content-derived. */
export function localImageName(args: LocalImageArgs): string {
  return `${imageRepository(args.stack, args.image)}:${contentTag(args.contextDir, args.buildArgs, dockerfileOf(args))}`;
}

/**
 * One of the fleet's own images, built by the local engine and never pushed: the fleet runs on
 * the host that builds it.
 */
export function buildLocalImage(resourceName: string, args: LocalImageArgs, opts: pulumi.CustomResourceOptions): docker.Image {
  return new docker.Image(
    resourceName,
    {
      imageName: localImageName(args),
      skipPush: true,
      build: {
        context: args.contextDir,
        dockerfile: dockerfileOf(args),
        args: args.buildArgs,
      },
    },
    opts,
  );
}
