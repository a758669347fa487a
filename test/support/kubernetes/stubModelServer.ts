/**
 * The stub model server (test/support/stub-model-server) as a pod and a Service in a fleet's
 * namespace, named by the same alias and port as on the Docker e2e network, so LiteLLM's upstreams
 * (`stubUpstreams()`) reach it unchanged. Its image is the one the Docker tiers build, loaded into
 * the cluster; its control routes are called from inside its pod.
 */
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { buildStubImage, STUB_ALIAS, STUB_IMAGE, STUB_PORT } from "../../e2e/support/stubModelServer";
import type { StubRequest } from "../stubModelClient";
import { PROJECT_ROOT } from "../runProgram";
import { waitFor } from "../waitFor";
import { loadImages } from "./cluster";
import { fetchInPod } from "./podFetch";

const LABELS = { "llpm-test": "stub-model-server" };
/** The stub image's user (its base's `node`): a numeric uid, so the kubelet can check it is not root. */
const STUB_UID = 1000;
const CONTAINER = "stub";

export class ClusterStubModelServer {
  /** The Service's name, for a test that tells the stub's objects from the fleet's. */
  static readonly serviceName = STUB_ALIAS;

  private constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
  ) {}

  /** Builds and loads the stub's image (cached), starts its pod and Service, and waits until it answers. */
  static async start(kc: KubeConfig, namespace: string): Promise<ClusterStubModelServer> {
    buildStubImage(PROJECT_ROOT);
    await loadImages(STUB_IMAGE);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: STUB_ALIAS, labels: LABELS },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser: STUB_UID, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: CONTAINER,
              image: STUB_IMAGE,
              imagePullPolicy: "Never",
              ports: [{ containerPort: STUB_PORT }],
              readinessProbe: { httpGet: { path: "/health", port: STUB_PORT }, periodSeconds: 1 },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              resources: { limits: { memory: "256Mi" }, requests: { memory: "256Mi", cpu: "50m" } },
            },
          ],
        },
      },
    });
    await core.createNamespacedService({
      namespace,
      body: { metadata: { name: STUB_ALIAS, labels: LABELS }, spec: { selector: LABELS, ports: [{ port: STUB_PORT, targetPort: STUB_PORT }] } },
    });
    await waitFor("the stub model server's pod to be ready", async () => {
      const pod = await core.readNamespacedPod({ namespace, name: STUB_ALIAS });
      return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") || undefined;
    }, 120_000);
    return new ClusterStubModelServer(kc, namespace);
  }

  async requests(): Promise<StubRequest[]> {
    return (await this.control("GET", "/_stub/requests")) as StubRequest[];
  }

  /** Lets the answers held by `HOLD <key>` go; returns how many were waiting. */
  async release(key: string): Promise<number> {
    return ((await this.control("POST", `/_stub/release/${encodeURIComponent(key)}`)) as { released: number }).released;
  }

  private async control(method: string, route: string): Promise<unknown> {
    const answer = await fetchInPod(this.kc, this.namespace, STUB_ALIAS, CONTAINER, `http://127.0.0.1:${STUB_PORT}${route}`, { method });
    if (answer.status !== 200) throw new Error(`${method} ${route} on the stub answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}
