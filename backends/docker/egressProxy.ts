import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerName, coreLabels } from "../../catalogue/naming";
import type { FleetConfig } from "../../config/fleetConfig";
import { dockerLabels, envList, fleetContainerBasics, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import { buildLocalImage } from "./localImage";
import { canonicalCpus, memoryWithoutSwap } from "./providerReadBack";
import { EGRESS_PROXY_MAX_FILES, squidConfig } from "../../core/squidConfig";
import { EGRESS_PROXY_PORT } from "../../contract/ports";
import { EGRESS_PROXY_ALIAS } from "../../core/fleetServices";

/** The image's entrypoint writes the config from this variable onto the tmpfs and starts Squid on it. */
export const SQUID_CONFIG_ENV = "LLPM_EGRESS_SQUID_CONFIG";
/** Debian's `proxy` user, which the Squid package runs as. */
const PROXY_USER = "proxy";
const TMPFS_BYTES = 16 * 1024 * 1024;
const EGRESS_PROXY_HEALTHCHECK = [
  `exec 3<>/dev/tcp/127.0.0.1/${EGRESS_PROXY_PORT}`,
  "printf 'HEAD http://llpm-healthcheck/ HTTP/1.0\\r\\n\\r\\n' >&3",
  "read -r -t 5 status <&3",
  '[[ "$status" == HTTP/* ]]',
].join(" && ");

export interface EgressProxyArgs {
  config: FleetConfig;
  contextDir: string;
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
    const image = buildLocalImage(
      "image-egress-proxy",
      { stack: config.stack, image: "egress-proxy", contextDir: args.contextDir, buildArgs: { BASE_IMAGE: config.brokerNodeImage } },
      { parent: this },
    );
    this.container = new docker.Container(
      "egress-proxy",
      {
        name: containerName(config.stack, "egress-proxy"),
        image: image.repoDigest,
        labels: dockerLabels(coreLabels(config.stack, "egress-proxy")),
        user: PROXY_USER,
        envs: envList({ [SQUID_CONFIG_ENV]: squidConfig(config) }),
        networksAdvanced: [{ name: args.egressNetwork }, { name: args.agentsNetwork, aliases: [EGRESS_PROXY_ALIAS] }],
        readOnly: true,
        mounts: [{ type: "tmpfs", target: "/tmp", tmpfsOptions: { sizeBytes: TMPFS_BYTES } }],
        ...memoryWithoutSwap(256),
        cpus: canonicalCpus(1),
        ulimits: [{ name: "nofile", soft: EGRESS_PROXY_MAX_FILES, hard: EGRESS_PROXY_MAX_FILES }],
        init: true,
        // A whole request with bash alone: Squid answers it (a 403, unlogged: squidConfig.ts). A bare
        // connect would do less and be logged as transaction-end-before-headers every time.
        ...fleetContainerBasics(["bash", "-c", EGRESS_PROXY_HEALTHCHECK]),
      },
      { parent: this, ...REPLACE_BY_DELETING_FIRST },
    );
    this.registerOutputs({});
  }
}
