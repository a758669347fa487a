import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { coreLabels } from "../../catalogue/naming";
import { BROKER_SERVICE_ACCOUNT } from "./objectNames";

export interface BrokerAccessArgs {
  stack: string;
  namespace: pulumi.Input<string>;
}

/**
 * What the broker may do in the cluster: find agent pods and run jobs in them, in the fleet's own
 * namespace and nowhere else (a Role, never a ClusterRole).
 */
export const BROKER_RULES = [
  { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
  // An exec over WebSocket (how the broker's client runs it) opens with a GET, which the API server
  // authorizes as `get` on pods/exec (v1.34: the gate that checks `create` for it is off); a
  // SPDY exec is a POST, authorized as `create`.
  { apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "get"] },
];

export class BrokerAccess extends pulumi.ComponentResource {
  readonly serviceAccountName: pulumi.Output<string>;

  constructor(name: string, args: BrokerAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:BrokerAccess", name, {}, opts);
    const labels = coreLabels(args.stack, "broker");
    const metadata = { name: BROKER_SERVICE_ACCOUNT, namespace: args.namespace, labels };
    const account = new k8s.core.v1.ServiceAccount("service-account", { metadata, automountServiceAccountToken: false }, { parent: this });
    const role = new k8s.rbac.v1.Role("role", { metadata, rules: BROKER_RULES }, { parent: this });
    new k8s.rbac.v1.RoleBinding(
      "role-binding",
      {
        metadata,
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: args.namespace }],
      },
      { parent: this },
    );
    this.serviceAccountName = account.metadata.name;
    this.registerOutputs({ serviceAccountName: this.serviceAccountName });
  }
}
