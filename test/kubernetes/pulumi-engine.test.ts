/**
 * The real Pulumi engine (the CLI and the Kubernetes provider built by `.ci/toolchain/`) deploying
 * an inline Automation API program into the real cluster of `.ci/cluster/`: no mocks, no language
 * host, no plugin looked up anywhere but the provider installed here. `npm run test:kubernetes`.
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLUSTER_SETUP_TIMEOUT_MS, kubeConfigFrom, loadImages, startCluster, waitForNamespaceGone } from "../support/kubernetes/cluster";
import { startPulumiEngine, type PulumiEngine } from "../support/kubernetes/pulumiEngine";
import { filesUnder } from "../support/filesUnder";

const IMAGE = "llpm-local/node:20-bookworm";
const STATEFULSET_TYPE = "kubernetes:apps/v1:StatefulSet";

describe("kubernetes: the real Pulumi engine deploys into the cluster", function () {
  this.timeout(600000);
  const namespace = `llpm-pulumi-${randomBytes(3).toString("hex")}`;
  let kc: KubeConfig;
  let kubeconfigText: string;
  let engine: PulumiEngine;
  let stack: Stack;
  let replicas = 1;

  const program = async () => {
    const provider = new k8s.Provider("cluster", { kubeconfig: pulumi.secret(kubeconfigText) });
    const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: namespace } }, { provider });
    const labels = { app: "sleeper" };
    const sts = new k8s.apps.v1.StatefulSet(
      "sleeper",
      {
        metadata: { name: "sleeper", namespace: ns.metadata.name },
        spec: {
          serviceName: "sleeper",
          replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              terminationGracePeriodSeconds: 1,
              securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "main",
                  image: IMAGE,
                  imagePullPolicy: "Never",
                  command: ["sleep", "infinity"],
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                  resources: { limits: { memory: "64Mi", cpu: "200m" } },
                },
              ],
            },
          },
        },
      },
      { provider },
    );
    return { namespace: ns.metadata.name, statefulSet: sts.metadata.name };
  };

  before(async function () {
    this.timeout(CLUSTER_SETUP_TIMEOUT_MS);
    const kubeconfigFile = await startCluster();
    kc = kubeConfigFrom(kubeconfigFile);
    kubeconfigText = fs.readFileSync(kubeconfigFile, "utf8");
    await loadImages(IMAGE);
    engine = await startPulumiEngine("llpm-pulumi-k8s-");
    stack = await engine.stack("test", "llpm-k8s-engine-test", program);
  });

  after(async function () {
    if (stack) await stack.destroy().catch(() => undefined);
    if (kc) await waitForNamespaceGone(kc.makeApiClient(CoreV1Api), namespace).catch(() => undefined);
    if (engine) engine.remove();
  });

  it("creates a namespace and a StatefulSet whose pod is ready", async function () {
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.summary.resourceChanges).to.deep.equal({ create: 4 }); // stack, provider, namespace, StatefulSet
    const sts = await kc.makeApiClient(AppsV1Api).readNamespacedStatefulSet({ namespace, name: "sleeper" });
    expect(sts.status?.readyReplicas).to.equal(1);
  });

  it("keeps the cluster's kubeconfig out of the state in plain text", function () {
    const key = /client-key-data: (\S+)/.exec(kubeconfigText)?.[1];
    expect(key, "the admin kubeconfig embeds its key").to.be.a("string");
    const state = engine.stateDir;
    for (const file of filesUnder(state)) {
      expect(fs.readFileSync(path.join(state, file), "utf8"), file).not.to.include(key!);
    }
  });

  it("changes nothing on a second up", async function () {
    const up = await stack.up();
    expect(up.summary.resourceChanges).to.deep.equal({ same: 4 });
  });

  it("scales 1 -> 2 replicas as an in-place update of the StatefulSet only", async function () {
    replicas = 2;
    const steps: { type: string; op: string }[] = [];
    const onEvent = (e: EngineEvent) => {
      const m = e.resourcePreEvent?.metadata;
      if (m) steps.push({ type: m.type, op: m.op });
    };
    const preview = await stack.preview({ onEvent });
    expect(preview.changeSummary).to.deep.equal({ same: 3, update: 1 });
    const changed = steps.filter((s) => s.op !== "same");
    // "update", not "replace": the pods and the StatefulSet stay, only replicas changes.
    expect(changed).to.deep.equal([{ type: STATEFULSET_TYPE, op: "update" }]);
    const up = await stack.up();
    expect(up.summary.resourceChanges).to.deep.equal({ same: 3, update: 1 });
    const sts = await kc.makeApiClient(AppsV1Api).readNamespacedStatefulSet({ namespace, name: "sleeper" });
    expect(sts.status?.readyReplicas).to.equal(2);
  });

  it("destroys everything it made", async function () {
    const destroyed = await stack.destroy();
    expect(destroyed.summary.resourceChanges).to.deep.equal({ delete: 4 });
    await waitForNamespaceGone(kc.makeApiClient(CoreV1Api), namespace);
    const left = await stack.exportStack();
    expect(left.deployment.resources ?? []).to.deep.equal([]);
  });
});
