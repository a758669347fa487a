import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerName, coreLabels } from "../../catalogue/naming";
import type { FleetConfig } from "../../config/fleetConfig";
import { dockerLabels, envList, fleetContainerBasics, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import { buildFleetImage } from "../../builds/fleetImage";
import { egressProxyImageBuild } from "../../builds/serviceImages";
import { canonicalCpus, memoryWithoutSwap } from "./providerReadBack";
import { EGRESS_PROXY_MAX_FILES, squidConfig } from "../../core/squidConfig";
import { EGRESS_PROXY_ALIAS } from "../../core/fleetServices";
import { EGRESS_PROXY_HEALTH_COMMAND, EGRESS_PROXY_TMPFS_BYTES, EGRESS_PROXY_USER, SQUID_CONFIG_ENV } from "../../core/egressProxyImage";

export interface EgressProxyArgs {
  config: FleetConfig;
  /** The folder holding `images/`. */
  projectRoot: string;
  /** Joined under the alias agents' HTTP(S)_PROXY names. */
  agentsNetwork: pulumi.Input<string>;
  /** The route out. */
  egressNetwork: pulumi.Input<string>;
}

/**
 * Agents' only way out: Squid, allowing `egress.allow` (or, in `open` mode, anything but private
 * addresses) and logging every request, refusals as TCP_DENIED/403, on its stdout. Non-root, no
 * capabilities, a read-only root with a small tmpfs for its config, memory, CPU and file limits.
 */
export class EgressProxy extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: EgressProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:EgressProxy", name, {}, opts);
    const { config } = args;
    const image = buildFleetImage(
      "image-egress-proxy",
      egressProxyImageBuild({ stack: config.stack, projectRoot: args.projectRoot, nodeImage: config.brokerNodeImage, extraCaCertificates: config.extraCaCertificates }),
      undefined,
      { parent: this },
    );
    this.container = new docker.Container(
      "egress-proxy",
      {
        name: containerName(config.stack, "egress-proxy"),
        image: image.repoDigest,
        labels: dockerLabels(coreLabels(config.stack, "egress-proxy")),
        user: EGRESS_PROXY_USER.name,
        envs: envList({ [SQUID_CONFIG_ENV]: squidConfig(config) }),
        networksAdvanced: [{ name: args.egressNetwork }, { name: args.agentsNetwork, aliases: [EGRESS_PROXY_ALIAS] }],
        readOnly: true,
        mounts: [{ type: "tmpfs", target: "/tmp", tmpfsOptions: { sizeBytes: EGRESS_PROXY_TMPFS_BYTES } }],
        ...memoryWithoutSwap(256),
        cpus: canonicalCpus(1),
        ulimits: [{ name: "nofile", soft: EGRESS_PROXY_MAX_FILES, hard: EGRESS_PROXY_MAX_FILES }],
        init: true,
        ...fleetContainerBasics(EGRESS_PROXY_HEALTH_COMMAND),
      },
      { parent: this, ...REPLACE_BY_DELETING_FIRST },
    );
    this.registerOutputs({});
  }
}
