import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { BROKER_PORT } from "../../contract/ports";
import { containerName, coreLabels, volumeName } from "../../catalogue/naming";
import { FILTER_SOCKET_DIR, FILTER_SOCKET_PATH } from "../../contract/dockerFilter";
import { DockerApiFilter } from "./dockerApiFilter";
import { buildFleetImage } from "../../builds/fleetImage";
import { brokerImageBuild } from "../../builds/serviceImages";
import { dockerLabels, envList, fleetContainerBasics, publishedPort, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import { usageReaderKey } from "../../core/gatewayKey";
import { memoryWithoutSwap } from "./providerReadBack";
import { BROKER_DATA_PATH, BROKER_TOKEN_ENV, BROKER_USAGE_KEY_ENV, brokerPlainEnv } from "../../core/serviceEnv";

import { BROKER_ALIAS, BROKER_USER } from "../../core/fleetServices";

export interface BrokerArgs {
  stack: string;
  /** The project's root: the broker's build context, since its image compiles `contract/` too. */
  projectRoot: string;
  nodeImage: string;
  extraCaCertificates: string;
  /** Agents reach the broker here (signal-authenticated). */
  agentsNetwork: pulumi.Input<string>;
  /** Not internal: a published port reaches only a container on such a network. */
  egressNetwork: pulumi.Input<string>;
  bindAddress: string;
  hostPort: number;
  brokerToken: pulumi.Output<string>;
  /** The secret gateway keys are derived from: the broker gets only the usage reader's key of it. */
  gatewayKeySecret: pulumi.Output<string>;
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
    const image = buildFleetImage(
      "image-broker",
      brokerImageBuild({ stack: args.stack, projectRoot: args.projectRoot, nodeImage: args.nodeImage, extraCaCertificates: args.extraCaCertificates }),
      undefined,
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
        user: `${BROKER_USER.uid}:${BROKER_USER.gid}`,
        envs: pulumi.secret(
          pulumi.all([args.brokerToken, args.gatewayKeySecret]).apply(([token, gatewayKeySecret]) =>
            envList({
              [BROKER_TOKEN_ENV]: token,
              ...brokerPlainEnv(args.stack, args.jobTimeoutSeconds),
              DOCKER_HOST: `unix://${FILTER_SOCKET_PATH}`,
              [BROKER_USAGE_KEY_ENV]: usageReaderKey(gatewayKeySecret),
            }),
          ),
        ),
        networksAdvanced: [{ name: args.egressNetwork }, { name: args.agentsNetwork, aliases: [BROKER_ALIAS] }],
        ports: [publishedPort(args.bindAddress, args.hostPort, BROKER_PORT)],
        mounts: [
          { type: "volume", source: data.name, target: BROKER_DATA_PATH },
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
