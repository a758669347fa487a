/**
 * The kubernetes backend of a dev-like stack (one agent of each type), deployed by the real Pulumi
 * engine (Automation API, the program as an inline program) into the real cluster: no mocks.
 * Secrets are given as config (the random provider is not used on this backend) and images are
 * prebuilt and loaded into the cluster's containerd:
 * - agents: the broker tests' fake agent image (the real job commands, a scripted CLI), for every type;
 * - LiteLLM and Postgres: the local stand-ins of their official images;
 * - broker and egress proxy: the real images, built as the Docker backend's program declares them
 *   (test/support/kubernetes/programImages.ts); the broker runs its Kubernetes runtime with the
 *   ServiceAccount and Role the program declares;
 * - hosts outside the fleet: a small web server in a namespace of its own under two Service names,
 *   one allowlisted (the cluster's network has no route out).
 * The cluster has no provisioner, so the test pre-binds one hostPath volume to each claim.
 */
import { AppsV1Api, AuthorizationV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import Docker from "dockerode";
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { agentToken } from "../../contract/agentToken";
import { AGENT_TYPES, AGENT_CATALOGUE } from "../../catalogue/agentTypes";
import { AGENT_CREDENTIALS_PATH, agentId, LABEL } from "../../catalogue/naming";
import { WORKSPACE_DIR } from "../../contract/workspace";
import { BROKER_IMAGE_NAME, EGRESS_PROXY_IMAGE_NAME, NAMESPACE } from "../../config/defaults";
import { GENERATED_SECRET_KEYS } from "../../config/secretKeys";
import { gatewayKey } from "../../core/gatewayKey";
import { BROKER_ALIAS } from "../../core/fleetServices";
import { BROKER_NAMESPACE_ENV, BROKER_RUNTIME_ENV, BROKER_TOKEN_ENV } from "../../core/serviceEnv";
import { BROKER_DATA_CLAIM, BROKER_SERVICE_ACCOUNT, POSTGRES_DATA_CLAIM_TEMPLATE, workspaceClaimName } from "../../backends/kubernetes/objectNames";
import { fleetProgram } from "../../program/fleetProgram";
import { ensureAgentImage } from "../broker/support/agentImage";
import { CLUSTER_DOMAIN, CLUSTER_SETUP_TIMEOUT_MS, execInPod, exitCode, kubeConfigFrom, loadImages, startCluster, waitForNamespaceGone } from "../support/kubernetes/cluster";
import { startPulumiEngine, type PulumiEngine } from "../support/kubernetes/pulumiEngine";
import { createStaticVolumes, type StaticVolumes } from "../support/kubernetes/staticVolumes";
import { PROJECT_ROOT } from "../support/runProgram";
import { waitFor } from "../support/waitFor";
import { buildProgramImages, PROGRAM_IMAGES_TIMEOUT_MS } from "../support/kubernetes/programImages";
import { startOutsideHosts, type OutsideHosts } from "../support/kubernetes/outsideHosts";
import { filesUnder } from "../support/filesUnder";
import { BROKER_PORT } from "../../contract/ports";
import { EGRESS_PROXY_USER } from "../../core/egressProxyImage";

const LITELLM_IMAGE = "llpm-local/litellm:1.108.14";
const POSTGRES_IMAGE = "llpm-local/postgres:15-bookworm";
const STATEFULSET_TYPE = "kubernetes:apps/v1:StatefulSet";
const STORAGE_CLASS = "llpm-test-static";
/** The fake agent image's user, and the broker image's. */
const AGENT_UID = 1000;
const SCALED = "claude-code";
/** Outside hosts: the allowlist names the first only. */
const ALLOWED = "allowed";
const REFUSED = "refused";

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
  let destroyed = false;
  let outside: OutsideHosts | undefined;

  const setCounts = () => stack.setConfig(`${NAMESPACE}:agents`, { value: JSON.stringify(counts) });

  before(async function () {
    this.timeout(CLUSTER_SETUP_TIMEOUT_MS + PROGRAM_IMAGES_TIMEOUT_MS);
    kubeconfigFile = await startCluster();
    kc = kubeConfigFrom(kubeconfigFile);
    core = kc.makeApiClient(CoreV1Api);
    const docker = new Docker();
    const agentImage = await ensureAgentImage(docker);
    const built = await buildProgramImages(docker, [BROKER_IMAGE_NAME, EGRESS_PROXY_IMAGE_NAME]);
    await loadImages(agentImage, ...Object.values(built), LITELLM_IMAGE, POSTGRES_IMAGE);
    outside = await startOutsideHosts(core, { namespace: `${namespace}-outside`, image: agentImage, names: [ALLOWED, REFUSED], clusterDomain: CLUSTER_DOMAIN });
    hostDir = fs.mkdtempSync(path.join(os.tmpdir(), "llpm-kbe-pv-"));
    volumes = await createStaticVolumes(core, {
      namespace,
      storageClass: STORAGE_CLASS,
      hostDir,
      claims: [
        ...AGENT_TYPES.map((t) => ({ claim: workspaceClaimName(agentId(t, 1)), uid: AGENT_UID })),
        { claim: workspaceClaimName(agentId(SCALED, 2)), uid: AGENT_UID },
        { claim: BROKER_DATA_CLAIM, uid: AGENT_UID },
        // Postgres' entrypoint takes ownership of its folder itself.
        { claim: `${POSTGRES_DATA_CLAIM_TEMPLATE}-postgres-0`, uid: 0 },
      ],
    });
    engine = await startPulumiEngine("llpm-kbe-");
    stack = await engine.stack(`kbe${suffix}`, NAMESPACE, async () => fleetProgram({ projectRoot: PROJECT_ROOT }));
    const plain: Record<string, unknown> = {
      backend: "kubernetes",
      kubernetes: { namespace, kubeconfig: kubeconfigFile, storageClass: STORAGE_CLASS, workspaceSize: "1Gi" },
      images: { refs: { ...Object.fromEntries(AGENT_TYPES.map((t) => [t, agentImage])), ...built } },
      egress: { allow: [outside.host(ALLOWED)] },
      litellm: { image: LITELLM_IMAGE },
      postgresImage: POSTGRES_IMAGE,
      resources: Object.fromEntries(AGENT_TYPES.map((t) => [t, { memoryMb: 256, cpus: 0.1 }])),
    };
    await stack.setAllConfig({
      ...Object.fromEntries(Object.entries(plain).map(([k, v]) => [`${NAMESPACE}:${k}`, { value: typeof v === "string" ? v : JSON.stringify(v) }])),
      ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [`${NAMESPACE}:${k}`, { value: v, secret: true }])),
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
    expect(agent.resources?.limits).to.deep.equal({ cpu: "100m", memory: "256Mi" });
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

  /** One call of the broker's API from inside its own pod (its Service is not reachable from the host). */
  const brokerCall = async (method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const broker = (await podsIn()).find((p) => p.metadata?.labels?.[LABEL.role] === "broker")!;
    const script =
      `fetch('http://127.0.0.1:${BROKER_PORT}'+process.argv[1],{method:process.argv[2],` +
      `headers:{authorization:'Bearer '+process.env.${BROKER_TOKEN_ENV},'content-type':'application/json'},body:process.argv[3]||undefined})` +
      `.then(async r=>console.log(JSON.stringify({status:r.status,body:await r.json()})),e=>{console.error(e);process.exit(1)})`;
    const out = await execInPod(kc, namespace, broker.metadata!.name!, BROKER_ALIAS, ["node", "-e", script, route, method, body === undefined ? "" : JSON.stringify(body)]);
    if (exitCode(out.status) !== 0) throw new Error(`broker call ${method} ${route} failed: ${out.stderr}`);
    return JSON.parse(out.stdout);
  };

  it("runs a job on every agent type through the real broker and its Kubernetes runtime", async function () {
    await waitFor("the broker to list every agent ready", async () => {
      const agents = (await brokerCall("GET", "/agents")).body as { id: string; state: string; source: string }[];
      return agents.length === AGENT_TYPES.length && agents.every((a) => a.state === "ready" && a.source === "kubernetes");
    }, 120_000);
    for (const type of AGENT_TYPES) {
      const created = await brokerCall("POST", "/jobs", { agentType: type, prompt: `hello from ${type}` });
      expect(created.status, JSON.stringify(created.body)).to.equal(202);
      const job = await waitFor(`the ${type} job to finish`, async () => {
        const read = (await brokerCall("GET", `/jobs/${created.body.id}`)).body;
        return ["queued", "running"].includes(read.state) ? undefined : read;
      }, 120_000);
      expect(job.state, JSON.stringify(job)).to.equal("completed");
      expect(job.agentId).to.equal(agentId(type as (typeof AGENT_TYPES)[number], 1));
      expect(job.exitCode).to.equal(0);
      // The fake CLI answers in Claude Code's and Codex's JSON, in plain text for the others (whose
      // parsers then find no result): what it printed is in the log the broker streamed.
      expect(job.log, JSON.stringify(job)).to.contain(`echo: hello from ${type}`);
    }
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
      for (const [name, value] of Object.entries(secrets)) expect(text, `${name} in ${file}`).not.to.include(value);
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
    expect((await core.listNamespacedService({ namespace })).items).to.deep.equal([]);
    expect((await core.listNamespacedSecret({ namespace })).items).to.deep.equal([]);
  });
});
