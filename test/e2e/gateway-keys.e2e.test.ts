// Per-agent gateway keys against the LiteLLM stand-in (test/support/local-images/litellm: the real
// LiteLLM 1.108.14 without its database, which cannot run here). The program's own LiteLLM
// container (config, auth hook and policy uploads, env) is recorded under mocks and materialised
// by the harness beside the stub model server; the keys come from the program's key derivation.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { GATEWAY_KEY_HEADER, gatewayKey, usageReaderKey } from "../../core/gatewayKey";
import { usageByAgent } from "../../broker/src/gateway/litellmUsage";
import { PROJECT_ROOT, mockRandomValue, runProgram } from "../support/runProgram";
import { coreContainer, envOf } from "../support/recordedFleet";
import { DockerFleet, sweepStack } from "./harness/dockerFleet";
import { LOCAL_STAND_INS } from "./harness/imageSubstitution";
import { e2eStackConfig, writeExtraCaFile } from "./support/fleetConfig";
import { freePort } from "./support/freePorts";
import { e2eStackName } from "./support/stackName";
import { buildStubImage, StubModelServer } from "./support/stubModelServer";
import { waitFor } from "../support/waitFor";

const AIDER_RPM = 3;
/** Limits of types whose keys the tests use without running their agents (the policy has every type). */
const CODEX_TPM = 1000;
const OPENCODE_PARALLEL = 1;
const ADMIN_ROUTES = ["/key/generate", "/model/new", "/user/new", "/config/update", "/spend/logs", "/key/list"];

describe("e2e: LiteLLM accepts each agent's own key on model routes only, with its limits", function () {
  this.timeout(300_000);
  const docker = new Docker();
  const stack = e2eStackName();
  const runDir = mkdtempSync(path.join(tmpdir(), "llpm-gateway-keys-"));
  const fleet = new DockerFleet({ docker, programDir: PROJECT_ROOT, substitutions: LOCAL_STAND_INS });
  const stubName = `llpm-${stack}-stub-model`;
  let gateway: string;
  let masterKey: string;
  let stub: StubModelServer;
  const secret = mockRandomValue("gateway-key-secret");

  before(async () => {
    buildStubImage(PROJECT_ROOT);
    const ports = { broker: await freePort(), litellm: await freePort() };
    const base = e2eStackConfig(path.join(runDir, "workspaces"), ports, writeExtraCaFile(runDir));
    const run = await runProgram({
      stack,
      config: {
        ...base,
        agents: { aider: 1, "claude-code": 1 },
        limits: { aider: { rpm: AIDER_RPM }, "openai-codex": { tpm: CODEX_TPM }, opencode: { parallelRequests: OPENCODE_PARALLEL } },
        // Every request should reach the stub: no cached answers.
        litellm: { ...(base.litellm as object), cache: false },
      },
    });
    const litellm = coreContainer(run, "litellm");
    masterKey = envOf(litellm).LITELLM_MASTER_KEY;
    const network = run.resources.filter((r) => r.type === "docker:index/network:Network");
    await fleet.apply([...network, litellm], 150_000);
    stub = await StubModelServer.start(docker, stubName, `llpm-${stack}`);
    gateway = `http://127.0.0.1:${ports.litellm}`;
  });

  after(async () => {
    await StubModelServer.remove(docker, stubName);
    await fleet.teardown().finally(() => sweepStack(docker, stack));
    rmSync(runDir, { recursive: true, force: true });
  });

  const chat = (key: string, say: string) =>
    fetch(`${gateway}/v1/chat/completions`, {
      method: "POST",
      signal: AbortSignal.timeout(30_000),
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: "gpt-5", messages: [{ role: "user", content: `SAY ${say}` }] }),
    });

  it("answers an agent's own key on the OpenAI and Anthropic model routes", async () => {
    const aider = await chat(gatewayKey(secret, "aider-1"), "aider-key");
    expect(aider.status, await aider.clone().text()).to.equal(200);
    expect(await aider.text()).to.contain("STUB-ANSWER: aider-key");
    const claude = await fetch(`${gateway}/v1/messages`, {
      method: "POST",
      signal: AbortSignal.timeout(30_000),
      headers: { "content-type": "application/json", "x-api-key": gatewayKey(secret, "claude-code-1"), "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "SAY claude-key" }] }),
    });
    const text = await claude.text();
    expect(claude.status, text).to.equal(200);
    expect(text).to.contain("STUB-ANSWER: claude-key");
  });

  it("takes the key from x-litellm-api-key when the CLI's own credential holds Authorization (subscription mode)", async () => {
    const response = await fetch(`${gateway}/v1/chat/completions`, {
      method: "POST",
      signal: AbortSignal.timeout(30_000),
      headers: {
        "content-type": "application/json",
        authorization: "Bearer sk-ant-oat01-a-subscription-token",
        [GATEWAY_KEY_HEADER]: `Bearer ${gatewayKey(secret, "claude-code-1")}`,
      },
      body: JSON.stringify({ model: "gpt-5", messages: [{ role: "user", content: "SAY header-key" }] }),
    });
    const text = await response.text();
    expect(response.status, text).to.equal(200);
    expect(text).to.contain("STUB-ANSWER: header-key");
  });

  it("answers 401 to a made-up key, a forged MAC and another secret's key", async () => {
    const real = gatewayKey(secret, "claude-code-2");
    const forged = `${real.slice(0, -4)}0000`;
    for (const key of ["sk-made-up", forged, gatewayKey("another-secret", "aider-1"), "sk-llpm-aider-1-", ""]) {
      const response = await chat(key, "refused");
      expect(response.status, `${key}: ${await response.text()}`).to.equal(401);
    }
  });

  it("answers 403 to an agent key on admin routes, which the master key may use", async () => {
    const key = gatewayKey(secret, "claude-code-1");
    for (const route of ADMIN_ROUTES) {
      const response = await fetch(`${gateway}${route}`, {
        method: route.endsWith("list") || route.endsWith("logs") ? "GET" : "POST",
        signal: AbortSignal.timeout(30_000),
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: route.endsWith("list") || route.endsWith("logs") ? undefined : JSON.stringify({}),
      });
      expect(response.status, `${route}: ${await response.text()}`).to.equal(403);
    }
    // Without a database /key/generate cannot succeed for anyone: what matters is that the hook let
    // the master key through (any answer but 401/403).
    const admin = await fetch(`${gateway}/key/generate`, {
      method: "POST",
      signal: AbortSignal.timeout(30_000),
      headers: { "content-type": "application/json", authorization: `Bearer ${masterKey}` },
      body: JSON.stringify({}),
    });
    expect([401, 403], await admin.text()).to.not.include(admin.status);
    const model = await chat(masterKey, "master-key");
    expect(model.status).to.equal(200);
  });

  const metrics = (key: string | undefined) =>
    fetch(`${gateway}/metrics`, { signal: AbortSignal.timeout(30_000), headers: key === undefined ? {} : { authorization: `Bearer ${key}` } });

  it("counts requests, tokens and spend per agent key on /metrics, which only the usage reader's key may read", async () => {
    const before = usageByAgent(await (await metrics(usageReaderKey(secret))).text()).get("aider-1");
    const answered = await chat(gatewayKey(secret, "aider-1"), "counted");
    expect(answered.status).to.equal(200);
    const { usage } = (await answered.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    const cost = Number(answered.headers.get("x-litellm-response-cost"));
    // LiteLLM's callbacks run after the answer is sent.
    let after: ReturnType<typeof usageByAgent> | undefined;
    await waitFor("LiteLLM to count aider-1's call", async () => {
      const response = await metrics(usageReaderKey(secret));
      expect(response.status, "the usage reader on /metrics").to.equal(200);
      after = usageByAgent(await response.text());
      return (after.get("aider-1")?.requests ?? 0) > (before?.requests ?? 0);
    }, 15_000);
    const aider = after!.get("aider-1")!;
    expect(aider.requests - (before?.requests ?? 0)).to.equal(1);
    expect(aider.inputTokens - (before?.inputTokens ?? 0)).to.equal(usage.prompt_tokens);
    expect(aider.outputTokens - (before?.outputTokens ?? 0)).to.equal(usage.completion_tokens);
    expect(cost, "x-litellm-response-cost").to.be.greaterThan(0);
    expect(aider.costUsd - (before?.costUsd ?? 0)).to.be.closeTo(cost, 1e-9);
    expect([...after!.keys()], "only agents are named, never the reader or the master key").to.include.members(["aider-1", "claude-code-1"]);
    expect([...after!.keys()].every((id) => /^(aider|claude-code)-\d+$/.test(id)), JSON.stringify([...after!.keys()])).to.equal(true);

    expect((await metrics(undefined)).status, "/metrics without a key").to.equal(401);
    expect((await metrics(gatewayKey(secret, "aider-1"))).status, "/metrics with an agent key").to.not.equal(200);
    expect((await metrics(gatewayKey("another-secret", "usage-reader"))).status, "a forged reader key").to.not.equal(200);
    const readerOnModel = await chat(usageReaderKey(secret), "reader-on-a-model-route");
    expect(readerOnModel.status, await readerOnModel.text()).to.equal(403);
    const readerOnAdmin = await fetch(`${gateway}/key/list`, { signal: AbortSignal.timeout(30_000), headers: { authorization: `Bearer ${usageReaderKey(secret)}` } });
    expect(readerOnAdmin.status).to.equal(403);
  });

  it(`answers 429 once an agent went beyond its type's rpm (${AIDER_RPM}), other agents unaffected`, async () => {
    const key = gatewayKey(secret, "aider-1");
    const statuses: number[] = [];
    for (let i = 0; i < AIDER_RPM + 2; i++) statuses.push((await chat(key, `rpm-${i}`)).status);
    expect(statuses).to.include(429);
    expect(statuses.filter((s) => s === 200).length).to.be.at.most(AIDER_RPM);
    const other = await chat(gatewayKey(secret, "claude-code-1"), "other-agent");
    expect(other.status).to.equal(200);
  });

  it(`answers 429 to an agent's request beyond its type's tokens per minute (${CODEX_TPM}), other agents unaffected`, async () => {
    const key = gatewayKey(secret, "openai-codex-1");
    const small = await chat(key, "tpm-small");
    expect(small.status, await small.clone().text()).to.equal(200);
    // The stub counts about 4 characters a token; LiteLLM counts a request's tokens before it
    // forwards it, so this one alone is past the minute's tokens and never reaches the stub.
    const large = `tpm-large ${"padding ".repeat(CODEX_TPM)}`;
    const refused = await chat(key, large);
    expect(refused.status).to.equal(429);
    expect(await refused.text()).to.contain("Limit type: tokens");
    expect((await stub.requests()).some((r) => JSON.stringify(r.body).includes("tpm-large"))).to.equal(false);
    expect((await chat(gatewayKey(secret, "claude-code-1"), `other-agent ${large}`)).status).to.equal(200);
  });

  it(`answers 429 to a request beyond its type's parallel requests (${OPENCODE_PARALLEL}) while one is in flight, and serves it once that ended`, async () => {
    const key = gatewayKey(secret, "opencode-1");
    const held = `parallel-${stack}`;
    const inFlight = chat(key, `held HOLD ${held}`);
    try {
      await waitFor("the held call to reach the stub", async () => (await stub.requests()).some((r) => JSON.stringify(r.body).includes(`HOLD ${held}`)), 30_000);
      const second = await chat(key, "parallel-second");
      expect(second.status, await second.text()).to.equal(429);
      expect((await chat(gatewayKey(secret, "claude-code-1"), "other-agent-parallel")).status).to.equal(200);
    } finally {
      await stub.release(held);
    }
    expect((await inFlight).status).to.equal(200);
    expect((await chat(key, "parallel-after")).status).to.equal(200);
  });
});
