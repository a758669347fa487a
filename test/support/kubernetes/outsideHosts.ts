/**
 * Stand-ins for hosts outside the fleet, for egress tests on the real cluster: its network has no
 * route out, so "outside" is a namespace of its own with one small HTTP server, reached under
 * several Service names (each one host name a Squid allowlist can name or not). The server answers
 * every request with `outside <host>`.
 */
import type { CoreV1Api } from "@kubernetes/client-node";
import { waitFor } from "../waitFor";

const SERVER_PORT = 8080;
const SERVER = `require('http').createServer((q,r)=>r.end('outside '+q.headers.host)).listen(${SERVER_PORT})`;

export interface OutsideHosts {
  /** The full host name of Service `name`: what a pod's resolver, and Squid's, resolves without search domains. */
  host(name: string): string;
  remove(): Promise<void>;
}

/** `image` must have node and run as a non-root uid (the broker tests' fake agent image does). */
export async function startOutsideHosts(core: CoreV1Api, opts: { namespace: string; image: string; names: string[]; clusterDomain: string }): Promise<OutsideHosts> {
  const { namespace } = opts;
  const labels = { "llpm-test": "outside-host" };
  await core.createNamespace({ body: { metadata: { name: namespace, labels } } });
  await waitFor("default service account", () => core.readNamespacedServiceAccount({ namespace, name: "default" }), 30000);
  await core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: "web", labels },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "web",
            image: opts.image,
            imagePullPolicy: "Never",
            command: ["node", "-e", SERVER],
            ports: [{ containerPort: SERVER_PORT }],
            readinessProbe: { tcpSocket: { port: SERVER_PORT }, periodSeconds: 1 },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            resources: { limits: { memory: "64Mi", cpu: "100m" } },
          },
        ],
      },
    },
  });
  for (const name of opts.names) {
    await core.createNamespacedService({
      namespace,
      body: { metadata: { name, labels }, spec: { selector: labels, ports: [{ port: 80, targetPort: SERVER_PORT }] } },
    });
  }
  await waitFor(
    "the outside web server ready",
    async () => (await core.readNamespacedPod({ namespace, name: "web" })).status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
    120000,
  );
  return {
    host: (name) => `${name}.${namespace}.svc.${opts.clusterDomain}`,
    remove: async () => {
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    },
  };
}
