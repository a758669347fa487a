"use strict";
// Decides what the stub says, from a provider-neutral view of the conversation, so the three
// wire formats (Anthropic messages, OpenAI responses, OpenAI chat) answer the same way.
//
// Prompt conventions (documented in README.md):
//   SAY <word>                 -> the answer text carries "STUB-ANSWER: <word>"
//   WRITE_FILE <path> <text>   -> first turn: a call of the CLI's own file-writing tool;
//                                 after the tool result: the final answer text
//   STALL                      -> never answers (for timeout and cancel tests)
//   HOLD <key>                 -> answers as above once the test releases <key> (holds.js)

const DEFAULT_WORD = "hello";
const MARKER = "STUB-ANSWER:";

function parsePrompt(text) {
  const say = /\bSAY\s+(\S+)/.exec(text);
  const write = /\bWRITE_FILE\s+(\S+)\s+(\S+)/.exec(text);
  const hold = /\bHOLD\s+(\S+)/.exec(text);
  return {
    stall: /\bSTALL\b/.test(text),
    hold: hold ? hold[1] : null,
    word: say ? say[1] : DEFAULT_WORD,
    writeFile: write ? { path: write[1], content: write[2] } : null,
  };
}

function answerText(word) {
  return `${MARKER} ${word}`;
}

// Picks, from the tools the CLI declared, the one it would use to write a file, and maps our
// (path, content) onto that tool's own parameter names.
function fileWriteCall(tools, file) {
  const writer = tools.find((t) => /^write$/i.test(t.name) && t.schema && t.schema.properties);
  if (writer) {
    const keys = Object.keys(writer.schema.properties);
    const pathKey = keys.find((k) => /path/i.test(k)) || "file_path";
    const contentKey = keys.find((k) => /content/i.test(k)) || "content";
    return { kind: "json", name: writer.name, args: { [pathKey]: file.path, [contentKey]: `${file.content}\n` } };
  }
  const patcher = tools.find((t) => t.name === "apply_patch");
  if (patcher) {
    const patch = `*** Begin Patch\n*** Add File: ${file.path}\n+${file.content}\n*** End Patch\n`;
    // Codex declares apply_patch either as a freeform (custom) tool or as a JSON function.
    return patcher.freeform
      ? { kind: "freeform", name: patcher.name, input: patch }
      : { kind: "json", name: patcher.name, args: { input: patch } };
  }
  const shell = tools.find((t) => /^(shell|shell_command|exec_command|container\.exec|bash)$/i.test(t.name));
  if (shell) {
    const quote = (value) => `'${value.replace(/'/g, "'\\''")}'`;
    const script = `mkdir -p "$(dirname ${quote(file.path)})" && printf '%s\\n' ${quote(file.content)} > ${quote(file.path)}`;
    const props = Object.keys((shell.schema && shell.schema.properties) || {});
    const key = props.find((k) => /^(command|cmd)$/.test(k)) || "command";
    const isArray = shell.schema && shell.schema.properties && shell.schema.properties[key] && shell.schema.properties[key].type === "array";
    return { kind: "json", name: shell.name, args: { [key]: isArray ? ["bash", "-lc", script] : script } };
  }
  return null;
}

// Aider has no tools: it applies edit blocks written in the text, in the format its system
// prompt asked for (SEARCH/REPLACE for "diff", a fenced whole file otherwise).
function textEditBlock(systemText, file) {
  if (/SEARCH\/REPLACE/.test(systemText)) {
    return `${file.path}\n\`\`\`\n<<<<<<< SEARCH\n=======\n${file.content}\n>>>>>>> REPLACE\n\`\`\`\n`;
  }
  return `${file.path}\n\`\`\`\n${file.content}\n\`\`\`\n`;
}

const DIRECTIVE = /\b(SAY\s|WRITE_FILE\s|HOLD\s|STALL\b)/;

// The prompt is the latest user text carrying a directive (CLIs add user messages of their own,
// such as environment context), else the latest user text; a tool result after it means the
// tool call was made and the final answer is due.
function promptTurn(turns) {
  const userTurns = turns.map((turn, index) => ({ ...turn, index })).filter((t) => t.kind === "user" && t.text.trim());
  const withDirective = userTurns.filter((t) => DIRECTIVE.test(t.text));
  const chosen = (withDirective.length ? withDirective : userTurns).at(-1);
  if (!chosen) return { text: "", hasToolResult: false };
  return { text: chosen.text, hasToolResult: turns.slice(chosen.index + 1).some((t) => t.kind === "tool_result") };
}

/**
 * @param conv {{ systemText: string, turns: Array<{kind: "user", text: string} | {kind: "tool_result"}>, tools: Array }}
 * @returns {{ stall: boolean, hold: string|null, text: string, toolCall: object|null }}
 */
function decide(conv) {
  const turn = promptTurn(conv.turns);
  const prompt = parsePrompt(turn.text);
  const hold = prompt.hold;
  if (prompt.stall) return { stall: true, hold, text: "", toolCall: null };
  const text = answerText(prompt.word);
  if (!prompt.writeFile || turn.hasToolResult) return { stall: false, hold, text, toolCall: null };
  const call = fileWriteCall(conv.tools, prompt.writeFile);
  if (call) return { stall: false, hold, text: "", toolCall: call };
  return { stall: false, hold, text: `${textEditBlock(conv.systemText, prompt.writeFile)}\n${text}`, toolCall: null };
}

module.exports = { decide, parsePrompt, MARKER };
