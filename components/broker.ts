import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerName, coreLabels, volumeName } from "../catalogue/naming";
import { buildLocalImage } from "./localImage";
import { dockerLabels, envList, fleetContainerBasics, publishedPort, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import { memoryWithoutSwap } from "./providerReadBack";

export const BROKER_ALIAS = "broker";
export const BROKER_PORT = 3010;
/** The `node` user of the official Node image. */
const BROKER_USER = "1000:1000";

export interface BrokerArgs {
  stack: string;
  contextDir: string;
  nodeImage: string;
  extraCaCertificates: string;
  /** Agents reach the broker here (signal-authenticated). */
  agentsNetwork: pulumi.Input<string>;
  /** Not internal: a published port reaches only a container on such a network. */
  egressNetwork: pulumi.Input<string>;
  bindAddress: string;
  hostPort: number;
  brokerToken: pulumi.Output<string>;
  jobTimeoutSeconds: number;
  dockerSocket: { path: string; gid: number };
}

/**
 * The broker: discovers agents by label through the Docker socket and runs jobs in them. It runs
 * non-root; the socket's group is added so it can reach the engine, and the socket is mounted
 * read-only (which stops replacing the socket file, not API calls: the broker is trusted).
 */
export class Broker extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: BrokerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:Broker", name, {}, opts);
    const labels = dockerLabels(coreLabels(args.stack, "broker"));
    const image = buildLocalImage(
      "image-broker",
      {
        stack: args.stack,
        image: "broker",
        contextDir: args.contextDir,
        buildArgs: { NODE_IMAGE: args.nodeImage, EXTRA_CA_CERTIFICATES: args.extraCaCertificates },
      },
      { parent: this },
    );
    const data = new docker.Volume(
      "broker-data",
      { name: volumeName(args.stack, "broker-data"), labels },
      { parent: this, deleteBeforeReplace: true },
    );
    this.container = new docker.Container(
      "broker",
      {
        name: containerName(args.stack, "broker"),
        image: image.repoDigest,
        labels,
        user: BROKER_USER,
        groupAdds: [String(args.dockerSocket.gid)],
        envs: pulumi.secret(
          args.brokerToken.apply((token) =>
            envList({
              BROKER_TOKEN: token,
              LLPM_STACK: args.stack,
              BROKER_PORT: String(BROKER_PORT),
              BROKER_DB: "/data/broker.db",
              // Inside its container the broker must listen beyond loopback for the published port to reach it.
              BROKER_HOST: "0.0.0.0",
              BROKER_JOB_TIMEOUT_SECONDS: String(args.jobTimeoutSeconds),
            }),
          ),
        ),
        networksAdvanced: [{ name: args.egressNetwork }, { name: args.agentsNetwork, aliases: [BROKER_ALIAS] }],
        ports: [publishedPort(args.bindAddress, args.hostPort, BROKER_PORT)],
        mounts: [
          { type: "volume", source: data.name, target: "/data" },
          { type: "bind", source: args.dockerSocket.path, target: "/var/run/docker.sock", readOnly: true },
        ],
        ...memoryWithoutSwap(512),
        init: true,
        ...fleetContainerBasics([
          "node",
          "-e",
          `fetch('http://127.0.0.1:${BROKER_PORT}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
        ]),
      },
      { parent: this, ...REPLACE_BY_DELETING_FIRST },
    );
    this.registerOutputs({});
  }
}
