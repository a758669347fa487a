/**
 * The terminal client's pure parts: how it renders the contract's timeline, diff and usage shapes
 * (typed from cli/contract.ts), which request `run` makes, exit codes, SSE parsing and where it
 * finds the broker.
 */
import { expect } from "chai";
import { JOB_STATES, type FinalJobState } from "../../contract/jobStates";
import { agentRows } from "../../cli/commands/agents";
import { jobRequest } from "../../cli/commands/run";
import { resolveBrokerTarget } from "../../cli/brokerTarget";
import type { Agent, JobDiff, TimelineEntry } from "../../cli/contract";
import { CliError, EXIT, exitCodeOfState } from "../../cli/exitCodes";
import { COLOURS, paintFor, PLAIN } from "../../cli/render/colour";
import { renderDiff } from "../../cli/render/diff";
import { renderTimelineEntry } from "../../cli/render/timeline";
import { usagePhrase } from "../../cli/render/usage";
import { SseParser } from "../../cli/sse";

const ESC = "\u001b[";

describe("llpm client: timeline rendering", () => {
  const line = (e: TimelineEntry) => renderTimelineEntry(e, PLAIN);

  it("gives each kind of entry one line", () => {
    const entries: [TimelineEntry, string][] = [
      [{ kind: "text", text: "I will add\nthe file." }, "I will add the file."],
      [{ kind: "command", command: "npm test -- --grep x", callId: "c1" }, "$ npm test -- --grep x"],
      [{ kind: "file_write", path: "src/new.ts", callId: null }, "✎ src/new.ts"],
      [{ kind: "file_edit", path: "README.md", callId: "c2" }, "✎ README.md (edited)"],
      [{ kind: "tool_call", tool: "WebFetch", input: '{"url":"https://x"}', callId: "c3" }, '⚙ WebFetch {"url":"https://x"}'],
      [{ kind: "error", message: "rate limited" }, "✗ rate limited"],
      [{ kind: "result", text: "Done.", isError: false }, "✓ Done."],
      [{ kind: "result", text: null, isError: true }, "✗ result: (none)"],
    ];
    for (const [entry, expected] of entries) {
      expect(line(entry), entry.kind).to.equal(expected);
      expect(line(entry)).to.not.contain("\n");
    }
  });

  it("collapses a tool result to its first line and a count of the rest", () => {
    const output = "line 1\nline 2\nline 3\n";
    expect(line({ kind: "tool_result", callId: "c1", output, truncated: false, isError: false })).to.equal("  ↳ line 1 (+2 lines)");
    expect(line({ kind: "tool_result", callId: "c1", output: "x\ny", truncated: true, isError: false })).to.equal("  ↳ x (+1 line, truncated)");
    expect(line({ kind: "tool_result", callId: null, output: "", truncated: false, isError: false })).to.equal("  ↳ (no output)");
    expect(line({ kind: "tool_result", callId: null, output: "boom", truncated: false, isError: true })).to.equal("  ↳ error: boom");
  });

  it("caps long text and commands", () => {
    const rendered = line({ kind: "text", text: "a".repeat(1000) });
    expect(rendered.length).to.equal(300);
    expect(rendered.endsWith("…")).to.equal(true);
    expect(line({ kind: "command", command: "x".repeat(500), callId: null }).length).to.equal(2 + 160);
  });

  it("colours errors red and results green only when asked to", () => {
    expect(renderTimelineEntry({ kind: "error", message: "e" }, COLOURS)).to.equal(`${ESC}31m✗ e${ESC}39m`);
    expect(renderTimelineEntry({ kind: "result", text: "ok", isError: false }, COLOURS)).to.contain(`${ESC}32m`);
    expect(line({ kind: "error", message: "e" })).to.not.contain(ESC);
  });
});

describe("llpm client: diff rendering", () => {
  const diff: JobDiff = {
    jobId: "5f0c1d2e-0000-4000-8000-000000000001",
    before: "a".repeat(40),
    after: "b".repeat(40),
    files: [
      { path: "src/new.ts", status: "added", additions: 3, deletions: 0, binary: false },
      { path: "README.md", status: "modified", additions: 1, deletions: 1, binary: false },
      { path: "logo.png", status: "deleted", additions: null, deletions: null, binary: true },
    ],
    patch: "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-old\n+new\n",
    truncated: false,
  };

  it("lists the files with status and line counts, then the patch", () => {
    expect(renderDiff(diff, PLAIN).split("\n")).to.deep.equal([
      "3 files changed (aaaaaaaaaaaa..bbbbbbbbbbbb)",
      "A src/new.ts  +3 -0",
      "M README.md  +1 -1",
      "D logo.png  binary",
      "",
      "diff --git a/README.md b/README.md",
      "--- a/README.md",
      "+++ b/README.md",
      "@@ -1 +1 @@",
      "-old",
      "+new",
      "",
    ]);
  });

  it("colours + green and - red, file headers bold, hunks cyan", () => {
    const lines = renderDiff(diff, COLOURS).split("\n");
    expect(lines).to.include(`${ESC}31m-old${ESC}39m`);
    expect(lines).to.include(`${ESC}32m+new${ESC}39m`);
    expect(lines).to.include(`${ESC}1m+++ b/README.md${ESC}22m`);
    expect(lines).to.include(`${ESC}36m@@ -1 +1 @@${ESC}39m`);
  });

  it("says when the broker cut the patch, and when nothing changed", () => {
    expect(renderDiff({ ...diff, truncated: true }, PLAIN)).to.contain("(patch truncated by the broker");
    expect(renderDiff({ ...diff, files: [], patch: "" }, PLAIN)).to.equal(`job ${diff.jobId} changed no files\n`);
  });

  it("colours only a terminal, and never with NO_COLOR", () => {
    expect(paintFor({ isTTY: true }, {})).to.equal(COLOURS);
    expect(paintFor({ isTTY: false }, {})).to.equal(PLAIN);
    expect(paintFor({}, {})).to.equal(PLAIN);
    expect(paintFor({ isTTY: true }, { NO_COLOR: "1" })).to.equal(PLAIN);
  });
});

describe("llpm client: usage and agents", () => {
  it("shows the figures there are and leaves the rest out", () => {
    expect(usagePhrase({ inputTokens: 12345, outputTokens: 678, costUsd: 0.01234 })).to.equal("12,345 in / 678 out tokens, $0.0123");
    expect(usagePhrase({ inputTokens: 10, outputTokens: null, costUsd: null })).to.equal("10 in / ? out tokens");
    expect(usagePhrase({ inputTokens: null, outputTokens: null, costUsd: 2.5 })).to.equal("$2.50");
    expect(usagePhrase(null)).to.equal("");
    expect(usagePhrase(undefined)).to.equal("");
  });

  it("puts an agent's totals in its row when the broker sends them", () => {
    const agent = {
      id: "claude-code-1",
      type: "claude-code",
      index: 1,
      source: "docker",
      container: "llpm-dev-claude-code-1",
      state: "ready",
      authMode: "subscription",
      authenticated: false,
      currentJobIds: [],
      queuedJobs: 2,
      workspacePath: null,
      attachCommand: null,
      stoppedReason: null,
      lastHeartbeat: null,
    } satisfies Agent;
    const gatewayUsage = { requests: 4, inputTokens: 120, outputTokens: 25, costUsd: 0.00042 };
    expect(agentRows([{ ...agent, usage: { jobs: 3, inputTokens: 100, outputTokens: 20, costUsd: 0.5 }, gatewayUsage }])[0]).to.deep.equal([
      "claude-code-1",
      "claude-code",
      "ready",
      "subscription (not logged in)",
      "0 running, 2 queued",
      "3 jobs, 100 in / 20 out tokens, $0.5000",
      "4 requests, 120 in / 25 out tokens, $0.0004",
    ]);
    expect(agentRows([agent])[0]!.slice(-2)).to.deep.equal(["", ""]);
  });
});

describe("llpm client: run's request", () => {
  it("sends an agent id to the agent's queue and a type to the type's", () => {
    expect(jobRequest("aider-1", "hi", {})).to.deep.equal({ path: "/agents/aider-1/jobs", body: { prompt: "hi" } });
    expect(jobRequest("openai-codex", "hi", { timeout: 60, branch: "fix/x" })).to.deep.equal({
      path: "/jobs",
      body: { agentType: "openai-codex", prompt: "hi", timeoutSeconds: 60, branch: "fix/x" },
    });
  });
});

describe("llpm client: exit codes", () => {
  it("0 only for completed, a distinct code for every other final state and client failure", () => {
    const finals = JOB_STATES.filter((s): s is FinalJobState => s !== "queued" && s !== "running");
    const codes = finals.map(exitCodeOfState);
    expect(exitCodeOfState("completed")).to.equal(0);
    expect(new Set(Object.values(EXIT)).size).to.equal(Object.keys(EXIT).length);
    expect(new Set(codes).size).to.equal(finals.length);
  });
});

describe("llpm client: server-sent events", () => {
  it("parses events split anywhere across chunks, skipping comments", () => {
    const parser = new SseParser();
    const text = ': keepalive\n\nid: 1\nevent: log\ndata: {"stream":"stdout","data":"hi\\n"}\n\nid: 2\r\nevent: state\r\ndata: {"state":"completed"}\r\n\r\n';
    const got = [...text].flatMap((ch) => parser.push(ch));
    expect(got).to.deep.equal([
      { id: "1", event: "log", data: '{"stream":"stdout","data":"hi\\n"}' },
      { id: "2", event: "state", data: '{"state":"completed"}' },
    ]);
  });
});

describe("llpm client: finding the broker", () => {
  const noStack = async () => {
    throw new Error("stack outputs must not be read");
  };

  it("takes the environment when both variables are set", async () => {
    const t = await resolveBrokerTarget({}, { LLPM_BROKER_URL: "http://127.0.0.1:3010/", LLPM_BROKER_TOKEN: "t" }, noStack);
    expect(t).to.deep.equal({ url: "http://127.0.0.1:3010", token: "t", source: "the environment" });
  });

  it("reads the named stack's outputs, over the environment, and fills a missing variable from the selected stack", async () => {
    const asked: (string | undefined)[] = [];
    const outputs = async (stack: string | undefined) => {
      asked.push(stack);
      return { brokerUrl: "http://127.0.0.1:3011", brokerToken: "stack-token" };
    };
    const env = { LLPM_BROKER_URL: "http://127.0.0.1:3010", LLPM_BROKER_TOKEN: "env" };
    expect(await resolveBrokerTarget({ stack: "team" }, env, outputs)).to.include({ url: "http://127.0.0.1:3011", token: "stack-token" });
    expect(await resolveBrokerTarget({}, { LLPM_BROKER_URL: "http://h:1" }, outputs)).to.include({ url: "http://h:1", token: "stack-token" });
    expect(asked).to.deep.equal(["team", undefined]);
  });

  it("names the missing output and how to set the variables", async () => {
    const err = await resolveBrokerTarget({}, {}, async () => ({ brokerUrl: "http://x:1" })).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(CliError);
    expect((err as CliError).exitCode).to.equal(EXIT.noBrokerConfig);
    expect((err as CliError).message).to.contain("no brokerToken output").and.contain("LLPM_BROKER_URL");
  });

  it("refuses a URL that is not http(s)", async () => {
    const err = await resolveBrokerTarget({}, { LLPM_BROKER_URL: "127.0.0.1:3010", LLPM_BROKER_TOKEN: "t" }, noStack).catch((e: unknown) => e);
    expect((err as CliError).message).to.contain("'127.0.0.1:3010'").and.contain("http://127.0.0.1:3010");
  });
});
