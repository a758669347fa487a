import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { internalNetworkName, LABEL, networkName, type InternalNetwork } from "../../catalogue/naming";
import { dockerLabels } from "./containerSettings";

/**
 * The fleet's networks; members find each other by alias (docs/agent-interface.md). `egress` is a
 * plain bridge, the one route out; `agents` and `backend` are internal (no route out). Ports
 * published by a container that sits only on internal networks do not reach it, so every
 * container that publishes one also joins `egress`.
 */
export class FleetNetworks extends pulumi.ComponentResource {
  readonly egress: pulumi.Output<string>;
  readonly agents: pulumi.Output<string>;
  readonly backend: pulumi.Output<string>;

  constructor(name: string, args: { stack: string }, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:FleetNetworks", name, {}, opts);
    const labels = dockerLabels({ [LABEL.stack]: args.stack });
    const declare = (resourceName: string, engineName: string, internal: boolean) =>
      new docker.Network(
        resourceName,
        { name: engineName, driver: "bridge", internal, labels },
        { parent: this, deleteBeforeReplace: true },
      ).name;
    const internalNetwork = (purpose: InternalNetwork) => declare(`network-${purpose}`, internalNetworkName(args.stack, purpose), true);
    // The egress network keeps the logical name the fleet's single network had.
    this.egress = declare("network", networkName(args.stack), false);
    this.agents = internalNetwork("agents");
    this.backend = internalNetwork("backend");
    this.registerOutputs({ egress: this.egress, agents: this.agents, backend: this.backend });
  }
}
