import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LABEL } from "../../catalogue/naming";

export interface FleetNamespaceArgs {
  stack: string;
  name: pulumi.Input<string>;
}

/**
 * The namespace the whole fleet lives in. Destroy leaves it: deleting a namespace deletes its
 * claims, and the workspaces, Postgres' and the broker's data must outlive the stack
 * (`kubectl delete namespace` removes them on purpose).
 */
export class FleetNamespace extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: FleetNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:FleetNamespace", name, {}, opts);
    const ns = new k8s.core.v1.Namespace("namespace", { metadata: { name: args.name, labels: { [LABEL.stack]: args.stack } } }, { parent: this, retainOnDelete: true });
    this.name = ns.metadata.name;
    this.registerOutputs({ name: this.name });
  }
}
