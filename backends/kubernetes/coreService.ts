import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

export interface CoreServiceArgs {
  /** The Service's name: the host name the rest of the fleet uses (core/fleetServices.ts). */
  name: string;
  namespace: pulumi.Input<string>;
  /** The pods' labels: they select the pods and label the Service. */
  labels: Record<string, string>;
  port: number;
}

/** The in-cluster address of one core service (never exposed outside the cluster). */
export function coreService(resourceName: string, args: CoreServiceArgs, parent: pulumi.Resource): k8s.core.v1.Service {
  return new k8s.core.v1.Service(
    resourceName,
    {
      metadata: { name: args.name, namespace: args.namespace, labels: args.labels },
      spec: { selector: args.labels, ports: [{ name: "tcp", port: args.port }] },
    },
    { parent },
  );
}
