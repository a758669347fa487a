/**
 * The kubernetes backend's images under mocks: with `images.registry`, what `images.refs` does not
 * name is built from the Docker backend's Dockerfiles and build args, pushed with the registry's
 * credentials, and run by its digest. Only under mocks: the docker provider cannot run here and
 * there is no registry, so no image is built or pushed and the digests are made up
 * (runProgram's mockRepoDigest); that a real push works and nodes pull it (with the pull secret
 * declared here) is not proven.
 */
import { expect } from "chai";
import { AGENT_TYPES } from "../../catalogue/agentTypes";
import { agentUser } from "../../config/hostUser";
import { ConfigError } from "../../config/problems";
import { REGISTRY_SERVER_ALLOWED } from "../../config/schema";
import { AGENT_IMAGE, BROKER_IMAGE, k8sConfig } from "../support/kubernetesStack";
import { makeProgramHost, type ProgramHost } from "../support/programEnv";
import { IMAGE, ofType, resourceNamed } from "../support/recordedFleet";
import { K8S, kubernetesOfType, workloads } from "../support/recordedKubernetes";
import { REGISTRY_PULL_SECRET } from "../../backends/kubernetes/objectNames";
import { mockRepoDigest, runProgram, type ProgramRun, type RecordedResource } from "../support/runProgram";

const SERVER = "registry.example.com:5000/team";
const PASSWORD = "registry-password-0123456789abcdef";
const REGISTRY = { server: SERVER, username: "deployer" };
const ALL_IMAGES = ["base", ...AGENT_TYPES, "broker", "egress-proxy"];
const USER = agentUser(process.getuid, process.getgid);

/** The kubernetes stack with a registry and the given refs only. */
function withRegistry(host: ProgramHost, refs: Record<string, string> = {}, registry: Record<string, unknown> = REGISTRY, extra: Record<string, unknown> = {}) {
  return k8sConfig(host, { images: { refs, registry }, registryPassword: PASSWORD, ...extra });
}

async function refusal(run: Promise<ProgramRun>): Promise<ConfigError> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(ConfigError);
  expect((err as { recordedResources: unknown[] }).recordedResources, "nothing is declared").to.deep.equal([]);
  return err as ConfigError;
}

/** The image every container of every pod runs, by workload name. */
function podImages(run: ProgramRun): Record<string, string[]> {
  return Object.fromEntries(
    workloads(run).map(({ resource, pod }) => [resource.inputs.metadata.name, [...pod.containers, ...(pod.initContainers ?? [])].map((c: any) => c.image)]),
  );
}

describe("program under mocks: kubernetes images", () => {
  let host: ProgramHost;
  let built: ProgramRun;
  let docker: ProgramRun;

  before(async () => {
    host = makeProgramHost();
    built = await runProgram({ stack: "dev", env: host.env, config: withRegistry(host) });
    docker = await runProgram({ stack: "dev", env: host.env });
  });
  after(() => host.remove());

  it("builds every image in the registry from the Docker backend's build, and pushes it with the credentials", () => {
    const images = ofType(built, IMAGE);
    expect(images.map((i) => i.name).sort()).to.deep.equal(ALL_IMAGES.map((name) => `image-${name}`).sort());
    for (const name of ALL_IMAGES) {
      const image = resourceNamed(built, IMAGE, `image-${name}`).inputs;
      const local = resourceNamed(docker, IMAGE, `image-${name}`).inputs;
      expect(image.imageName, name).to.match(new RegExp(`^${SERVER}/llpm-${name}:[0-9a-f]{16}$`));
      expect(image.skipPush, name).to.equal(false);
      expect(image.registry, name).to.deep.equal({ server: "registry.example.com:5000", username: "deployer", password: PASSWORD });
      expect({ ...image.build, args: undefined }, name).to.deep.equal({ ...local.build, args: undefined });
      // Only the agents' base is named differently: it is the registry's base build.
      const { LLPM_BASE_IMAGE, ...args } = image.build.args;
      const { LLPM_BASE_IMAGE: localBase, ...localArgs } = local.build.args;
      expect(args, name).to.deep.equal(localArgs);
      expect(LLPM_BASE_IMAGE, name).to.equal(localBase === undefined ? undefined : resourceNamed(built, IMAGE, "image-base").inputs.imageName);
    }
    expect(resourceNamed(built, IMAGE, "image-base").inputs.build.args).to.include({ AGENT_UID: String(USER.uid), AGENT_GID: String(USER.gid) });
  });

  it("runs every pod's containers on its image's registry digest, so a rebuild rolls exactly those pods", () => {
    const digest = (name: string) => mockRepoDigest(resourceNamed(built, IMAGE, `image-${name}`).inputs.imageName);
    const expected: Record<string, string[]> = {
      ...Object.fromEntries(AGENT_TYPES.map((t) => [t, [digest(t), digest(t)]])),
      broker: [digest("broker")],
      "egress-proxy": [digest("egress-proxy")],
    };
    const actual = podImages(built);
    for (const [workload, images] of Object.entries(expected)) expect(actual[workload], workload).to.deep.equal(images);
    for (const [workload, images] of Object.entries(actual)) {
      if (!(workload in expected)) expect(images.some((i) => i.startsWith(SERVER)), workload).to.equal(false);
    }
  });

  it("keeps the registry password secret: in no plain input and no output", () => {
    // The engine sends the whole registry block as one secret, since the password is in it.
    for (const image of ofType(built, IMAGE)) expect(image.secretPaths, image.name).to.deep.equal(["registry"]);
    const withoutSecrets = (r: RecordedResource) =>
      JSON.stringify(r.secretPaths.length === 0 ? r.inputs : { ...r.inputs, ...Object.fromEntries(r.secretPaths.map((p) => [p.split(".")[0], null])) });
    for (const r of built.resources) expect(withoutSecrets(r), `${r.type} ${r.name}`).to.not.contain(PASSWORD);
    expect(JSON.stringify(built.outputs)).to.not.contain(PASSWORD);
  });

  it("gives the nodes the registry's credentials as a pull secret, named by the pods of built images only", () => {
    const [pull] = kubernetesOfType(built, K8S.secret).filter((r) => r.inputs.metadata.name === REGISTRY_PULL_SECRET);
    expect(pull.inputs.type).to.equal("kubernetes.io/dockerconfigjson");
    expect(pull.secretPaths).to.deep.equal(["stringData"]);
    const auths = JSON.parse(pull.inputs.stringData[".dockerconfigjson"]).auths;
    expect(auths).to.deep.equal({
      "registry.example.com:5000": { username: "deployer", password: PASSWORD, auth: Buffer.from(`deployer:${PASSWORD}`).toString("base64") },
    });
    const pulling = workloads(built).filter(({ pod }) => pod.imagePullSecrets !== undefined);
    expect(pulling.map(({ resource }) => resource.inputs.metadata.name).sort()).to.deep.equal([...AGENT_TYPES, "broker", "egress-proxy"].sort());
    for (const { pod } of pulling) expect(pod.imagePullSecrets).to.deep.equal([{ name: REGISTRY_PULL_SECRET }]);
  });

  it("runs images.refs where given and builds only the rest (no base when no agent image is built)", async () => {
    const someRefs = await runProgram({ stack: "dev", env: host.env, config: withRegistry(host, { aider: AGENT_IMAGE, broker: BROKER_IMAGE }) });
    expect(ofType(someRefs, IMAGE).map((i) => i.name).sort()).to.deep.equal(
      ["image-base", "image-claude-code", "image-openai-codex", "image-opencode", "image-egress-proxy"].sort(),
    );
    const images = podImages(someRefs);
    expect(images.aider).to.deep.equal([AGENT_IMAGE, AGENT_IMAGE]);
    expect(images.broker).to.deep.equal([BROKER_IMAGE]);
    expect(images.opencode[0]).to.equal(mockRepoDigest(resourceNamed(someRefs, IMAGE, "image-opencode").inputs.imageName));
    const pullSecretOf = Object.fromEntries(workloads(someRefs).map(({ resource, pod }) => [resource.inputs.metadata.name, pod.imagePullSecrets]));
    expect(pullSecretOf.aider, "a ref is pulled as the cluster pulls it").to.equal(undefined);
    expect(pullSecretOf.broker).to.equal(undefined);
    expect(pullSecretOf.opencode).to.deep.equal([{ name: REGISTRY_PULL_SECRET }]);
    const agentRefs = Object.fromEntries(AGENT_TYPES.map((t) => [t, AGENT_IMAGE]));
    const servicesOnly = await runProgram({ stack: "dev", env: host.env, config: withRegistry(host, agentRefs) });
    expect(ofType(servicesOnly, IMAGE).map((i) => i.name).sort()).to.deep.equal(["image-broker", "image-egress-proxy"]);
  });

  it("pushes without credentials of its own when the registry has no username (the engine's own login, or none)", async () => {
    const config = withRegistry(host, {}, { server: "localhost:5000" });
    delete config.registryPassword;
    const anonymous = await runProgram({ stack: "minimal", env: host.env, config });
    for (const image of ofType(anonymous, IMAGE)) {
      expect(image.inputs.registry, image.name).to.deep.equal({ server: "localhost:5000" });
      expect(image.inputs.imageName, image.name).to.match(/^localhost:5000\/llpm-/);
    }
    expect(kubernetesOfType(anonymous, K8S.secret).map((r) => r.inputs.metadata.name)).to.not.include(REGISTRY_PULL_SECRET);
    for (const { resource, pod } of workloads(anonymous)) expect(pod.imagePullSecrets, resource.inputs.metadata.name).to.equal(undefined);
  });

  it("refuses a username without registryPassword, and the password without a registry or a username", async () => {
    const noPassword = withRegistry(host);
    delete noPassword.registryPassword;
    const [missing] = (await refusal(runProgram({ stack: "dev", env: host.env, config: noPassword }))).problems;
    expect(missing).to.include({ key: "registryPassword", value: undefined });
    expect(missing.allowed).to.contain("pulumi config set --secret registryPassword").and.to.contain("images.registry.username is set");
    const noUser = withRegistry(host, {}, { server: SERVER });
    expect((await refusal(runProgram({ stack: "dev", env: host.env, config: noUser }))).problems.map((p) => p.key)).to.deep.equal(["images.registry.username"]);
    const noRegistry = k8sConfig(host, { registryPassword: PASSWORD });
    const [stray] = (await refusal(runProgram({ stack: "dev", env: host.env, config: noRegistry }))).problems;
    expect(stray.key).to.equal("registryPassword");
    expect(JSON.stringify(stray)).to.not.contain(PASSWORD);
  });

  it("refuses a registry server that is not host[:port][/path], naming the key, the value and what is allowed", async () => {
    const config = withRegistry(host, {}, { server: "https://registry.example.com" });
    const [problem] = (await refusal(runProgram({ stack: "dev", env: host.env, config }))).problems;
    expect(problem).to.deep.equal({ key: "images.registry.server", value: "https://registry.example.com", allowed: REGISTRY_SERVER_ALLOWED });
  });

  it("refuses images.registry and registryPassword on backend docker", async () => {
    const onDocker = { images: { registry: REGISTRY } };
    const [registry] = (await refusal(runProgram({ stack: "dev", env: host.env, config: onDocker }))).problems;
    expect(registry).to.include({ key: "images.registry" });
    expect(registry.allowed).to.contain("only with backend kubernetes");
    const [password] = (await refusal(runProgram({ stack: "dev", env: host.env, config: { registryPassword: PASSWORD } }))).problems;
    expect(password).to.include({ key: "registryPassword" });
    expect(password.allowed).to.contain("only with backend kubernetes");
  });

  it("leaves the Docker backend's images as they were: same parents and names (so the same URNs), local and unpushed", () => {
    const parents: Record<string, string> = { "image-broker": "llpm:fleet:Broker", "image-egress-proxy": "llpm:fleet:EgressProxy" };
    for (const image of ofType(docker, IMAGE)) {
      // Mocks qualify a URN's type by the direct parent only; the engine's has the whole chain.
      expect(image.urn).to.equal(`urn:pulumi:dev::llpm-fleet::${parents[image.name] ?? "llpm:fleet:AgentImages"}$${IMAGE}::${image.name}`);
      expect(image.inputs.skipPush, image.name).to.equal(true);
      expect(image.inputs, image.name).to.not.have.property("registry");
      expect(image.inputs.imageName, image.name).to.match(/^llpm-dev\/[a-z-]+:[0-9a-f]{16}$/);
    }
    expect(ofType(docker, K8S.provider)).to.deep.equal([]);
  });
});
