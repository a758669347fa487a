/**
 * Secrets stay secret: every input that carries one is a Pulumi secret, and no secret value shows
 * up anywhere else (plain inputs, labels, the LiteLLM config file, plain outputs).
 */
import { expect } from "chai";
import { agentToken } from "../../broker/src/auth/agentToken";
import { GATEWAY_KEY_PREFIX } from "../../components/gatewayKey";
import { makeProgramHost, type ProgramHost } from "../support/programEnv";
import { agentContainers, CONTAINER, coreContainer, envOf, labelsOf, ofType, RANDOM_PASSWORD } from "../support/recordedFleet";
import { mockRandomValue, runProgram, type ProgramRun, type RecordedResource } from "../support/runProgram";

const PROVIDED = {
  anthropicApiKey: "sk-ant-test-provided-0001",
  openaiApiKey: "sk-openai-test-provided-0002",
  groqApiKey: "gsk-test-provided-0003",
};

/** Every string inside `value`, except below the given secret paths. */
function plainStrings(value: unknown, secretPaths: string[], at = ""): string[] {
  if (secretPaths.includes(at)) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap((v, i) => plainStrings(v, secretPaths, at ? `${at}.${i}` : String(i)));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => plainStrings(v, secretPaths, at ? `${at}.${k}` : k));
  }
  return [];
}

function leaksIn(resource: RecordedResource, secrets: string[]): string[] {
  const plain = plainStrings(resource.inputs, resource.secretPaths);
  return secrets.filter((s) => plain.some((text) => text.includes(s)));
}

describe("program under mocks: secrets", () => {
  let host: ProgramHost;
  let run: ProgramRun;
  let secretValues: string[];

  before(async () => {
    host = makeProgramHost();
    run = await runProgram({ stack: "team", env: host.env, config: PROVIDED });
    const generated = ofType(run, RANDOM_PASSWORD).map((r) => mockRandomValue(r.name));
    const agentTokens = agentContainers(run).flatMap((c) => [
      envOf(c).LLPM_AGENT_TOKEN,
      ...Object.values(envOf(c)).filter((v) => v.startsWith(GATEWAY_KEY_PREFIX)),
    ]);
    secretValues = [
      ...Object.values(PROVIDED),
      ...generated,
      ...agentTokens,
      run.outputs.brokerToken,
      run.outputs.litellmMasterKey,
    ];
  });
  after(() => host.remove());

  it("generates the master key (sk-), broker token, salt key, gateway key secret and Postgres password with @pulumi/random", () => {
    expect(
      ofType(run, RANDOM_PASSWORD)
        .map((r) => r.name)
        .sort(),
    ).to.deep.equal(["broker-token", "gateway-key-secret", "litellm-master-key", "litellm-salt-key", "postgres-password"]);
    expect(run.outputs.litellmMasterKey).to.equal(`sk-${mockRandomValue("litellm-master-key")}`);
    expect(run.outputs.brokerToken).to.equal(mockRandomValue("broker-token"));
  });

  it("exports the broker token and master key as secrets, and nothing else", () => {
    expect(run.secretOutputs.sort()).to.deep.equal(["brokerToken", "litellmMasterKey"]);
    const plainOutputs = Object.entries(run.outputs).filter(([k]) => !run.secretOutputs.includes(k));
    const text = JSON.stringify(Object.fromEntries(plainOutputs));
    for (const secret of secretValues) expect(text).to.not.contain(secret);
  });

  it("marks the env of every container as secret, since each holds a secret (the Docker API filter's holds none)", () => {
    const filter = coreContainer(run, "docker-filter");
    for (const c of ofType(run, CONTAINER)) if (c !== filter) expect(c.secretPaths, c.name).to.deep.equal(["envs"]);
    expect(Object.keys(envOf(filter)).sort()).to.deep.equal(["DOCKER_FILTER_LISTEN", "DOCKER_FILTER_UPSTREAM", "LLPM_STACK"]);
  });

  it("leaves no secret value in any plain input, label or image build arg", () => {
    for (const resource of run.resources)
      expect(leaksIn(resource, secretValues), `${resource.type} ${resource.name}`).to.deep.equal([]);
    for (const c of ofType(run, CONTAINER)) {
      const labels = JSON.stringify(labelsOf(c));
      for (const secret of secretValues) expect(labels).to.not.contain(secret);
    }
  });

  it("keeps provider keys out of the LiteLLM config file, referring to env instead", () => {
    const litellm = coreContainer(run, "litellm");
    const file: string = litellm.inputs.uploads[0].content;
    for (const secret of secretValues) expect(file).to.not.contain(secret);
    expect(file).to.contain("api_key: os.environ/ANTHROPIC_API_KEY").and.to.contain("api_key: os.environ/OPENAI_API_KEY");
    expect(envOf(litellm)).to.include({
      ANTHROPIC_API_KEY: PROVIDED.anthropicApiKey,
      OPENAI_API_KEY: PROVIDED.openaiApiKey,
      GROQ_API_KEY: PROVIDED.groqApiKey,
    });
  });

  it("gives provider keys to LiteLLM only, never to an agent", () => {
    for (const c of agentContainers(run)) {
      for (const key of Object.values(PROVIDED)) expect(Object.values(envOf(c)), c.name).to.not.include(key);
    }
  });

  it("gives each agent its own broker token, derived from the broker token", () => {
    for (const c of agentContainers(run)) {
      const env = envOf(c);
      expect(env.LLPM_AGENT_TOKEN).to.equal(agentToken(run.outputs.brokerToken, env.LLPM_AGENT_ID));
    }
    expect(envOf(coreContainer(run, "broker")).BROKER_TOKEN).to.equal(run.outputs.brokerToken);
  });

  it("uses a master key and broker token from the stack config instead of generating them", async () => {
    const given = await runProgram({
      stack: "dev",
      env: host.env,
      config: { litellmMasterKey: "sk-given-master-key", brokerToken: "given-broker-token" },
    });
    expect(
      ofType(given, RANDOM_PASSWORD)
        .map((r) => r.name)
        .sort(),
    ).to.deep.equal(["gateway-key-secret", "litellm-salt-key", "postgres-password"]);
    expect(given.outputs).to.include({ litellmMasterKey: "sk-given-master-key", brokerToken: "given-broker-token" });
    expect(given.secretOutputs.sort()).to.deep.equal(["brokerToken", "litellmMasterKey"]);
    expect(envOf(coreContainer(given, "litellm")).LITELLM_MASTER_KEY).to.equal("sk-given-master-key");
    for (const r of given.resources) expect(leaksIn(r, ["sk-given-master-key", "given-broker-token"]), r.name).to.deep.equal([]);
  });
});
