// The four agent images, built from images/ and run as the program runs them, each sending real
// prompts through its real CLI to the stub model server standing in for LiteLLM.
import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { AGENT_TYPES, AGENT_UID, AgentType, REPO_ROOT, buildAgent, buildBase } from "./support/image-builds";
import { StubModelServer, startStubModelServer } from "./support/stub-model-server";
import { AgentContainer, startAgentContainer } from "./support/agent-container";
import { agentProfile, keyHeaderValue } from "./support/agent-environment";

const MODEL_ROUTE = /\/(messages|responses|chat\/completions)$/;
const FIXTURE_EXTENSION: Record<AgentType, string> = { "claude-code": "jsonl", "openai-codex": "jsonl", opencode: "jsonl", aider: "txt" };

// LLPM_RECORD_FIXTURES=1 refreshes test/fixtures/cli-output/ (the broker's parser tests read them).
function recordFixture(type: AgentType, name: string, stdout: string): void {
  if (process.env.LLPM_RECORD_FIXTURES !== "1") return;
  const dir = path.join(REPO_ROOT, "test/fixtures/cli-output");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${type}-${name}.${FIXTURE_EXTENSION[type]}`), stdout);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uniqueWord = () => `w${Math.random().toString(36).slice(2, 10)}`;

describe("agent images: real CLIs against the stub model server", function () {
  this.timeout(25 * 60_000);
  let stub: StubModelServer;

  before(async function () {
    await buildBase();
    for (const type of AGENT_TYPES) await buildAgent(type);
    stub = await startStubModelServer();
  });
  after(async () => stub?.stop());

  for (const type of AGENT_TYPES) {
    describe(type, function () {
      this.timeout(180_000);
      const profile = agentProfile(type);
      let agent: AgentContainer;

      before(async () => {
        await stub.clear();
        agent = await startAgentContainer(type, stub.network);
      });
      after(async () => agent?.remove());

      it("answers a prompt from stdin: exit 0, the stub's answer in the output, the agent's key at the gateway", async () => {
        const word = uniqueWord();
        const result = await agent.runJob(`Reply briefly. SAY ${word}`);
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.include(`STUB-ANSWER: ${word}`);
        recordFixture(type, "answer", result.stdout);

        const modelCalls = (await stub.requests()).filter((r) => MODEL_ROUTE.test(r.path));
        expect(modelCalls, "model requests seen by the stub").to.not.be.empty;
        for (const call of modelCalls) expect(keyHeaderValue(call.headers)).to.equal(profile.key);
        expect(modelCalls.map((c) => c.model)).to.include(profile.model);
      });

      it("writes a file with the CLI's own tool, prompt from --prompt-file: in the host workspace, owned by the agent uid", async () => {
        const content = uniqueWord();
        const written = await agent.exec(["tee", "/tmp/prompt.txt"], { input: `Create the file. WRITE_FILE notes/out.txt ${content}` });
        expect(written.code).to.equal(0);
        const result = await agent.runJob("", ["--prompt-file", "/tmp/prompt.txt"]);
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout).to.include("STUB-ANSWER:");
        recordFixture(type, "write-file", result.stdout);

        const file = path.join(agent.workspace, "notes/out.txt");
        expect(fs.readFileSync(file, "utf8")).to.equal(`${content}\n`);
        expect(fs.statSync(file).uid).to.equal(AGENT_UID);
      });

      it("appends LLPM_CLI_OPTIONS to the CLI's arguments (--help: the CLI prints its help, no model call)", async () => {
        const requestsBefore = (await stub.requests()).length;
        const result = await agent.exec(["env", 'LLPM_CLI_OPTIONS=["--help"]', "llpm-run-job", "--prompt-file", "/tmp/prompt.txt"]);
        expect(result.code, result.stderr).to.equal(0);
        expect(result.stdout + result.stderr).to.include("--help"); // every CLI lists its own help option
        expect((await stub.requests()).length).to.equal(requestsBefore);
      });

      it("stops a job at its timeout with exit 124", async () => {
        const started = Date.now();
        const result = await agent.runJob("STALL", ["--timeout", "3"]);
        expect(result.code, result.stderr).to.equal(124);
        expect(Date.now() - started).to.be.below(20_000);
      });

      it("llpm-cancel-job ends a running job and everything in its process group", async () => {
        const jobId = `cancel-${uniqueWord()}`;
        const running = agent.runJob("STALL", ["--job-id", jobId, "--timeout", "90"]);
        let pgid = "";
        for (let attempt = 0; attempt < 100 && !pgid; attempt++) {
          const pidFile = await agent.exec(["cat", `/tmp/llpm-jobs/${jobId}/pgid`]);
          if (pidFile.code === 0) pgid = pidFile.stdout.trim();
          else await sleep(100);
        }
        expect(pgid, "process group recorded").to.match(/^\d+$/);
        await sleep(1000); // let the CLI start its children
        const cancel = await agent.exec(["llpm-cancel-job", jobId]);
        expect(cancel.code, cancel.stderr).to.equal(0);
        const result = await running;
        expect(result.code).to.not.equal(0);
        const groups = await agent.exec(["ps", "-eo", "pgid="]);
        expect(groups.stdout.split(/\s+/)).to.not.include(pgid);
        expect((await agent.exec(["test", "-e", `/tmp/llpm-jobs/${jobId}/pgid`])).code).to.equal(1);
        expect((await agent.exec(["cat", `/tmp/llpm-jobs/${jobId}/exit-code`])).stdout).to.equal("143\n");
        expect((await agent.exec(["llpm-cancel-job", jobId])).code, "cancelling a finished job").to.equal(0);
      });

      it("sends nothing past the gateway: the proxy logger saw no request", async () => {
        expect(await stub.proxyRequests()).to.deep.equal([]);
      });

      it("passes llpm-healthcheck, and fails it once the CLI binary is removed", async () => {
        const healthy = await agent.exec(["llpm-healthcheck"]);
        expect(healthy.code, healthy.stdout).to.equal(0);
        const cli = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "images", type, "agent.json"), "utf8")).cli as string;
        const where = (await agent.exec(["bash", "-c", 'command -v "$1"', "_", cli])).stdout.trim();
        expect(where).to.not.equal("");
        const removed = await agent.exec(["rm", "-f", where], { user: "0" });
        expect(removed.code, removed.stderr).to.equal(0);
        const unhealthy = await agent.exec(["llpm-healthcheck"]);
        expect(unhealthy.code).to.equal(1);
        expect(unhealthy.stdout).to.include(`agent CLI '${cli}'`);
      });
    });
  }
});
