// The LiteLLM stand-in (test/support/local-images/litellm), materialised through the harness from
// resources shaped like the program's, routes each provider's wire format to the stub model
// server: Anthropic /v1/messages and OpenAI /v1/chat/completions and /v1/responses. It also shows
// the stand-in starting with DATABASE_URL and store_model_in_db set, which it has to drop.
import { expect } from "chai";
import Docker from "dockerode";
import { DockerFleet, sweepStack } from "./harness/dockerFleet";
import { LOCAL_STAND_INS } from "./harness/imageSubstitution";
import type { RecordedResource } from "./harness/recordedResource";
import { PROJECT_ROOT } from "../support/runProgram";
import { e2eStackName } from "./support/stackName";
import { buildStubImage, StubModelServer } from "./support/stubModelServer";

const MASTER_KEY = "sk-e2e-master";
const UPSTREAM_ANTHROPIC_KEY = "sk-e2e-upstream-anthropic";
const UPSTREAM_OPENAI_KEY = "sk-e2e-upstream-openai";

function litellmConfig(apiBase: string): string {
  return [
    "model_list:",
    "  - model_name: claude-sonnet-4-5",
    "    litellm_params: { model: anthropic/claude-sonnet-4-5, api_key: os.environ/ANTHROPIC_API_KEY, api_base: " + apiBase + " }",
    "  - model_name: gpt-5.5",
    "    litellm_params: { model: openai/gpt-5.5, api_key: os.environ/OPENAI_API_KEY, api_base: " + apiBase + "/v1 }",
    "general_settings:",
    "  master_key: os.environ/LITELLM_MASTER_KEY",
    "  database_url: os.environ/DATABASE_URL",
    "  store_model_in_db: true",
    "",
  ].join("\n");
}

function recordedGateway(stack: string): RecordedResource[] {
  const labels = [
    { label: "llpm.stack", value: stack },
    { label: "llpm.role", value: "litellm" },
  ];
  return [
    { type: "docker:index/network:Network", name: "network", id: "network-id", inputs: { name: `llpm-${stack}-net`, labels } },
    {
      type: "docker:index/container:Container",
      name: "litellm",
      id: "litellm-id",
      inputs: {
        name: `llpm-${stack}-litellm`,
        image: "ghcr.io/berriai/litellm:v1.108.14-stable",
        labels,
        command: ["--config", "/app/config.yaml", "--port", "4000"],
        envs: [
          `LITELLM_MASTER_KEY=${MASTER_KEY}`,
          `ANTHROPIC_API_KEY=${UPSTREAM_ANTHROPIC_KEY}`,
          `OPENAI_API_KEY=${UPSTREAM_OPENAI_KEY}`,
          "DATABASE_URL=postgresql://litellm:pw@postgres:5432/litellm",
          "STORE_MODEL_IN_DB=True",
        ],
        uploads: [{ file: "/app/config.yaml", content: litellmConfig(StubModelServer.apiBase) }],
        networksAdvanced: [{ name: "network-id", aliases: ["litellm"] }],
        ports: [{ internal: 4000, ip: "127.0.0.1", protocol: "tcp" }],
        healthcheck: {
          tests: ["CMD", "python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:4000/health/liveliness', timeout=5)"],
          interval: "2s",
          timeout: "5s",
          retries: 30,
        },
        capabilities: { drops: ["ALL"] },
        securityOpts: ["no-new-privileges:true"],
        memory: 2048,
      },
    },
  ];
}

describe("e2e: the LiteLLM stand-in routes every wire format to the stub model server", function () {
  this.timeout(240_000);
  const docker = new Docker();
  const stack = e2eStackName();
  const fleet = new DockerFleet({ docker, programDir: PROJECT_ROOT, substitutions: LOCAL_STAND_INS });
  const stubName = `llpm-${stack}-stub-model`;
  let stub: StubModelServer;
  let gateway: string;

  before(async () => {
    buildStubImage(PROJECT_ROOT);
    await fleet.apply(recordedGateway(stack), 120_000);
    stub = await StubModelServer.start(docker, stubName, `llpm-${stack}-net`);
    const info = await docker.getContainer(`llpm-${stack}-litellm`).inspect();
    gateway = `http://127.0.0.1:${info.NetworkSettings.Ports["4000/tcp"]?.[0]?.HostPort}`;
  });

  after(async () => {
    await StubModelServer.remove(docker, stubName);
    await fleet.teardown().finally(() => sweepStack(docker, stack));
  });

  const post = async (route: string, body: object, headers: Record<string, string>) => {
    const response = await fetch(`${gateway}${route}`, {
      method: "POST",
      signal: AbortSignal.timeout(30_000),
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status, text).to.equal(200);
    return text;
  };

  it("answers Anthropic /v1/messages from an anthropic/ model, with the upstream key", async () => {
    const text = await post(
      "/v1/messages",
      { model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "SAY messages-route" }] },
      { "x-api-key": MASTER_KEY, "anthropic-version": "2023-06-01" },
    );
    expect(text).to.contain("STUB-ANSWER: messages-route");
    const seen = (await stub.requests()).filter((r) => r.path.endsWith("/messages"));
    expect(seen.at(-1)?.headers["x-api-key"]).to.equal(UPSTREAM_ANTHROPIC_KEY);
    expect(seen.at(-1)?.headers["user-agent"]).to.match(/^litellm\//);
  });

  it("answers OpenAI /v1/chat/completions and /v1/responses from an openai/ model", async () => {
    const auth = { authorization: `Bearer ${MASTER_KEY}` };
    const chat = await post("/v1/chat/completions", { model: "gpt-5.5", messages: [{ role: "user", content: "SAY chat-route" }] }, auth);
    expect(chat).to.contain("STUB-ANSWER: chat-route");
    const responses = await post("/v1/responses", { model: "gpt-5.5", input: "SAY responses-route" }, auth);
    expect(responses).to.contain("STUB-ANSWER: responses-route");
    const upstream = (await stub.requests()).filter((r) => r.headers.authorization === `Bearer ${UPSTREAM_OPENAI_KEY}`);
    expect(upstream.length).to.be.greaterThan(1);
  });

  it("refuses any key but the master key: virtual keys need the database this stand-in lacks", async () => {
    const response = await fetch(`${gateway}/v1/chat/completions`, {
      method: "POST",
      signal: AbortSignal.timeout(30_000),
      headers: { "content-type": "application/json", authorization: "Bearer sk-not-the-key" },
      body: JSON.stringify({ model: "gpt-5.5", messages: [{ role: "user", content: "SAY refused-key" }] }),
    });
    const body = (await response.json()) as { error: { type: string } };
    expect(response.status).to.equal(400);
    expect(body.error.type).to.equal("no_db_connection");
    expect((await stub.requests()).some((r) => JSON.stringify(r.body).includes("refused-key"))).to.equal(false);
  });
});
