import { expect } from "chai";
import { createHmac } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type Docker from "dockerode";
import { agentToken } from "../../contract/agentToken";
import { constantTimeEqual } from "../../broker/src/auth/constantTimeEqual";
import { deriveAgentState, externalAgentState } from "../../broker/src/agents/agentState";
import { ConfigError, loadConfig } from "../../broker/src/config";
import { fitChunk, truncationMarker } from "../../broker/src/jobs/logCap";
import { decideOutcome, type ExitFacts } from "../../broker/src/jobs/outcome";
import { parserFor } from "../../broker/src/parsers";
import { workloadFromContainer } from "../../broker/src/runtime/docker/workloadFromContainer";

describe("broker units", () => {
  describe("agentToken", () => {
    it("is hex HMAC-SHA256 of 'agent:<id>' keyed by the broker token", () => {
      const expected = createHmac("sha256", "k").update("agent:claude-code-1").digest("hex");
      expect(agentToken("k", "claude-code-1")).to.equal(expected).and.match(/^[0-9a-f]{64}$/);
      expect(agentToken("k", "claude-code-2")).not.to.equal(expected);
    });
    it("constantTimeEqual compares any lengths", () => {
      expect(constantTimeEqual("abc", "abc")).to.equal(true);
      expect(constantTimeEqual("abc", "abcd")).to.equal(false);
      expect(constantTimeEqual("", "x")).to.equal(false);
    });
  });

  describe("config", () => {
    const base = { BROKER_TOKEN: "0123456789abcdef", LLPM_STACK: "dev" };
    it("applies defaults", () => {
      const c = loadConfig(base);
      expect(c).to.include({ port: 3010, host: "127.0.0.1", maxJobsPerAgent: 1, stack: "dev" });
    });
    it("refuses to start without a token, naming the variable", () => {
      expect(() => loadConfig({ LLPM_STACK: "dev" })).to.throw(ConfigError, /BROKER_TOKEN is required/);
      expect(() => loadConfig({ ...base, BROKER_TOKEN: "short" })).to.throw(ConfigError, /BROKER_TOKEN must be at least 16/);
      expect(() => loadConfig({ BROKER_TOKEN: base.BROKER_TOKEN })).to.throw(ConfigError, /LLPM_STACK is required/);
      expect(() => loadConfig({ ...base, BROKER_PORT: "http" })).to.throw(ConfigError, /BROKER_PORT/);
    });
  });

  describe("decideOutcome", () => {
    const facts = (f: Partial<ExitFacts>): ExitFacts => ({
      exitCode: 0,
      endNotSeen: null,
      cancelRequested: false,
      brokerDeadlinePassed: false,
      containerStopped: null,
      cliReportedError: false,
      ...f,
    });
    it("maps exit codes", () => {
      expect(decideOutcome(facts({})).state).to.equal("completed");
      expect(decideOutcome(facts({ exitCode: 124 })).state).to.equal("timed_out");
      expect(decideOutcome(facts({ exitCode: 3 }))).to.deep.equal({ state: "failed", exitCode: 3, reason: "llpm-run-job exited with code 3" });
      expect(decideOutcome(facts({ exitCode: null })).state).to.equal("failed");
      expect(decideOutcome(facts({ exitCode: null, endNotSeen: "no job j in this agent" }))).to.deep.equal({
        state: "failed",
        exitCode: null,
        reason: "no job j in this agent",
      });
      expect(decideOutcome(facts({ cliReportedError: true })).state).to.equal("failed");
    });
    it("lets cancellation win and names a dead container", () => {
      expect(decideOutcome(facts({ exitCode: 143, cancelRequested: true })).state).to.equal("cancelled");
      const dead = decideOutcome(facts({ exitCode: 137, containerStopped: "container exited with code 137" }));
      expect(dead.state).to.equal("failed");
      expect(dead.reason).to.contain("agent container stopped mid-job: container exited with code 137");
      expect(decideOutcome(facts({ exitCode: null, brokerDeadlinePassed: true })).state).to.equal("timed_out");
    });
  });

  describe("fitChunk", () => {
    it("keeps chunks under the cap and truncates once on a character boundary", () => {
      expect(fitChunk(0, 10, "hello")).to.deep.equal({ keep: "hello", truncate: false });
      expect(fitChunk(8, 10, "hello")).to.deep.equal({ keep: "he", truncate: true });
      // A log that filled the cap exactly still gets its marker when more output comes.
      expect(fitChunk(10, 10, "more")).to.deep.equal({ keep: "", truncate: true });
      expect(fitChunk(10, 10, "")).to.deep.equal({ keep: "", truncate: false });
      expect(fitChunk(0, 4, "abé€")).to.deep.equal({ keep: "abé", truncate: true });
      expect(truncationMarker(10)).to.contain("truncated at 10 bytes");
    });
  });

  describe("agent state", () => {
    it("derives from run state, health and jobs", () => {
      expect(deriveAgentState({ running: false, health: "healthy", busy: true })).to.equal("stopped");
      expect(deriveAgentState({ running: true, health: "starting", busy: false })).to.equal("starting");
      expect(deriveAgentState({ running: true, health: "unhealthy", busy: true })).to.equal("unhealthy");
      expect(deriveAgentState({ running: true, health: "healthy", busy: true })).to.equal("busy");
      expect(deriveAgentState({ running: true, health: "none", busy: false })).to.equal("ready");
      expect(externalAgentState(new Date(1000).toISOString(), 2000, 5000)).to.equal("ready");
      expect(externalAgentState(new Date(1000).toISOString(), 9000, 5000)).to.equal("stopped");
    });
  });

  describe("workloadFromContainer", () => {
    const info = (labels: Record<string, string>, state: Partial<Docker.ContainerInspectInfo["State"]> = {}) =>
      ({
        Id: "abc",
        Name: "/llpm-dev-aider-2",
        Config: { Labels: labels },
        State: { Running: true, Paused: false, Status: "running", ExitCode: 0, OOMKilled: false, Error: "", ...state },
        Mounts: [{ Destination: "/workspace", Source: "/home/u/ws/aider-2" }],
      }) as unknown as Docker.ContainerInspectInfo;
    const labels = { "llpm.agent.id": "aider-2", "llpm.agent.type": "aider", "llpm.agent.index": "2", "llpm.auth.mode": "api_key" };
    it("reads labels and the workspace mount, never the name", () => {
      const w = workloadFromContainer(info(labels, { Health: { Status: "healthy" } } as never))!;
      expect(w).to.include({ agentId: "aider-2", agentType: "aider", agentIndex: 2, health: "healthy", workspacePath: "/home/u/ws/aider-2" });
      expect(w.attachCommand).to.equal("docker exec -it llpm-dev-aider-2 bash");
    });
    it("explains a stopped container and rejects missing labels", () => {
      const w = workloadFromContainer(info(labels, { Running: false, Status: "exited", ExitCode: 137, OOMKilled: true }))!;
      expect(w.running).to.equal(false);
      expect(w.stoppedReason).to.equal("container exited with exit code 137 (OOM killed)");
      expect(workloadFromContainer(info({ ...labels, "llpm.agent.index": "x" }))).to.equal(null);
    });
  });

  describe("result parsers", () => {
    it("claude-code: the result line, and is_error", () => {
      const out = ['{"type":"system"}', "warning: noise", '{"type":"result","result":"done","is_error":false}'].join("\n");
      expect(parserFor("claude-code")(out)).to.deep.equal({ text: "done", isError: false });
      expect(parserFor("claude-code")('{"type":"result","result":"quota","is_error":true}').isError).to.equal(true);
      const partial = '{"type":"assistant","message":{"content":[{"type":"text","text":"partial"}]}}';
      expect(parserFor("claude-code")(partial).text).to.equal("partial");
    });
    it("openai-codex: last agent_message, failure on turn.failed", () => {
      const out = [
        '{"type":"thread.started","thread_id":"t"}',
        '{"type":"item.completed","item":{"id":"1","type":"reasoning","text":"think"}}',
        '{"type":"item.completed","item":{"id":"2","type":"agent_message","text":"answer"}}',
        '{"type":"turn.completed","usage":{}}',
      ].join("\n");
      expect(parserFor("openai-codex")(out)).to.deep.equal({ text: "answer", isError: false });
      const failed = parserFor("openai-codex")('{"type":"turn.failed","error":{"message":"rate limited"}}');
      expect(failed).to.deep.equal({ text: "rate limited", isError: true });
    });
    it("opencode: text parts of the last message", () => {
      const out = [
        '{"type":"step_start","part":{"type":"step-start","messageID":"m1"}}',
        '{"type":"text","part":{"type":"text","messageID":"m1","text":"Hello "}}',
        '{"type":"text","part":{"type":"text","messageID":"m1","text":"world"}}',
      ].join("\n");
      expect(parserFor("opencode")(out)).to.deep.equal({ text: "Hello world", isError: false });
    });
    it("aider: plain text without banner and cost lines or colour codes", () => {
      const out = "Added .aider* to .gitignore\nAider v0.86.1\nModel: openai/x with whole edit format\nGit repo: none\n\u001b[32mThe answer\u001b[0m\nTokens: 1k sent, 20 received.\n";
      expect(parserFor("aider")(out)).to.deep.equal({ text: "The answer", isError: false });
    });
    it("unknown types fall back to trimmed text", () => {
      expect(parserFor("gemini-cli")("  hi \n")).to.deep.equal({ text: "hi", isError: false });
    });

    // Recorded outputs of the real CLIs, written by the images work: every one must yield a result.
    const fixtures = path.join(__dirname, "../fixtures/cli-output");
    const recorded = existsSync(fixtures) ? readdirSync(fixtures).filter((f) => /\.(jsonl|txt)$/.test(f)) : [];
    for (const file of recorded) {
      it(`parses the recorded ${file}`, () => {
        const type = ["claude-code", "openai-codex", "opencode", "aider", "gemini-cli"].find((t) => file.startsWith(`${t}-`));
        expect(type, `${file} names no known agent type`).to.be.a("string");
        const parsed = parserFor(type!)(readFileSync(path.join(fixtures, file), "utf8"));
        expect(parsed.text, `no result text parsed from ${file}`).to.be.a("string").and.not.equal("");
        expect(parsed.isError).to.equal(/error|fail/.test(file));
        // The images tests record these against a stub model whose reply is "STUB-ANSWER: <word>".
        if (/-answer\./.test(file)) expect(parsed.text).to.match(/^STUB-ANSWER: \S+$/);
      });
    }
  });
});
