/**
 * The real Pulumi engine (the CLI and the Kubernetes provider built by `.ci/toolchain/`) deploying
 * an inline Automation API program into the real cluster of `.ci/cluster/`: no mocks, no language
 * host, no plugin looked up anywhere but the provider installed here. `npm run test:kubernetes`.
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { CLUSTER_SETUP_TIMEOUT_MS, kubeConfigFrom, loadImages, runScript, startCluster, waitForNamespaceGone } from "../support/kubernetes/cluster";
import { filesUnder } from "../support/filesUnder";

const run = promisify(execFile);
const toolchain = (name: string) => path.resolve(__dirname, "../../.ci/toolchain", name);
const PROVIDER_VERSION: string = require("@pulumi/kubernetes/package.json").version;
const IMAGE = "llpm-local/node:20-bookworm";
const STATEFULSET_TYPE = "kubernetes:apps/v1:StatefulSet";

describe("kubernetes: the real Pulumi engine deploys into the cluster", function () {
  this.timeout(600000);
  const namespace = `llpm-pulumi-${randomBytes(3).toString("hex")}`;
  let kc: KubeConfig;
  let kubeconfigText: string;
  let work: string;
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
    const pulumiBin = await runScript(toolchain("pulumi-cli.sh"));
    const providerBinary = await runScript(toolchain("pulumi-kubernetes.sh"));
    work = fs.mkdtempSync(path.join(os.tmpdir(), "llpm-pulumi-k8s-"));
    const pulumiHome = path.join(work, "home");
    const envVars = {
      PULUMI_HOME: pulumiHome,
      PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    fs.mkdirSync(path.join(work, "state"));
    // Offline: the plugin comes from the binary built here, never from a download.
    await run(path.join(pulumiBin, "pulumi"), ["plugin", "install", "resource", "kubernetes", PROVIDER_VERSION, "-f", providerBinary], {
      env: { ...process.env, ...envVars },
    });
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(pulumiBin), skipVersionCheck: false });
    fs.mkdirSync(path.join(work, "project"));
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "test", projectName: "llpm-k8s-engine-test", program },
      { workDir: path.join(work, "project"), pulumiCommand, envVars },
    );
  });

  after(async function () {
    if (stack) await stack.destroy().catch(() => undefined);
    if (kc) await waitForNamespaceGone(kc.makeApiClient(CoreV1Api), namespace).catch(() => undefined);
    if (work) fs.rmSync(work, { recursive: true, force: true });
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
    const state = path.join(work, "state");
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
