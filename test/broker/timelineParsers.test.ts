/**
 * The live timeline parsers: every recorded real CLI output in test/fixtures/cli-output/ gives
 * its exact timeline and usage, whether the output arrives whole or a few bytes at a time (as a
 * live job's does). Shapes the recordings lack (commands, edits of existing files, failures) are
 * checked with lines built in the CLIs' own event formats, marked as such below.
 */
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { timelineParserFor } from "../../broker/src/parsers";
import { TOOL_OUTPUT_CAP_CHARS, type JobUsage, type TimelineEntry } from "../../broker/src/parsers/timeline";

const FIXTURES = path.join(__dirname, "../fixtures/cli-output");

function parseWhole(type: string, stdout: string): { entries: TimelineEntry[]; usage: JobUsage | null } {
  const parser = timelineParserFor(type);
  const entries = [...parser.push(stdout), ...parser.end()];
  return { entries, usage: parser.usage() };
}

/** Feeds the output in small pieces that cut lines (and JSON) anywhere. */
function parseInPieces(type: string, stdout: string, size: number): { entries: TimelineEntry[]; usage: JobUsage | null } {
  const parser = timelineParserFor(type);
  const entries: TimelineEntry[] = [];
  for (let i = 0; i < stdout.length; i += size) entries.push(...parser.push(stdout.slice(i, i + size)));
  entries.push(...parser.end());
  return { entries, usage: parser.usage() };
}

const EXPECTED: Record<string, { type: string; entries: TimelineEntry[]; usage: JobUsage | null }> = {
  "claude-code-answer.jsonl": {
    type: "claude-code",
    entries: [
      { kind: "text", text: "STUB-ANSWER: wmkmt9hgz" },
      { kind: "result", text: "STUB-ANSWER: wmkmt9hgz", isError: false },
    ],
    usage: { inputTokens: 2703, outputTokens: 13, costUsd: 0.008304 },
  },
  "claude-code-write-file.jsonl": {
    type: "claude-code",
    entries: [
      { kind: "file_write", path: "notes/out.txt", callId: "toolu_467a92db2dbc18a3c93b2d80" },
      {
        kind: "tool_result",
        callId: "toolu_467a92db2dbc18a3c93b2d80",
        output: "File created successfully at: notes/out.txt (file state is current in your context — no need to Read it back)",
        truncated: false,
        isError: false,
      },
      { kind: "text", text: "STUB-ANSWER: hello" },
      { kind: "result", text: "STUB-ANSWER: hello", isError: false },
    ],
    usage: { inputTokens: 5538, outputTokens: 46, costUsd: 0.017304 },
  },
  "openai-codex-answer.jsonl": {
    type: "openai-codex",
    entries: [{ kind: "text", text: "STUB-ANSWER: wwkklzy77" }],
    usage: { inputTokens: 6899, outputTokens: 45, costUsd: null },
  },
  "openai-codex-write-file.jsonl": {
    type: "openai-codex",
    // Codex names the file absolutely (/workspace/notes/out.txt): shown relative to the workspace.
    entries: [
      { kind: "file_write", path: "notes/out.txt", callId: "item_0" },
      { kind: "text", text: "STUB-ANSWER: hello" },
    ],
    usage: { inputTokens: 13928, outputTokens: 102, costUsd: null },
  },
  "opencode-answer.jsonl": {
    type: "opencode",
    entries: [{ kind: "text", text: "STUB-ANSWER: w0lgtgs9k" }],
    usage: { inputTokens: 3091, outputTokens: 14, costUsd: 0 },
  },
  "opencode-write-file.jsonl": {
    type: "opencode",
    entries: [
      { kind: "file_write", path: "notes/out.txt", callId: "call_6a876c680a656adad1348c92" },
      { kind: "tool_result", callId: "call_6a876c680a656adad1348c92", output: "Wrote file successfully.", truncated: false, isError: false },
      { kind: "text", text: "STUB-ANSWER: hello" },
    ],
    // Two steps: 3096 + 3174 in, 53 + 13 out.
    usage: { inputTokens: 6270, outputTokens: 66, costUsd: 0 },
  },
  "aider-answer.txt": {
    type: "aider",
    entries: [{ kind: "text", text: "STUB-ANSWER: w1daz71w5" }],
    usage: { inputTokens: 2700, outputTokens: 14, costUsd: null },
  },
  "aider-write-file.txt": {
    type: "aider",
    // The edit block (empty SEARCH: new content) is the write; "Applied edit to" is its result.
    entries: [
      { kind: "file_write", path: "notes/out.txt", callId: "aider-edit-1" },
      { kind: "text", text: "STUB-ANSWER: hello" },
      { kind: "tool_result", callId: "aider-edit-1", output: "Applied edit to notes/out.txt", truncated: false, isError: false },
    ],
    usage: { inputTokens: 2700, outputTokens: 33, costUsd: null },
  },
};

describe("timeline parsers", () => {
  describe("recorded real CLI outputs", () => {
    const recorded = readdirSync(FIXTURES).filter((f) => /\.(jsonl|txt)$/.test(f));

    it("has an expected timeline for every recording", () => {
      expect(recorded.sort()).to.deep.equal(Object.keys(EXPECTED).sort());
    });

    for (const file of recorded) {
      it(`${file}: the timeline and usage, whole and in pieces`, () => {
        const expected = EXPECTED[file];
        const stdout = readFileSync(path.join(FIXTURES, file), "utf8");
        const whole = parseWhole(expected.type, stdout);
        expect(whole.entries).to.deep.equal(expected.entries);
        expect(whole.usage).to.deep.equal(expected.usage);
        for (const size of [1, 7, 64]) expect(parseInPieces(expected.type, stdout, size), `pieces of ${size}`).to.deep.equal(whole);
      });
    }

    it("emits an entry as soon as its line is complete, not at the end", () => {
      const stdout = readFileSync(path.join(FIXTURES, "claude-code-write-file.jsonl"), "utf8");
      const lines = stdout.split("\n");
      const parser = timelineParserFor("claude-code");
      parser.push(`${lines[0]}\n`);
      expect(parser.push(`${lines[1]}\n`)).to.deep.equal([{ kind: "file_write", path: "notes/out.txt", callId: "toolu_467a92db2dbc18a3c93b2d80" }]);
    });
  });

  // Built in each CLI's event format (not recorded: the recordings have no command or failure).
  describe("shapes built in the CLIs' formats", () => {
    const jsonl = (...events: object[]) => events.map((e) => JSON.stringify(e)).join("\n") + "\n";

    it("Claude Code: Bash is a command, Edit an edit, other tools tool calls; errors and long output capped", () => {
      const long = "x".repeat(TOOL_OUTPUT_CAP_CHARS + 10);
      const out = jsonl(
        { type: "assistant", message: { content: [{ type: "thinking", thinking: "hmm" }, { type: "tool_use", id: "t1", name: "Bash", input: { command: "npm test -- --grep parser" } }] } },
        { type: "user", message: { content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: long }], is_error: true }] } },
        { type: "assistant", message: { content: [{ type: "tool_use", id: "t2", name: "Edit", input: { file_path: "/workspace/src/app.ts", old_string: "a", new_string: "b" } }] } },
        { type: "assistant", message: { content: [{ type: "tool_use", id: "t3", name: "Grep", input: { pattern: "TODO" } }] } },
        { type: "result", subtype: "error_max_turns", is_error: true },
      );
      expect(parseWhole("claude-code", out)).to.deep.equal({
        entries: [
          { kind: "command", command: "npm test -- --grep parser", callId: "t1" },
          { kind: "tool_result", callId: "t1", output: "x".repeat(TOOL_OUTPUT_CAP_CHARS), truncated: true, isError: true },
          { kind: "file_edit", path: "src/app.ts", callId: "t2" },
          { kind: "tool_call", tool: "Grep", input: '{"pattern":"TODO"}', callId: "t3" },
          { kind: "result", text: null, isError: true },
        ],
        usage: null,
      });
    });

    it("Codex: a command when it starts, its output and exit status when it completes; failures are errors", () => {
      const cmd = { id: "item_1", type: "command_execution", command: "bash -lc 'ls -la'", status: "in_progress" };
      const out = jsonl(
        { type: "item.started", item: cmd },
        { type: "item.completed", item: { ...cmd, aggregated_output: "ls: cannot access", exit_code: 2, status: "failed" } },
        { type: "item.completed", item: { id: "item_2", type: "file_change", changes: [{ path: "/workspace/a.txt", kind: "update" }, { path: "/workspace/b.txt", kind: "delete" }], status: "completed" } },
        { type: "turn.failed", error: { message: "stream disconnected" } },
      );
      expect(parseWhole("openai-codex", out).entries).to.deep.equal([
        { kind: "command", command: "bash -lc 'ls -la'", callId: "item_1" },
        { kind: "tool_result", callId: "item_1", output: "ls: cannot access", truncated: false, isError: true },
        { kind: "file_edit", path: "a.txt", callId: "item_2" },
        { kind: "tool_call", tool: "delete_file", input: '{"path":"b.txt"}', callId: "item_2" },
        { kind: "error", message: "stream disconnected" },
      ]);
    });

    it("OpenCode: bash is a command with its output; an error event is an error", () => {
      const out = jsonl(
        { type: "tool_use", part: { type: "tool", tool: "bash", callID: "c1", state: { status: "completed", input: { command: "git status" }, output: "On branch main" } } },
        { type: "tool_use", part: { type: "tool", tool: "edit", callID: "c2", state: { status: "error", input: { filePath: "/workspace/x.ts" }, error: "oldString not found" } } },
        { type: "error", error: { name: "APIError", data: { message: "rate limited" } } },
      );
      expect(parseWhole("opencode", out).entries).to.deep.equal([
        { kind: "command", command: "git status", callId: "c1" },
        { kind: "tool_result", callId: "c1", output: "On branch main", truncated: false, isError: false },
        { kind: "file_edit", path: "x.ts", callId: "c2" },
        { kind: "tool_result", callId: "c2", output: "oldString not found", truncated: false, isError: true },
        { kind: "error", message: "rate limited" },
      ]);
    });

    it("Aider: a block with a SEARCH part is an edit; a change without a block is an edit of its own; cost is the session's", () => {
      const out = [
        "Aider v0.86.2",
        "Model: openai/gpt-4o with diff edit format",
        "",
        "I will rename the function.",
        "",
        "src/app.py",
        "```python",
        "<<<<<<< SEARCH",
        "def old():",
        "=======",
        "def new():",
        ">>>>>>> REPLACE",
        "```",
        "",
        "Tokens: 1.2k sent, 120 received. Cost: $0.0040 message, $0.0123 session.",
        "Applied edit to src/app.py",
        "Applied edit to README.md",
        "",
      ].join("\n");
      expect(parseWhole("aider", out)).to.deep.equal({
        entries: [
          { kind: "text", text: "I will rename the function." },
          { kind: "file_edit", path: "src/app.py", callId: "aider-edit-1" },
          { kind: "tool_result", callId: "aider-edit-1", output: "Applied edit to src/app.py", truncated: false, isError: false },
          { kind: "file_edit", path: "README.md", callId: null },
        ],
        usage: { inputTokens: 1200, outputTokens: 120, costUsd: 0.0123 },
      });
    });

    it("Aider stopping before its banner: what it printed is the text", () => {
      expect(parseWhole("aider", "Error: no API key\n").entries).to.deep.equal([{ kind: "text", text: "Error: no API key" }]);
    });

    it("a CLI without a parser: its paragraphs are text", () => {
      expect(parseWhole("gemini-cli", "one\ntwo\n\nthree").entries).to.deep.equal([
        { kind: "text", text: "one\ntwo" },
        { kind: "text", text: "three" },
      ]);
    });
  });
});
