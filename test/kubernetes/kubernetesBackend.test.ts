/**
 * The kubernetes backend of a dev-like stack (one agent of each type), deployed by the real Pulumi
 * engine (Automation API, the program as an inline program) into the real cluster: no mocks.
 * Secrets are given as config (the random provider is not used on this backend) and images are
 * prebuilt and loaded into the cluster's containerd:
 * - agents, broker and egress proxy: the real images, built from the program's own build specs (the docker
 *   backend's, fleetImages.ts) as the Docker e2e tier builds them: every agent runs its real CLI,
 *   the broker its Kubernetes runtime with the ServiceAccount and Role the program declares;
 * - LiteLLM and Postgres: the local stand-ins of their official images (nothing can be pulled here);
 * - the model providers: the stub model server (test/support/stub-model-server), a pod and a
 *   Service in the fleet's namespace that LiteLLM's upstreams point at, since no real provider can
 *   be reached (or paid) from CI. A job goes broker -> agent pod -> real CLI -> LiteLLM -> stub.
 * - hosts outside the fleet: a small web server in a namespace of its own under two Service names,
 *   one allowlisted (the cluster's network has no route out).
 * The cluster has no provisioner, so the test pre-binds one hostPath volume to each claim.
 */
import { AppsV1Api, AuthorizationV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import Docker from "dockerode";
import { expect } from "chai";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { agentToken } from "../../contract/agentToken";
import { AGENT_TYPES, AGENT_CATALOGUE } from "../../catalogue/agentTypes";
import { AGENT_CREDENTIALS_PATH, agentId, LABEL } from "../../catalogue/naming";
import { WORKSPACE_DIR } from "../../contract/workspace";
import { BROKER_IMAGE_NAME, NAMESPACE } from "../../config/defaults";
import { agentUser } from "../../config/hostUser";
import { GENERATED_SECRET_KEYS } from "../../config/secretKeys";
import { gatewayKey } from "../../core/gatewayKey";
import { BROKER_ALIAS, BROKER_USER } from "../../core/fleetServices";
import { BROKER_NAMESPACE_ENV, BROKER_RUNTIME_ENV, BROKER_TOKEN_ENV } from "../../core/serviceEnv";
import { BROKER_DATA_CLAIM, BROKER_SERVICE_ACCOUNT, POSTGRES_DATA_CLAIM_TEMPLATE, workspaceClaimName } from "../../backends/kubernetes/objectNames";
import { fleetProgram } from "../../program/fleetProgram";
import { CLUSTER_DOMAIN, CLUSTER_SETUP_TIMEOUT_MS, execInPod, exitCode, kubeConfigFrom, kubectlPath, loadImages, startCluster, waitForNamespaceGone } from "../support/kubernetes/cluster";
import { portForward, type PortForward } from "../support/kubernetes/portForward";
import { buildFleetImages } from "../support/kubernetes/fleetImages";
import { fetchInPod } from "../support/kubernetes/podFetch";
import { startOutsideHosts, type OutsideHosts } from "../support/kubernetes/outsideHosts";
import { EGRESS_PROXY_USER } from "../../core/egressProxyImage";
import { startPulumiEngine, type PulumiEngine } from "../support/kubernetes/pulumiEngine";
import { createStaticVolumes, type StaticVolumes } from "../support/kubernetes/staticVolumes";
import { ClusterStubModelServer } from "../support/kubernetes/stubModelServer";
import { PROJECT_ROOT } from "../support/runProgram";
import { keyOf } from "../support/stubModelClient";
import { heldSayPrompt, sayPrompt, writeFilePrompt } from "../support/stubPrompts";
import { waitFor } from "../support/waitFor";
import { filesUnder } from "../support/filesUnder";
import { stubUpstreams, UPSTREAM_KEYS } from "../e2e/support/fleetConfig";
import { BROKER_PORT } from "../../contract/ports";

const LITELLM_IMAGE = "llpm-local/litellm:1.108.14";
const POSTGRES_IMAGE = "llpm-local/postgres:15-bookworm";
const STATEFULSET_TYPE = "kubernetes:apps/v1:StatefulSet";
const STORAGE_CLASS = "llpm-test-static";
/** The uid the program builds the agent images for, and runs their pods as. */
const AGENT_UID = agentUser(process.getuid, process.getgid).uid;
const SCALED = "claude-code";
/**
 * Enough for a real CLI to start and answer in seconds; small enough that five agents (after the
 * scale-up) and the core services fit the 2-core node beside other namespaces' pods (requests equal
 * the limits on this backend).
 */
const AGENT_RESOURCES = { memoryMb: 1000, cpus: 0.2 };
/** Outside hosts: the allowlist names the first only. */
const ALLOWED = "allowed";
const REFUSED = "refused";
/** A real CLI's job, from submission to its end (Aider's start alone takes seconds on a small CPU share). */
const JOB_MS = 240_000;

const started = Date.now();
function phase(text: string): void {
  console.log(`    [k8s +${Math.round((Date.now() - started) / 1000)}s] ${text}`);
}

describe("kubernetes backend: the real engine deploys the fleet into the cluster", function () {
  this.timeout(900000);
  const suffix = randomBytes(3).toString("hex");
  const namespace = `llpm-kbe-${suffix}`;
  const secrets = Object.fromEntries(GENERATED_SECRET_KEYS.map((k) => [k, `${k === "litellmMasterKey" ? "sk-" : ""}${randomBytes(24).toString("hex")}`]));
  const counts = Object.fromEntries(AGENT_TYPES.map((t) => [t, 1]));
  let kc: KubeConfig;
  let kubeconfigFile: string;
  let core: CoreV1Api;
  let engine: PulumiEngine;
  let stack: Stack;
  let volumes: StaticVolumes;
  let hostDir: string;
  let stub: ClusterStubModelServer | undefined;
  let destroyed = false;
  let outside: OutsideHosts | undefined;

  const setCounts = () => stack.setConfig(`${NAMESPACE}:agents`, { value: JSON.stringify(counts) });

  before(async function () {
    this.timeout(CLUSTER_SETUP_TIMEOUT_MS);
    // Both cold are minutes of CPU (the cluster's toolchain, the CLIs' installs); warm, seconds.
    const [kubeconfig, refs] = await Promise.all([
      startCluster().then((file) => (phase("cluster up"), file)),
      buildFleetImages(new Docker(), phase).then((built) => (phase("fleet images built"), built)),
    ]);
    kubeconfigFile = kubeconfig;
    kc = kubeConfigFrom(kubeconfigFile);
    core = kc.makeApiClient(CoreV1Api);
    await loadImages(...Object.values(refs), LITELLM_IMAGE, POSTGRES_IMAGE);
    phase("images loaded into the cluster");
    outside = await startOutsideHosts(core, { namespace: `${namespace}-outside`, image: refs[BROKER_IMAGE_NAME], names: [ALLOWED, REFUSED], clusterDomain: CLUSTER_DOMAIN });
    hostDir = fs.mkdtempSync(path.join(os.tmpdir(), "llpm-kbe-pv-"));
    volumes = await createStaticVolumes(core, {
      namespace,
      storageClass: STORAGE_CLASS,
      hostDir,
      claims: [
        ...AGENT_TYPES.map((t) => ({ claim: workspaceClaimName(agentId(t, 1)), uid: AGENT_UID })),
        { claim: workspaceClaimName(agentId(SCALED, 2)), uid: AGENT_UID },
        { claim: BROKER_DATA_CLAIM, uid: BROKER_USER.uid },
        // Postgres' entrypoint takes ownership of its folder itself.
        { claim: `${POSTGRES_DATA_CLAIM_TEMPLATE}-postgres-0`, uid: 0 },
      ],
    });
    engine = await startPulumiEngine("llpm-kbe-");
    stack = await engine.stack(`kbe${suffix}`, NAMESPACE, async () => fleetProgram({ projectRoot: PROJECT_ROOT }));
    const plain: Record<string, unknown> = {
      backend: "kubernetes",
      kubernetes: { namespace, kubeconfig: kubeconfigFile, storageClass: STORAGE_CLASS, workspaceSize: "1Gi" },
      images: { refs },
      egress: { allow: [outside.host(ALLOWED)] },
      // The stub's Service has the alias the upstreams name, in the fleet's own namespace.
      litellm: { image: LITELLM_IMAGE, upstream: stubUpstreams() },
      postgresImage: POSTGRES_IMAGE,
      resources: Object.fromEntries(AGENT_TYPES.map((t) => [t, AGENT_RESOURCES])),
    };
    await stack.setAllConfig({
      ...Object.fromEntries(Object.entries(plain).map(([k, v]) => [`${NAMESPACE}:${k}`, { value: typeof v === "string" ? v : JSON.stringify(v) }])),
      ...Object.fromEntries(Object.entries({ ...secrets, ...UPSTREAM_KEYS }).map(([k, v]) => [`${NAMESPACE}:${k}`, { value: v, secret: true }])),
    });
    await setCounts();
  });

  after(async function () {
    if (stack && !destroyed) await stack.destroy().catch(() => undefined);
    if (core) {
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
      await waitForNamespaceGone(core, namespace).catch(() => undefined);
    }
    if (outside) await outside.remove();
    if (volumes) await volumes.remove();
    if (hostDir) fs.rmSync(hostDir, { recursive: true, force: true });
    if (engine) engine.remove();
  });

  const podsIn = async () => (await core.listNamespacedPod({ namespace })).items;
  const ready = (pod: { status?: { conditions?: { type: string; status: string }[] } }) =>
    pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

  it("deploys: every pod Ready, agents named after their instance ids", async function () {
    const up = await stack.up();
    phase("first up done");
    expect(up.summary.result).to.equal("succeeded");
    const pods = await podsIn();
    const notReady = pods.filter((p) => !ready(p)).map((p) => p.metadata?.name);
    expect(notReady, "pods not ready").to.deep.equal([]);
    const agents = pods.filter((p) => p.metadata?.labels?.[LABEL.role] === "agent").map((p) => p.metadata?.name).sort();
    expect(agents).to.deep.equal(AGENT_TYPES.map((t) => agentId(t, 1)).sort());
    const roles = new Set(pods.map((p) => p.metadata?.labels?.[LABEL.role]));
    expect([...roles].sort()).to.deep.equal(["agent", "broker", "egress-proxy", "litellm", "postgres"]);
    expect(up.outputs.brokerToken.secret).to.equal(true);
    expect(up.outputs.namespace.value).to.equal(namespace);
  });

  it("runs agents hardened: non-root as the image's uid, nothing to escalate, no API token", async function () {
    const pod = await core.readNamespacedPod({ namespace, name: agentId(SCALED, 1) });
    const spec = pod.spec!;
    expect(spec.securityContext).to.deep.include({ runAsNonRoot: true, runAsUser: AGENT_UID });
    expect(spec.securityContext?.seccompProfile?.type).to.equal("RuntimeDefault");
    expect(spec.automountServiceAccountToken).to.equal(false);
    const agent = spec.containers.find((c) => c.name === "agent")!;
    expect(agent.securityContext).to.deep.include({ allowPrivilegeEscalation: false });
    expect(agent.securityContext?.capabilities?.drop).to.deep.equal(["ALL"]);
    expect(agent.resources?.limits).to.deep.equal({ cpu: `${AGENT_RESOURCES.cpus * 1000}m`, memory: `${AGENT_RESOURCES.memoryMb}Mi` });
    const token = await execInPod(kc, namespace, agentId(SCALED, 1), "agent", ["test", "-e", "/var/run/secrets/kubernetes.io/serviceaccount/token"]);
    expect(exitCode(token.status), "no service account token in an agent").to.equal(1);
  });

  it("writes a file in the agent's workspace claim, as the agent's uid", async function () {
    const text = `proof ${randomBytes(6).toString("hex")}\n`;
    const id = agentId(SCALED, 1);
    const write = await execInPod(kc, namespace, id, "agent", ["sh", "-c", `cat > ${WORKSPACE_DIR}/proof`], text);
    expect(exitCode(write.status), write.stderr).to.equal(0);
    const onHost = path.join(volumes.folderOf(workspaceClaimName(id)), "proof");
    expect(fs.readFileSync(onHost, "utf8")).to.equal(text);
    expect(fs.statSync(onHost).uid).to.equal(AGENT_UID);
  });

  it("gives each agent its own identity and credentials, and none of another instance's", async function () {
    for (const type of AGENT_TYPES) {
      const id = agentId(type, 1);
      const ids = await execInPod(kc, namespace, id, "agent", ["sh", "-c", "echo $LLPM_AGENT_ID $LLPM_AGENT_INDEX"]);
      expect(ids.stdout.trim()).to.equal(`${id} 1`);
      const token = await execInPod(kc, namespace, id, "agent", ["cat", `${AGENT_CREDENTIALS_PATH}/LLPM_AGENT_TOKEN`]);
      expect(token.stdout).to.equal(agentToken(secrets.brokerToken, id));
      const keyVariable = AGENT_CATALOGUE[type].apiKey.keyVariable;
      const key = await execInPod(kc, namespace, id, "agent", ["cat", `${AGENT_CREDENTIALS_PATH}/${keyVariable}`]);
      expect(key.stdout).to.equal(gatewayKey(secrets.gatewayKeySecret, id));
      const listing = await execInPod(kc, namespace, id, "agent", ["ls", "-A", AGENT_CREDENTIALS_PATH]);
      expect(listing.stdout.trim().split("\n").sort()).to.deep.equal(["LLPM_AGENT_TOKEN", keyVariable].sort());
    }
  });

  it("runs a job with the instance's own credentials in the CLI's environment (llpm-run-job reads the files)", async function () {
    const id = agentId(SCALED, 1);
    const keyVariable = AGENT_CATALOGUE[SCALED].apiKey.keyVariable;
    // A CLI that prints the two credentials it was given: the real llpm-run-job starts it as the job.
    const descriptor = { cli: "sh", args: ["-c", `printf '%s %s' "$LLPM_AGENT_TOKEN" "$${keyVariable}"`], prompt: "stdin" };
    const write = await execInPod(kc, namespace, id, "agent", ["sh", "-c", "cat > /tmp/print-credentials.json"], JSON.stringify(descriptor));
    expect(exitCode(write.status)).to.equal(0);
    const job = await execInPod(
      kc,
      namespace,
      id,
      "agent",
      ["env", "LLPM_AGENT_DESCRIPTOR=/tmp/print-credentials.json", "llpm-run-job", "--job-id", `credentials-${suffix}`, "--timeout", "60"],
      "print your credentials\n",
    );
    expect(exitCode(job.status), job.stderr).to.equal(0);
    expect(job.stdout).to.contain(`${agentToken(secrets.brokerToken, id)} ${gatewayKey(secrets.gatewayKeySecret, id)}`);
  });

  it("gives the broker a namespaced Role and nothing more, and its runtime env", async function () {
    const authz = kc.makeApiClient(AuthorizationV1Api);
    const user = `system:serviceaccount:${namespace}:${BROKER_SERVICE_ACCOUNT}`;
    const allowed = async (ns: string, verb: string, resource: string, subresource?: string) =>
      (await authz.createSubjectAccessReview({ body: { spec: { user, resourceAttributes: { namespace: ns, verb, resource, subresource } } } })).status?.allowed ?? false;
    expect(await allowed(namespace, "list", "pods")).to.equal(true);
    expect(await allowed(namespace, "watch", "pods")).to.equal(true);
    expect(await allowed(namespace, "create", "pods", "exec")).to.equal(true);
    expect(await allowed(namespace, "get", "pods", "exec")).to.equal(true);
    expect(await allowed(namespace, "get", "secrets")).to.equal(false);
    expect(await allowed(namespace, "delete", "pods")).to.equal(false);
    expect(await allowed("kube-system", "list", "pods")).to.equal(false);
    const broker = (await podsIn()).find((p) => p.metadata?.labels?.[LABEL.role] === "broker")!;
    const env = await execInPod(kc, namespace, broker.metadata!.name!, BROKER_ALIAS, ["sh", "-c", `echo $${BROKER_RUNTIME_ENV} $${BROKER_NAMESPACE_ENV}; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace`]);
    expect(env.stdout.trim().split("\n")).to.deep.equal([`kubernetes ${namespace}`, namespace]);
  });

  /** The broker pod serving now: ready, and not on its way out (a deleted one lingers while it stops). */
  const brokerPod = async () => {
    const pods = (await podsIn()).filter((p) => p.metadata?.labels?.[LABEL.role] === "broker" && !p.metadata?.deletionTimestamp && ready(p));
    if (pods.length !== 1) throw new Error(`${pods.length} serving broker pods`);
    return pods[0].metadata!.name!;
  };

  /** One call of the broker's API from inside its own pod, with the token of its own environment. */
  const brokerCall = async (method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> =>
    fetchInPod(kc, namespace, await brokerPod(), BROKER_ALIAS, `http://127.0.0.1:${BROKER_PORT}${route}`, { method, body, bearerEnv: BROKER_TOKEN_ENV });

  const submit = async (agentType: string, prompt: string) => {
    const created = await brokerCall("POST", "/jobs", { agentType, prompt });
    expect(created.status, JSON.stringify(created.body)).to.equal(202);
    return created.body.id as string;
  };
  const finished = (id: string) =>
    waitFor(`job ${id} to finish`, async () => {
      const read = (await brokerCall("GET", `/jobs/${id}`)).body;
      return ["queued", "running"].includes(read.state) ? undefined : read;
    }, JOB_MS);
  /** The stub, started once the fleet's namespace exists. */
  const theStub = async () => (stub ??= await ClusterStubModelServer.start(kc, namespace));
  const agentKeys = AGENT_TYPES.map((t) => gatewayKey(secrets.gatewayKeySecret, agentId(t, 1)));

  it("runs a job on every agent type through the broker: the real CLI, through LiteLLM, answered by the stub", async function () {
    const server = await theStub();
    const listed = await waitFor("the broker to list every agent ready", async () => {
      const agents = (await brokerCall("GET", "/agents")).body as { id: string; state: string; source: string; workspacePath: string | null }[];
      return agents.length === AGENT_TYPES.length && agents.every((a) => a.state === "ready" && a.source === "kubernetes") ? agents : undefined;
    }, 120_000);
    expect(Object.fromEntries(listed.map((a) => [a.id, a.workspacePath])), "each agent's workspace, its own claim").to.deep.equal(
      Object.fromEntries(AGENT_TYPES.map((t) => [agentId(t, 1), `pvc/${workspaceClaimName(agentId(t, 1))}`])),
    );
    // One agent per type, each on its own CPU share: the jobs run side by side, checked in order.
    const words = AGENT_TYPES.map((type) => `answer-${type}-${suffix}`);
    const jobs = await Promise.all(AGENT_TYPES.map(async (type, i) => finished(await submit(type, sayPrompt(words[i])))));
    for (const [i, type] of AGENT_TYPES.entries()) {
      const word = words[i];
      const job = jobs[i];
      expect(job.state, JSON.stringify(job)).to.equal("completed");
      expect(job.agentId).to.equal(agentId(type, 1));
      expect(job.exitCode).to.equal(0);
      expect(job.result, job.log).to.contain(`STUB-ANSWER: ${word}`);
      const seen = (await server.requests()).filter((r) => JSON.stringify(r.body).includes(word));
      expect(seen, "the stub saw the prompt").to.not.be.empty;
      // LiteLLM called the stub with the upstream key only it holds; the agent's own key stops at LiteLLM.
      for (const request of seen) expect(Object.values(UPSTREAM_KEYS), `${request.path} key`).to.include(keyOf(request));
      phase(`${type}: completed via ${[...new Set(seen.map((r) => r.path))].join(", ")}`);
    }
    const leaked = (await server.requests()).filter((r) => agentKeys.includes(keyOf(r) ?? ""));
    expect(leaked.map((r) => r.path), "requests that reached the stub with an agent's key").to.deep.equal([]);
  });

  it("counts each agent's calls under its own gateway key: LiteLLM's count per key, in the broker's /agents", async function () {
    // The broker reads LiteLLM's /metrics (every 10 s) with the usage reader's key; LiteLLM labels
    // each count with the agent its key belongs to, so a count for an agent means its own key was used.
    const agents = await waitFor("LiteLLM's count for every agent", async () => {
      const list = (await brokerCall("GET", "/agents")).body as { id: string; gatewayUsage: { requests: number; inputTokens: number } | null }[];
      return list.length === AGENT_TYPES.length && list.every((a) => (a.gatewayUsage?.requests ?? 0) > 0) ? list : undefined;
    }, 60_000);
    for (const agent of agents) {
      expect(agent.gatewayUsage!.inputTokens, `${agent.id} input tokens`).to.be.greaterThan(0);
      phase(`${agent.id}: LiteLLM ${JSON.stringify(agent.gatewayUsage)}`);
    }
  });

  it("writes a file through each CLI's own tool: in that agent's workspace claim only, owned by the agent user, in the job's diff", async function () {
    const fileOf = (type: string) => `k8s-${type}-${suffix}.txt`;
    const contentOf = (type: string) => `written-by-${type}-${suffix}`;
    const jobs = await Promise.all(AGENT_TYPES.map(async (type) => finished(await submit(type, writeFilePrompt(fileOf(type), contentOf(type))))));
    for (const [i, type] of AGENT_TYPES.entries()) {
      const file = fileOf(type);
      const content = contentOf(type);
      const job = jobs[i];
      expect(job.state, JSON.stringify(job)).to.equal("completed");
      const written = path.join(volumes.folderOf(workspaceClaimName(agentId(type, 1))), file);
      expect(fs.readFileSync(written, "utf8").trim()).to.equal(content);
      expect(fs.statSync(written).uid).to.equal(AGENT_UID);
      for (const other of AGENT_TYPES.filter((t) => t !== type)) {
        expect(fs.existsSync(path.join(volumes.folderOf(workspaceClaimName(agentId(other, 1))), file)), `${other}-1's claim`).to.equal(false);
      }
      const diff = (await brokerCall("GET", `/jobs/${job.id}/diff`)).body as { files: { path: string; status: string }[]; patch: string };
      expect(diff.files.find((f) => f.path === file), JSON.stringify(diff.files)).to.include({ status: "added" });
      expect(diff.patch).to.contain(`+${content}`);
      phase(`${type}: wrote ${file}`);
    }
  });

  it("completes a job across the broker pod's deletion: the new pod re-attaches, full output, exit 0", async function () {
    // The stub holds the CLI's model call until released, so the job is mid-flight while the
    // Deployment replaces the deleted pod (its job database is on the retained claim).
    const word = `across-broker-deletion-${suffix}`;
    const server = await theStub();
    const id = await submit("claude-code", heldSayPrompt(word, word));
    await waitFor("the held model call to reach the stub", async () => (await server.requests()).some((r) => JSON.stringify(r.body).includes(word)), JOB_MS);
    expect((await brokerCall("GET", `/jobs/${id}`)).body.state).to.equal("running");
    const old = await brokerPod();
    await core.deleteNamespacedPod({ namespace, name: old });
    const replacement = await waitFor("a new broker pod to serve", async () => {
      const name = await brokerPod();
      return name !== old ? name : undefined;
    }, 180_000);
    phase(`broker pod ${old} deleted, ${replacement} serving`);
    expect((await brokerCall("GET", `/jobs/${id}`)).body.state, "the job after the restart, still held").to.equal("running");
    expect(await server.release(word), "answers that were held").to.be.greaterThan(0);
    const job = await finished(id);
    expect(job.state, JSON.stringify(job)).to.equal("completed");
    expect(job.exitCode).to.equal(0);
    expect(job.result, job.log).to.contain(`STUB-ANSWER: ${word}`);
    expect(job.log).to.contain("re-attached at byte");
  });

  it("lets agents out through the egress proxy to allowlisted hosts only, and logs each refusal", async function () {
    // The agent's own proxy env, as its CLIs and package managers use it (HTTP_PROXY for http URLs).
    const fetchThroughProxy = (host: string) =>
      execInPod(kc, namespace, agentId(SCALED, 1), "agent", [
        "node",
        "-e",
        "const p=new URL(process.env.HTTP_PROXY);require('http').get({host:p.hostname,port:p.port,path:process.argv[1]}," +
          "r=>{let b='';r.on('data',d=>b+=d);r.on('end',()=>console.log(r.statusCode+' '+b.split('\\n')[0]))}).on('error',e=>{console.error(e.message);process.exit(1)})",
        `http://${host}/`,
      ]);
    const allowed = await fetchThroughProxy(outside!.host(ALLOWED));
    expect(allowed.stdout.trim(), allowed.stderr).to.equal(`200 outside ${outside!.host(ALLOWED)}`);
    const refused = await fetchThroughProxy(outside!.host(REFUSED));
    expect(refused.stdout.trim(), refused.stderr).to.match(/^403 /);
    const [proxyPod] = (await podsIn()).filter((p) => p.metadata?.labels?.[LABEL.role] === "egress-proxy");
    const log = await waitFor("the refusal in the proxy's log", async () => {
      const text = await core.readNamespacedPodLog({ namespace, name: proxyPod.metadata!.name! });
      return text.includes(`TCP_DENIED/403 GET http://${outside!.host(REFUSED)}/`) ? text : undefined;
    }, 30_000);
    expect(log).to.match(new RegExp(`TCP_MISS/200 GET http://${outside!.host(ALLOWED).replace(/\./g, "\\.")}/`));
    expect(proxyPod.spec?.securityContext?.runAsUser).to.equal(EGRESS_PROXY_USER.uid);
  });

  it("brings Codex's browser-login callback to the agent through kubectl port-forward to its port", async function () {
    const callbackPort = AGENT_CATALOGUE["openai-codex"].subscription!.loginCallbackPort!;
    const pod = agentId("openai-codex", 1);
    // The user's two terminals: the login in the agent, the port-forward on their own machine.
    const login = spawn(await kubectlPath(), ["-n", namespace, "exec", "-i", pod, "-c", "agent", "--", "timeout", "120", "llpm-login", "--callback"], {
      env: { ...process.env, KUBECONFIG: kubeconfigFile },
    });
    let printed = "";
    login.stdout.on("data", (b: Buffer) => (printed += b.toString()));
    login.stderr.on("data", (b: Buffer) => (printed += b.toString()));
    let forward: PortForward | undefined;
    try {
      const authorize = new URL(await waitFor("the login URL Codex prints", () => /https:\/\/auth\.openai\.com\/oauth\/authorize\S+/.exec(printed)?.[0], 60_000));
      expect(authorize.searchParams.get("redirect_uri")).to.equal(`http://127.0.0.1:${callbackPort}/auth/callback`);
      forward = await portForward(kubeconfigFile, namespace, pod, callbackPort);
      // The browser's redirect, with a state this login did not issue: Codex's own server answers
      // it (and refuses it), so the redirect reached the CLI in the pod. A real login needs an account.
      const redirect = await fetch(`http://127.0.0.1:${forward.localPort}/auth/callback?code=made-up&state=not-issued`);
      expect(redirect.status, printed).to.equal(400);
      expect(await redirect.text()).to.contain("State mismatch");
    } finally {
      forward?.stop();
      login.kill();
      await execInPod(kc, namespace, pod, "agent", ["pkill", "-f", "codex login"]);
    }
  });

  it("changes nothing on a second up", async function () {
    const up = await stack.up();
    expect(Object.keys(up.summary.resourceChanges ?? {})).to.deep.equal(["same"]);
  });

  it(`scales ${SCALED} 1 -> 2: the engine's preview changes that StatefulSet only, in place`, async function () {
    counts[SCALED] = 2;
    await setCounts();
    const steps: { type: string; op: string; urn: string }[] = [];
    const onEvent = (e: EngineEvent) => {
      const m = e.resourcePreEvent?.metadata;
      if (m) steps.push({ type: m.type, op: m.op, urn: m.urn });
    };
    await stack.preview({ onEvent });
    const changed = steps.filter((s) => s.op !== "same");
    expect(changed.map((s) => ({ type: s.type, op: s.op }))).to.deep.equal([{ type: STATEFULSET_TYPE, op: "update" }]);
    expect(changed[0].urn).to.contain(`agents-${SCALED}`);
    const up = await stack.up();
    expect(up.summary.resourceChanges).to.include({ update: 1 });
    expect(Object.keys(up.summary.resourceChanges ?? {}).sort()).to.deep.equal(["same", "update"]);
    const sts = await kc.makeApiClient(AppsV1Api).readNamespacedStatefulSet({ namespace, name: SCALED });
    expect(sts.status?.readyReplicas).to.equal(2);
    expect(ready(await core.readNamespacedPod({ namespace, name: agentId(SCALED, 2) }))).to.equal(true);
  });

  it("keeps the cluster's kubeconfig out of the state in plain text", function () {
    const key = /client-key-data: (\S+)/.exec(fs.readFileSync(kubeconfigFile, "utf8"))?.[1];
    expect(key, "the admin kubeconfig embeds its key").to.be.a("string");
    for (const file of filesUnder(engine.stateDir)) {
      const text = fs.readFileSync(path.join(engine.stateDir, file), "utf8");
      expect(text, file).not.to.include(key!);
      for (const [name, value] of Object.entries({ ...secrets, ...UPSTREAM_KEYS })) expect(text, `${name} in ${file}`).not.to.include(value);
    }
  });

  it("destroys everything but the namespace and the retained claims", async function () {
    const result = await stack.destroy();
    destroyed = true;
    expect(result.summary.result).to.equal("succeeded");
    const left = await stack.exportStack();
    expect(left.deployment.resources ?? []).to.deep.equal([]);
    const claims = (await core.listNamespacedPersistentVolumeClaim({ namespace })).items.map((c) => c.metadata?.name).sort();
    expect(claims).to.deep.equal(
      [...AGENT_TYPES.map((t) => workspaceClaimName(agentId(t, 1))), workspaceClaimName(agentId(SCALED, 2)), BROKER_DATA_CLAIM, `${POSTGRES_DATA_CLAIM_TEMPLATE}-postgres-0`].sort(),
    );
    const apps = kc.makeApiClient(AppsV1Api);
    expect((await apps.listNamespacedStatefulSet({ namespace })).items).to.deep.equal([]);
    expect((await apps.listNamespacedDeployment({ namespace })).items).to.deep.equal([]);
    // The stub's Service is the test's own, not the stack's.
    expect((await core.listNamespacedService({ namespace })).items.map((s) => s.metadata?.name)).to.deep.equal([ClusterStubModelServer.serviceName]);
    expect((await core.listNamespacedSecret({ namespace })).items).to.deep.equal([]);
  });
});
