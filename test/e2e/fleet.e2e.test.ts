// The whole fleet on a real Docker engine (issue 5): the real program's resources for a fresh
// stack, materialised by the harness with local stand-ins for pulled images; real agent CLIs in
// their containers, a real LiteLLM routing to the stub model server, jobs through the broker.
// The phases run in order and share the fleet; teardown runs also when one fails.
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import Docker from "dockerode";
import { DockerFleet, sweepStack } from "./harness/dockerFleet";
import { LOCAL_STAND_INS } from "./harness/imageSubstitution";
import type { ResourceDiff } from "./harness/plan";
import { AGENT_UID } from "../images/support/image-builds";
import { PROJECT_ROOT, runProgram, type ProgramRun } from "../support/runProgram";
import { BrokerClient, type Agent, type Job } from "./support/brokerClient";
import { commandLines } from "./support/containerExec";
import { Dashboard } from "./support/dashboard";
import { e2eStackConfig, UPSTREAM_KEYS, writeExtraCaFile, type HostPorts } from "./support/fleetConfig";
import { freePort } from "./support/freePorts";
import { e2eStackName } from "./support/stackName";
import { waitFor } from "../support/waitFor";
import { buildStubImage, StubModelServer, type StubRequest } from "./support/stubModelServer";
import { sayPrompt, writeFilePrompt } from "../support/stubPrompts";
import { keyOf } from "../support/stubModelClient";

const artifactsDir = path.join(__dirname, "artifacts");
const DEV_COUNTS = { "claude-code": 1, "openai-codex": 1, aider: 1, opencode: 1 };
const TEAM_COUNTS = { "claude-code": 1, "openai-codex": 2, aider: 2, opencode: 1 };
const AGENT_TYPES = Object.keys(DEV_COUNTS);
// Healthchecks run every 30 s (the program's timing), and a loaded 2-core machine needs a few rounds.
const READY_TIMEOUT_MS = 5 * 60_000;
// A cold first build (agent CLIs from npm and PyPI, the broker's native module) takes minutes.
const COLD_BUILD_MS = 25 * 60_000;

const started = Date.now();
function phase(text: string): void {
  console.log(`    [e2e +${Math.round((Date.now() - started) / 1000)}s] ${text}`);
}

const allReady = (count: number) => (agents: Agent[]) => agents.length === count && agents.every((a) => a.state === "ready");

describe("e2e: the dev fleet on a real Docker engine", function () {
  this.timeout(READY_TIMEOUT_MS + 60_000);
  // Each phase builds on the fleet the previous ones left; after a failure the rest would only
  // report the same failure again, so they are skipped (shown as pending). Not mocha's bail: a
  // bailing suite is skipped whole, silently, when any earlier tier had a failure.
  let failedPhase: string | undefined;
  beforeEach(function () {
    if (failedPhase) this.skip();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") failedPhase ??= this.currentTest.title;
  });
  const docker = new Docker();
  const stack = e2eStackName();
  const runDir = mkdtempSync(path.join(tmpdir(), `llpm-${stack}-`));
  const workspaceRoot = path.join(runDir, "workspaces");
  const stubName = `llpm-${stack}-stub-model`;
  const fleet = new DockerFleet({
    docker,
    programDir: PROJECT_ROOT,
    substitutions: LOCAL_STAND_INS,
    imageCache: "llpm-e2e-cache",
    log: phase,
  });
  let ports: HostPorts;
  let extraCaFile: string;
  let dev: ProgramRun;
  let team: ProgramRun;
  let broker: BrokerClient;
  let stub: StubModelServer;
  const finishedJobs: Job[] = [];

  const program = (agents: Record<string, number>) => runProgram({ stack, config: { ...e2eStackConfig(workspaceRoot, ports, extraCaFile), agents } });
  const containerOf = (agentId: string) => `llpm-${stack}-${agentId}`;

  before(async () => {
    ports = { broker: await freePort(), litellm: await freePort() };
    extraCaFile = writeExtraCaFile(runDir);
    buildStubImage(PROJECT_ROOT);
    phase(`stack ${stack}, workspaces in ${workspaceRoot}, ports ${JSON.stringify(ports)}`);
  });

  after(async function () {
    this.timeout(180_000);
    await StubModelServer.remove(docker, stubName);
    await fleet.teardown().catch((error: Error) => console.error(error.message));
    const swept = await sweepStack(docker, stack);
    if (swept.length > 0) console.error(`swept after teardown: ${swept.join(", ")}`);
    rmSync(runDir, { recursive: true, force: true });
  });

  it("brings up the dev stack: every container healthy, the broker lists four ready agents", async function () {
    this.timeout(COLD_BUILD_MS + READY_TIMEOUT_MS);
    // Both recordings up front: image tags hash the build contexts, so both must see the same files.
    dev = await program(DEV_COUNTS);
    team = await program(TEAM_COUNTS);
    phase(`program recorded ${dev.resources.length} resources (team counts: ${team.resources.length})`);
    await fleet.apply(dev.resources, READY_TIMEOUT_MS);
    expect(await fleet.readBackDifferences(), "what the docker provider would read back differs from the inputs").to.deep.equal([]);
    phase("every container is ready");
    stub = await StubModelServer.start(docker, stubName, `llpm-${stack}`);
    broker = new BrokerClient(dev.outputs.brokerUrl, dev.outputs.brokerToken);
    expect(dev.outputs.brokerUrl).to.equal(`http://127.0.0.1:${ports.broker}`);
    await broker.waitUntilUp();
    const agents = await broker.waitForAgents("all four ready", allReady(4));
    expect(agents.map((a) => a.id).sort()).to.deep.equal(AGENT_TYPES.map((type) => `${type}-1`).sort());
    phase("broker lists four ready agents");
  });

  for (const agentType of AGENT_TYPES) {
    it(`runs a job on ${agentType}: the real CLI, through LiteLLM, answered by the stub`, async () => {
      const word = `answer-${agentType}-${stack}`;
      const job = await broker.waitForJob((await broker.submit(agentType, sayPrompt(word))).id);
      expect(job.state, job.reason ?? job.log).to.equal("completed");
      expect(job.agentId).to.equal(`${agentType}-1`);
      expect(job.result).to.contain(`STUB-ANSWER: ${word}`);
      const seen = (await stub.requests()).filter((r) => JSON.stringify(r.body).includes(word));
      expect(seen, "the stub saw the prompt").to.not.be.empty;
      for (const request of seen) expectCameThroughLiteLlm(request);
      finishedJobs.push(job);
      phase(`${agentType}: completed via ${[...new Set(seen.map((r) => r.path))].join(", ")}`);
    });
  }

  for (const agentType of AGENT_TYPES) {
    it(`writes a file through ${agentType}'s own tool: in that workspace only, owned by the agent user, in the job's timeline and diff`, async () => {
      const file = `e2e-${agentType}-${stack}.txt`;
      const content = `written-by-${agentType}-${stack}`;
      const job = await broker.waitForJob((await broker.submit(agentType, writeFilePrompt(file, content))).id);
      expect(job.state, job.reason ?? job.log).to.equal("completed");
      const written = path.join(workspaceRoot, `${agentType}-1`, file);
      expect(readFileSync(written, "utf8").trim()).to.equal(content);
      expect(statSync(written).uid).to.equal(AGENT_UID);
      for (const other of AGENT_TYPES.filter((t) => t !== agentType)) {
        expect(existsSync(path.join(workspaceRoot, `${other}-1`, file)), `${other}-1's workspace`).to.equal(false);
      }

      // The CLI's own record of the write, as the broker parsed it (Aider's from its plain text).
      const { entries } = await broker.timeline(job.id);
      const writes = entries.filter((e) => (e.kind === "file_write" || e.kind === "file_edit") && e.path === file);
      expect(writes, `a file_write/file_edit of ${file} in the timeline:\n${JSON.stringify(entries, null, 2)}`).to.not.be.empty;

      const diff = await broker.diff(job.id);
      const changed = diff.files.find((f) => f.path === file);
      expect(changed, `${file} in the diff's files: ${JSON.stringify(diff.files)}`).to.include({ status: "added", binary: false });
      expect(diff.patch).to.contain(`+++ b/${file}`).and.to.contain(`+${content}`);
      finishedJobs.push(job);
      phase(`${agentType}: wrote ${file}; timeline ${writes.map((w) => w.kind).join(", ")}; diff ${diff.files.length} file(s)`);
    });
  }

  it("shows LiteLLM's own count per agent key beside what each CLI reported: in /agents, /overview and /metrics", async () => {
    // The broker reads LiteLLM's /metrics with the usage reader's key (every 10 s, so a reading may
    // lag the last job). Each job made at least one model call through its agent's own key, and
    // LiteLLM sees every call a CLI makes, so it counts at least the input tokens the CLI reports
    // (Aider reports its figures rounded to 0.1k, so only the exact reporters are held to that).
    const countedAll = (a: Agent) =>
      a.usage.jobs >= 2 &&
      (a.gatewayUsage?.requests ?? 0) >= a.usage.jobs &&
      (a.type === "aider" || (a.gatewayUsage?.inputTokens ?? 0) >= a.usage.inputTokens);
    const agents = await broker.waitForAgents("show LiteLLM's count for all four", (list) => list.length === 4 && list.every(countedAll), 60_000);
    for (const agent of agents) {
      const gateway = agent.gatewayUsage!;
      phase(`${agent.id}: CLI ${JSON.stringify(agent.usage)}; LiteLLM ${JSON.stringify(gateway)}`);
      expect(gateway.inputTokens, `${agent.id} input tokens`).to.be.greaterThan(0);
      expect(gateway.outputTokens, `${agent.id} output tokens`).to.be.greaterThan(0);
      expect(gateway.costUsd, `${agent.id} spend`).to.be.greaterThan(0);
    }
    const overview = await broker.overview();
    expect(overview.gatewayUsage).to.deep.include({ state: "ok", error: null });
    for (const agent of agents) {
      expect(overview.usageByAgent.find((u) => u.agentId === agent.id)?.gateway, agent.id).to.have.property("requests").above(0);
    }
    const metrics = await broker.metrics();
    for (const agent of agents) {
      expect(metrics).to.match(new RegExp(`^llpm_broker_agent_gateway_cost_usd\\{agent="${agent.id}",type="${agent.type}"\\} [0-9.e-]+$`, "m"));
    }
  });

  it("cancels a long job: cancelled, and its process gone from the container", async () => {
    // A paused stub keeps the CLI waiting on its model call: a job that would not end by itself.
    await docker.getContainer(stubName).pause();
    try {
      const job = await broker.submit("openai-codex", sayPrompt(`never-answered-${stack}`));
      await broker.waitForJob(job.id, ["running"], 60_000);
      await waitFor("the job's CLI process to run", async () => (await jobProcesses("openai-codex-1")).length > 0, 60_000);
      await broker.cancel(job.id);
      const cancelled = await broker.waitForJob(job.id, ["cancelled", "failed", "completed", "timed_out"], 10_000);
      expect(cancelled.state).to.equal("cancelled");
      await waitFor("the job's processes to be gone", async () => (await jobProcesses("openai-codex-1")).length === 0, 10_000);
      finishedJobs.push(cancelled);
    } finally {
      await docker.getContainer(stubName).unpause();
    }
  });

  it("fails the job of an agent whose container is killed mid-job; the agent comes back ready", async () => {
    await docker.getContainer(stubName).pause();
    let job: Job;
    try {
      job = await broker.submit("aider", sayPrompt(`killed-mid-job-${stack}`));
      await broker.waitForJob(job.id, ["running"], 60_000);
      await docker.getContainer(containerOf("aider-1")).kill();
      job = await broker.waitForJob(job.id, ["failed", "cancelled", "completed", "timed_out"], 30_000);
    } finally {
      await docker.getContainer(stubName).unpause();
    }
    expect(job.state).to.equal("failed");
    expect(job.reason).to.match(/container|stopped|died|killed|exited/i);
    const down = await broker.waitForAgents("show aider-1 down", (agents) => ["stopped", "unhealthy"].includes(agentState(agents, "aider-1")), 30_000);
    phase(`aider-1 is ${agentState(down, "aider-1")} (${job.reason})`);
    await docker.getContainer(containerOf("aider-1")).start();
    await broker.waitForAgents("show aider-1 ready again", allReady(4));
    finishedJobs.push(job);
  });

  it("keeps every job across a broker container restart", async () => {
    const before = await Promise.all(finishedJobs.map((j) => broker.job(j.id)));
    await docker.getContainer(`llpm-${stack}-broker`).restart();
    await broker.waitUntilUp();
    const after = await Promise.all(finishedJobs.map((j) => broker.job(j.id)));
    expect(after.map(summary)).to.deep.equal(before.map(summary));
    await broker.waitForAgents("all four ready after the restart", allReady(4));
  });

  it("completes a job that runs across a broker container restart, with its full output and exit 0", async () => {
    // The paused stub holds the CLI on its model call while the broker container restarts.
    const word = `across-restart-${stack}`;
    await docker.getContainer(stubName).pause();
    let job: Job;
    try {
      job = await broker.submit("claude-code", sayPrompt(word));
      await broker.waitForJob(job.id, ["running"], 60_000);
      await waitFor("the job's CLI process to run", async () => (await jobProcesses("claude-code-1")).length > 0, 60_000);
      await docker.getContainer(`llpm-${stack}-broker`).restart();
      await broker.waitUntilUp();
    } finally {
      await docker.getContainer(stubName).unpause();
    }
    const done = await broker.waitForJob(job.id);
    expect(done.state, done.reason ?? done.log).to.equal("completed");
    expect(done.exitCode).to.equal(0);
    expect(done.result).to.contain(`STUB-ANSWER: ${word}`);
    expect(done.log).to.contain("re-attached at byte");
    phase("a job ran across a broker restart to completion");
    finishedJobs.push(done);
  });

  it("scales to the team counts by diff: only new containers, the old ones untouched, all found; a running job completes", async () => {
    const idsBefore = await containerIds();
    // A job held on openai-codex-1 by the paused stub runs through the scale-up.
    const word = `across-scaling-${stack}`;
    await docker.getContainer(stubName).pause();
    let diff: Awaited<ReturnType<typeof fleet.applyDiff>>;
    let running: Job;
    try {
      running = await broker.submit("openai-codex", sayPrompt(word));
      await broker.waitForJob(running.id, ["running"], 60_000);
      diff = await fleet.applyDiff(dev.resources, team.resources, READY_TIMEOUT_MS);
    } finally {
      await docker.getContainer(stubName).unpause();
    }
    const across = await broker.waitForJob(running.id);
    expect(across.state, across.reason ?? across.log).to.equal("completed");
    expect(across.agentId).to.equal("openai-codex-1");
    expect(across.result).to.contain(`STUB-ANSWER: ${word}`);
    expect(await fleet.readBackDifferences(), "read-back after scaling up").to.deep.equal([]);
    expectOnlyInstances(diff, ["openai-codex-2", "aider-2"], "added");
    const idsAfter = await containerIds();
    for (const [name, id] of idsBefore) expect(idsAfter.get(name), `${name} was not recreated`).to.equal(id);
    expect([...idsAfter.keys()].filter((name) => !idsBefore.has(name)).sort()).to.deep.equal(
      [containerOf("aider-2"), containerOf("openai-codex-2")],
    );
    await broker.waitForAgents("all six ready", allReady(6));
    phase("scaled up to the team counts");

    const down = await fleet.applyDiff(team.resources, dev.resources, READY_TIMEOUT_MS);
    expect(await fleet.readBackDifferences(), "read-back after scaling down").to.deep.equal([]);
    expectOnlyInstances(down, ["openai-codex-2", "aider-2"], "removed");
    const idsDown = await containerIds();
    expect(new Map(idsDown)).to.deep.equal(idsBefore);
    await broker.waitForAgents("back to the four dev agents", allReady(4));
    phase("scaled back down");
  });

  it("shows the agents and the finished jobs in the dashboard (headless Chromium)", async () => {
    mkdirSync(artifactsDir, { recursive: true });
    const dashboard = await Dashboard.open();
    try {
      const page = await dashboard.page();
      await page.goto(`${broker.baseUrl}/ui/agents`);
      await page.fill("#token", dev.outputs.brokerToken);
      await page.click("#token-form button[type=submit]");
      for (const id of ["claude-code-1", "openai-codex-1", "aider-1", "opencode-1"]) {
        await page.waitForSelector(`article.card[data-agent-id="${id}"]`, { timeout: 15_000 });
      }
      expect(await page.locator("article.card").count()).to.equal(4);
      await page.screenshot({ path: path.join(artifactsDir, "dashboard-agents.png"), fullPage: true });

      const claudeJobs = finishedJobs.filter((j) => j.agentId === "claude-code-1");
      await page.goto(`${broker.baseUrl}/ui/agents/claude-code-1`);
      for (const job of claudeJobs) {
        const row = page.locator(`#jobs tr:has(a[href="/ui/jobs/${job.id}"])`);
        await row.waitFor({ timeout: 15_000 });
        expect(await row.innerText()).to.contain("completed");
      }
      await page.screenshot({ path: path.join(artifactsDir, "dashboard-claude-code-1.png"), fullPage: true });
    } finally {
      await dashboard.close();
    }
  });

  it("tears down: no container, network or volume of the run is left", async () => {
    await StubModelServer.remove(docker, stubName);
    await fleet.teardown();
    const label = { label: [`llpm.stack=${stack}`] };
    const named = { name: [`llpm-${stack}`] };
    expect(await docker.listContainers({ all: true, filters: label })).to.be.empty;
    expect(await docker.listContainers({ all: true, filters: named })).to.be.empty;
    expect(await docker.listNetworks({ filters: named })).to.be.empty;
    expect((await docker.listVolumes({ filters: named })).Volumes ?? []).to.be.empty;
  });

  async function jobProcesses(agentId: string): Promise<string[]> {
    return (await commandLines(docker, containerOf(agentId))).filter((line) => line.includes("llpm-run-job"));
  }

  async function containerIds(): Promise<Map<string, string>> {
    const containers = await docker.listContainers({ all: true, filters: { label: [`llpm.stack=${stack}`] } });
    return new Map(containers.map((c) => [c.Names[0].replace(/^\//, ""), c.Id]));
  }
});

/**
 * LiteLLM, not the agent, called the stub: the call carries an upstream provider key, which only
 * LiteLLM holds (agents get LiteLLM's own key).
 */
function expectCameThroughLiteLlm(request: StubRequest): void {
  expect(Object.values(UPSTREAM_KEYS), `${request.path} key`).to.include(keyOf(request));
}

function agentState(agents: Agent[], id: string): string {
  return agents.find((a) => a.id === id)?.state ?? "absent";
}

function summary(job: Job) {
  return { id: job.id, state: job.state, result: job.result, reason: job.reason, exitCode: job.exitCode };
}

/** Scaling touches only the named instances' container and workspace (applyDiff refuses any change to the rest). */
function expectOnlyInstances(diff: ResourceDiff, instanceIds: string[], side: "added" | "removed"): void {
  const expected = instanceIds.flatMap((id) => [`agent-${id}`, `workspace-${id}`]).sort();
  expect(diff[side].map((r) => r.name).sort()).to.deep.equal(expected);
  expect(diff[side === "added" ? "removed" : "added"]).to.deep.equal([]);
}
