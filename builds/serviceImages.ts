/** What the broker's and the egress proxy's images are built from: the same on every backend. */
import * as path from "node:path";
import { BROKER_IMAGE_NAME, EGRESS_PROXY_IMAGE_NAME } from "../config/defaults";
import type { FleetImageArgs } from "./fleetImage";

/** The agent images' and the egress proxy's build contexts, below the project root. */
export const IMAGES_DIR = "images";

/** The broker image's Dockerfile, relative to the project root, which is its build context. */
const BROKER_DOCKERFILE = "broker/Dockerfile";

export interface ServiceImageArgs {
  stack: string;
  /** The folder holding `images/` and `broker/`. */
  projectRoot: string;
  /** `brokerNodeImage`: the base of both. */
  nodeImage: string;
  extraCaCertificates: string;
}

/** The broker's context is the project root, since its image compiles `contract/` too. */
export function brokerImageBuild(args: ServiceImageArgs): FleetImageArgs {
  return {
    stack: args.stack,
    image: BROKER_IMAGE_NAME,
    contextDir: args.projectRoot,
    dockerfile: path.join(args.projectRoot, BROKER_DOCKERFILE),
    buildArgs: { NODE_IMAGE: args.nodeImage, EXTRA_CA_CERTIFICATES: args.extraCaCertificates },
  };
}

export function egressProxyImageBuild(args: ServiceImageArgs): FleetImageArgs {
  return {
    stack: args.stack,
    image: EGRESS_PROXY_IMAGE_NAME,
    contextDir: path.join(args.projectRoot, IMAGES_DIR, "egress-proxy"),
    buildArgs: { BASE_IMAGE: args.nodeImage },
  };
}
