import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { LABEL, networkName } from "../catalogue/naming";
import { dockerLabels } from "./containerSettings";

/** The fleet's private bridge network; members find each other by alias (docs/agent-interface.md). */
export class FleetNetwork extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: { stack: string }, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:FleetNetwork", name, {}, opts);
    const network = new docker.Network(
      "network",
      { name: networkName(args.stack), driver: "bridge", labels: dockerLabels({ [LABEL.stack]: args.stack }) },
      { parent: this, deleteBeforeReplace: true },
    );
    this.name = network.name;
    this.registerOutputs({ name: this.name });
  }
}
