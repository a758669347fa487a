import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerName, coreLabels, volumeName } from "../catalogue/naming";
import { buildLocalImage } from "./localImage";
import { dockerLabels, envList, fleetContainerBasics, publishedPort, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import { memoryWithoutSwap } from "./providerReadBack";
import { BROKER_DATA_PATH, BROKER_TOKEN_ENV, brokerPlainEnv } from "./serviceEnv";

import { BROKER_ALIAS, BROKER_PORT, BROKER_USER } from "./fleetServices";

export { BROKER_ALIAS, BROKER_PORT };

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
        user: `${BROKER_USER.uid}:${BROKER_USER.gid}`,
        groupAdds: [String(args.dockerSocket.gid)],
        envs: pulumi.secret(
          args.brokerToken.apply((token) =>
            envList({ [BROKER_TOKEN_ENV]: token, ...brokerPlainEnv(args.stack, args.jobTimeoutSeconds) }),
          ),
        ),
        networksAdvanced: [{ name: args.networkName, aliases: [BROKER_ALIAS] }],
        ports: [publishedPort(args.bindAddress, args.hostPort, BROKER_PORT)],
        mounts: [
          { type: "volume", source: data.name, target: BROKER_DATA_PATH },
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
