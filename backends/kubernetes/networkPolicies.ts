import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { coreLabels, LABEL, type Role } from "../../catalogue/naming";
import { POSTGRES_PORT } from "../../core/fleetServices";
import { BROKER_PORT, EGRESS_PROXY_PORT, LITELLM_PORT } from "../../contract/ports";
import { NAMESPACE_NAME_LABEL } from "./objectNames";

export interface FleetNetworkPoliciesArgs {
  stack: string;
  namespace: pulumi.Input<string>;
  /** Namespace of the cluster's DNS, the one place outside the fleet agents may reach. */
  dnsNamespace: string;
  /** Whether the fleet has an egress proxy (`egress.mode` is not none): agents' one way out. */
  egressProxy: boolean;
}

const DNS_PORT = 53;

/**
 * Who may talk to whom, enforced by CNIs that implement NetworkPolicy (Calico, Cilium, ...; the
 * test cluster's bridge plugin does not): agents reach LiteLLM, the broker, the egress proxy and DNS
 * only, and only the broker may open connections to them; only agents reach the egress proxy, only
 * LiteLLM reaches Postgres. The egress proxy and LiteLLM keep their routes out.
 */
export class FleetNetworkPolicies extends pulumi.ComponentResource {
  constructor(name: string, args: FleetNetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:FleetNetworkPolicies", name, {}, opts);
    const role = (r: Role) => ({ podSelector: { matchLabels: { [LABEL.role]: coreLabels(args.stack, r)[LABEL.role] } } });
    const metadata = (policyName: string) => ({ name: policyName, namespace: args.namespace, labels: { [LABEL.stack]: args.stack } });
    new k8s.networking.v1.NetworkPolicy(
      "agents",
      {
        metadata: metadata("agents"),
        spec: {
          podSelector: role("agent").podSelector,
          policyTypes: ["Ingress", "Egress"],
          ingress: [{ from: [role("broker")] }],
          egress: [
            { to: [role("litellm")], ports: [{ protocol: "TCP", port: LITELLM_PORT }] },
            { to: [role("broker")], ports: [{ protocol: "TCP", port: BROKER_PORT }] },
            ...(args.egressProxy ? [{ to: [role("egress-proxy")], ports: [{ protocol: "TCP", port: EGRESS_PROXY_PORT }] }] : []),
            {
              to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: args.dnsNamespace } } }],
              ports: [
                { protocol: "UDP", port: DNS_PORT },
                { protocol: "TCP", port: DNS_PORT },
              ],
            },
          ],
        },
      },
      { parent: this },
    );
    new k8s.networking.v1.NetworkPolicy(
      "postgres",
      {
        metadata: metadata("postgres"),
        spec: {
          podSelector: role("postgres").podSelector,
          policyTypes: ["Ingress"],
          ingress: [{ from: [role("litellm")], ports: [{ protocol: "TCP", port: POSTGRES_PORT }] }],
        },
      },
      { parent: this },
    );
    if (args.egressProxy) {
      new k8s.networking.v1.NetworkPolicy(
        "egress-proxy",
        {
          metadata: metadata("egress-proxy"),
          spec: {
            podSelector: role("egress-proxy").podSelector,
            policyTypes: ["Ingress"],
            ingress: [{ from: [role("agent")], ports: [{ protocol: "TCP", port: EGRESS_PROXY_PORT }] }],
          },
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
