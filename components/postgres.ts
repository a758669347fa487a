import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerName, coreLabels, volumeName } from "../catalogue/naming";
import { dockerLabels, envList, fleetContainerBasics, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import { memoryWithoutSwap } from "./providerReadBack";

export const POSTGRES_ALIAS = "postgres";
export const POSTGRES_PORT = 5432;
const DATABASE = "litellm";
const USER = "litellm";

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
          args.password.apply((password) => envList({ POSTGRES_USER: USER, POSTGRES_PASSWORD: password, POSTGRES_DB: DATABASE })),
        ),
        networksAdvanced: [{ name: args.backendNetwork, aliases: [POSTGRES_ALIAS] }],
        mounts: [{ type: "volume", source: data.name, target: "/var/lib/postgresql/data" }],
        ...memoryWithoutSwap(1024),
        // The image's entrypoint prepares the data folder as root, then drops to the postgres user.
        ...fleetContainerBasics(
          ["pg_isready", "-U", USER, "-d", DATABASE],
          ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
        ),
      },
      { parent: this, ...REPLACE_BY_DELETING_FIRST },
    );
    this.databaseUrl = pulumi.secret(
      pulumi.interpolate`postgresql://${USER}:${args.password}@${POSTGRES_ALIAS}:${POSTGRES_PORT}/${DATABASE}`,
    );
    this.registerOutputs({});
  }
}
