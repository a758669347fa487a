import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerName, coreLabels, volumeName } from "../catalogue/naming";
import { FILTER_SOCKET_DIR, FILTER_SOCKET_PATH } from "../broker/src/dockerFilter/filterContainer";
import { DockerApiFilter } from "./dockerApiFilter";
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
  networkName: pulumi.Input<string>;
  bindAddress: string;
  hostPort: number;
  brokerToken: pulumi.Output<string>;
  jobTimeoutSeconds: number;
  dockerSocket: { path: string; gid: number };
}

/**
 * The broker: discovers agents by label and runs jobs in them. It runs non-root and has no Docker
 * socket: it reaches the engine only through its Docker API filter's socket (a volume the two
 * share, mounted read-only here), which allows its stack's agents and nothing else, so whoever
 * takes the broker or its token cannot create a container or touch another stack.
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
    const dockerApi = new docker.Volume(
      "docker-api",
      { name: volumeName(args.stack, "docker-api"), labels },
      { parent: this, deleteBeforeReplace: true },
    );
    const filter = new DockerApiFilter(
      "docker-filter",
      { stack: args.stack, image: image.repoDigest, socketVolume: dockerApi.name, dockerSocket: args.dockerSocket },
      { parent: this },
    );
    this.container = new docker.Container(
      "broker",
      {
        name: containerName(args.stack, "broker"),
        image: image.repoDigest,
        labels,
        user: BROKER_USER,
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
              DOCKER_HOST: `unix://${FILTER_SOCKET_PATH}`,
            }),
          ),
        ),
        networksAdvanced: [{ name: args.networkName, aliases: [BROKER_ALIAS] }],
        ports: [publishedPort(args.bindAddress, args.hostPort, BROKER_PORT)],
        mounts: [
          { type: "volume", source: data.name, target: "/data" },
          { type: "volume", source: dockerApi.name, target: FILTER_SOCKET_DIR, readOnly: true },
        ],
        ...memoryWithoutSwap(512),
        init: true,
        ...fleetContainerBasics([
          "node",
          "-e",
          `fetch('http://127.0.0.1:${BROKER_PORT}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
        ]),
      },
      { parent: this, dependsOn: [filter], ...REPLACE_BY_DELETING_FIRST },
    );
    this.registerOutputs({});
  }
}
