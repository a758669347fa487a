import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerName, coreLabels, volumeName } from "../../catalogue/naming";
import { dockerLabels, envList, fleetContainerBasics, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import { memoryWithoutSwap } from "./providerReadBack";

import { POSTGRES_ALIAS, POSTGRES_DATA_PATH, POSTGRES_ENTRYPOINT_CAPABILITIES } from "../../core/fleetServices";
import { POSTGRES_DATABASE, POSTGRES_PASSWORD_ENV, POSTGRES_PLAIN_ENV, POSTGRES_USER, postgresDatabaseUrl } from "../../core/serviceEnv";

export interface PostgresArgs {
  stack: string;
  image: string;
  /** Internal, shared with LiteLLM only. */
  backendNetwork: pulumi.Input<string>;
  password: pulumi.Output<string>;
}

/** LiteLLM's database (spend logs, virtual keys, models stored in the DB); never published on the host. */
export class Postgres extends pulumi.ComponentResource {
  /** A secret: it holds the password. */
  readonly databaseUrl: pulumi.Output<string>;

  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:Postgres", name, {}, opts);
    const labels = dockerLabels(coreLabels(args.stack, "postgres"));
    const data = new docker.Volume(
      "postgres-data",
      { name: volumeName(args.stack, "postgres-data"), labels },
      { parent: this, deleteBeforeReplace: true },
    );
    new docker.Container(
      "postgres",
      {
        name: containerName(args.stack, "postgres"),
        image: args.image,
        labels,
        envs: pulumi.secret(
          args.password.apply((password) => envList({ ...POSTGRES_PLAIN_ENV, [POSTGRES_PASSWORD_ENV]: password })),
        ),
        networksAdvanced: [{ name: args.backendNetwork, aliases: [POSTGRES_ALIAS] }],
        mounts: [{ type: "volume", source: data.name, target: POSTGRES_DATA_PATH }],
        ...memoryWithoutSwap(1024),
        // The image's entrypoint prepares the data folder as root, then drops to the postgres user.
        ...fleetContainerBasics(
          ["pg_isready", "-U", POSTGRES_USER, "-d", POSTGRES_DATABASE],
          POSTGRES_ENTRYPOINT_CAPABILITIES,
        ),
      },
      { parent: this, ...REPLACE_BY_DELETING_FIRST },
    );
    this.databaseUrl = pulumi.secret(args.password.apply(postgresDatabaseUrl));
    this.registerOutputs({});
  }
}
