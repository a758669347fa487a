import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { ENGINE_SOCKET_PATH, FILTER_COMMAND, FILTER_HEALTHCHECK, FILTER_SOCKET_DIR, FILTER_SOCKET_PATH } from "../broker/src/dockerFilter/filterContainer";
import { containerName, coreLabels } from "../catalogue/naming";
import { dockerLabels, envList, fleetContainerBasics, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import { memoryWithoutSwap } from "./providerReadBack";

/** The `node` user of the broker image: the filter's socket must belong to the broker's uid. */
const FILTER_USER = "1000:1000";

export interface DockerApiFilterArgs {
  stack: string;
  /** The broker image: the filter is its other command. */
  image: pulumi.Input<string>;
  /** The volume both containers mount at FILTER_SOCKET_DIR: the broker's only way to the engine. */
  socketVolume: pulumi.Input<string>;
  dockerSocket: { path: string; gid: number };
}

/**
 * The only container with the engine's socket. It lets the broker list, inspect and watch its
 * stack's agent containers and exec in them, and refuses every other Docker call with 403
 * (broker/src/dockerFilter). It has no network, a read-only root, no capabilities; the socket's
 * group is added so it can reach the engine as non-root. The stack it enforces comes from here,
 * never from a request.
 */
export class DockerApiFilter extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: DockerApiFilterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:DockerApiFilter", name, {}, opts);
    this.container = new docker.Container(
      "docker-filter",
      {
        name: containerName(args.stack, "docker-filter"),
        image: args.image,
        labels: dockerLabels(coreLabels(args.stack, "docker-filter")),
        command: FILTER_COMMAND,
        user: FILTER_USER,
        groupAdds: [String(args.dockerSocket.gid)],
        envs: envList({
          LLPM_STACK: args.stack,
          DOCKER_FILTER_LISTEN: `unix://${FILTER_SOCKET_PATH}`,
          DOCKER_FILTER_UPSTREAM: `unix://${ENGINE_SOCKET_PATH}`,
        }),
        networkMode: "none",
        mounts: [
          { type: "bind", source: args.dockerSocket.path, target: ENGINE_SOCKET_PATH, readOnly: true },
          { type: "volume", source: args.socketVolume, target: FILTER_SOCKET_DIR },
        ],
        readOnly: true,
        ...memoryWithoutSwap(128),
        init: true,
        ...fleetContainerBasics(FILTER_HEALTHCHECK),
      },
      { parent: this, ...REPLACE_BY_DELETING_FIRST },
    );
    this.registerOutputs({});
  }
}
