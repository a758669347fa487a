/**
 * The real single-node cluster of `.ci/cluster/` (built from the registries by `.ci/toolchain/`):
 * what the Kubernetes backend will rely on. Needs root (the cluster's network namespace, mounts,
 * cgroups) and the toolchain built; `npm run test:kubernetes` runs it.
 */
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CLUSTER_SETUP_TIMEOUT_MS, execInPod, exitCode, kubeConfigFrom, loadImages, startCluster, waitForNamespaceGone } from "../support/kubernetes/cluster";
import { waitFor } from "../support/waitFor";

/** A local image with a non-root user (uid 1000, `node`) and node to serve and fetch HTTP. */
const IMAGE = "llpm-local/node:20-bookworm";
const UID = 1000;

const hardened = (name: string, command: string[], extra: Partial<V1Pod["spec"]> = {}): V1Pod => ({
  metadata: { name, labels: { app: name } },
  spec: {
    terminationGracePeriodSeconds: 1,
    securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: "main",
        image: IMAGE,
        imagePullPolicy: "Never",
        command,
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        // Small: the node has 2 cores, and with only limits set the requests equal them.
        resources: { limits: { memory: "128Mi", cpu: "200m" } },
      },
    ],
    ...extra,
  },
});

describe("kubernetes: the single-node cluster", function () {
  this.timeout(300000);
  const namespace = `llpm-test-${randomBytes(3).toString("hex")}`;
  const pvName = `${namespace}-pv`;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let hostDir: string;

  const podReady = (name: string) =>
    waitFor(`pod ${name} ready`, async () => {
      const pod = await core.readNamespacedPod({ namespace, name });
      const conditions = pod.status?.conditions ?? [];
      if (conditions.some((c) => c.type === "Ready" && c.status === "True")) return pod;
      // What the timeout reports: why it is not ready (unschedulable, image, probe).
      throw new Error(conditions.filter((c) => c.status !== "True").map((c) => `${c.type}: ${c.reason ?? ""} ${c.message ?? ""}`).join("; ") || String(pod.status?.phase));
    }, 120000);

  before(async function () {
    this.timeout(CLUSTER_SETUP_TIMEOUT_MS);
    kc = kubeConfigFrom(await startCluster());
    core = kc.makeApiClient(CoreV1Api);
    await loadImages(IMAGE);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    // The ServiceAccount admission refuses pods until the namespace's default account exists.
    await waitFor("default service account", () => core.readNamespacedServiceAccount({ namespace, name: "default" }), 30000);
    hostDir = fs.mkdtempSync(path.join(os.tmpdir(), "llpm-pv-"));
    // hostPath ignores fsGroup: the folder must belong to the pod's user already.
    fs.chownSync(hostDir, UID, UID);
  });

  after(async function () {
    if (!core) return;
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await waitForNamespaceGone(core, namespace).catch(() => undefined);
    await core.deletePersistentVolume({ name: pvName }).catch(() => undefined);
    if (hostDir) fs.rmSync(hostDir, { recursive: true, force: true });
  });

  it("has its one node Ready, on the version the toolchain built", async function () {
    const nodes = await core.listNode();
    expect(nodes.items).to.have.length(1);
    const node = nodes.items[0];
    expect(node.status?.conditions?.find((c) => c.type === "Ready")?.status).to.equal("True");
    expect(node.status?.nodeInfo?.kubeletVersion).to.match(/^v1\.34\.\d+$/);
    expect(node.status?.nodeInfo?.containerRuntimeVersion).to.match(/^containerd:\/\//);
  });

  it("runs a pod from a local image as non-root and execs in it with stdin through the API", async function () {
    await core.createNamespacedPod({ namespace, body: hardened("exec", ["sleep", "infinity"]) });
    await podReady("exec");
    const input = `stdin ${randomBytes(8).toString("hex")}\nsecond line\n`;
    const echoed = await execInPod(kc, namespace, "exec", "main", ["sh", "-c", "cat; id -u >&2"], input);
    expect(echoed.stdout).to.equal(input);
    expect(echoed.stderr.trim()).to.equal(String(UID));
    expect(exitCode(echoed.status)).to.equal(0);
    const failed = await execInPod(kc, namespace, "exec", "main", ["sh", "-c", "exit 7"]);
    expect(exitCode(failed.status)).to.equal(7);
  });

  it("resolves a Service by its DNS name from another pod and routes to its endpoint", async function () {
    const server = `require("http").createServer((q, s) => s.end("served by " + process.env.HOSTNAME)).listen(8080)`;
    await core.createNamespacedPod({ namespace, body: hardened("echo", ["node", "-e", server]) });
    await core.createNamespacedService({
      namespace,
      body: { metadata: { name: "echo" }, spec: { selector: { app: "echo" }, ports: [{ port: 80, targetPort: 8080 }] } },
    });
    await core.createNamespacedPod({ namespace, body: hardened("client", ["sleep", "infinity"]) });
    await Promise.all([podReady("echo"), podReady("client")]);
    const service = await core.readNamespacedService({ namespace, name: "echo" });
    const fetchEcho = `
      const dns = require("dns").promises;
      (async () => {
        const { address } = await dns.lookup("echo.${namespace}.svc.cluster.local");
        const body = await (await fetch("http://echo")).text();
        console.log(JSON.stringify({ address, body }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    // kube-proxy may need a moment to program the new Service.
    const answer = await waitFor("the Service answering by name", async () => {
      const r = await execInPod(kc, namespace, "client", "main", ["node", "-e", fetchEcho]);
      return exitCode(r.status) === 0 && (JSON.parse(r.stdout) as { address: string; body: string });
    }, 60000);
    expect(answer.address).to.equal(service.spec?.clusterIP);
    expect(answer.body).to.equal("served by echo");
  });

  it("binds a claim to a pre-created hostPath volume and mounts it in a pod", async function () {
    await core.createPersistentVolume({
      body: {
        metadata: { name: pvName },
        spec: {
          capacity: { storage: "1Gi" },
          accessModes: ["ReadWriteOnce"],
          persistentVolumeReclaimPolicy: "Retain",
          storageClassName: "",
          claimRef: { namespace, name: "data" },
          hostPath: { path: hostDir, type: "Directory" },
        },
      },
    });
    await core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: {
        metadata: { name: "data" },
        spec: { storageClassName: "", volumeName: pvName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    });
    await waitFor("the claim bound", async () => (await core.readNamespacedPersistentVolumeClaim({ namespace, name: "data" })).status?.phase === "Bound", 60000);
    const pod = hardened("writer", ["sleep", "infinity"], { volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }] });
    pod.spec!.containers[0].volumeMounts = [{ name: "data", mountPath: "/data" }];
    await core.createNamespacedPod({ namespace, body: pod });
    await podReady("writer");
    const write = await execInPod(kc, namespace, "writer", "main", ["sh", "-c", "cat > /data/proof"], "written in the pod\n");
    expect(exitCode(write.status)).to.equal(0);
    const onHost = path.join(hostDir, "proof");
    expect(fs.readFileSync(onHost, "utf8")).to.equal("written in the pod\n");
    expect(fs.statSync(onHost).uid).to.equal(UID);
  });

  it("keeps CoreDNS ready as a non-root pod", async function () {
    const apps = kc.makeApiClient(AppsV1Api);
    const dns = await apps.readNamespacedDeployment({ namespace: "kube-system", name: "coredns" });
    expect(dns.status?.readyReplicas).to.equal(1);
    expect(dns.spec?.template.spec?.securityContext?.runAsNonRoot).to.equal(true);
  });
});
