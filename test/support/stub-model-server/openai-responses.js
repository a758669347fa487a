"use strict";
// OpenAI Responses API: POST /v1/responses (streaming event sequence as Codex reads it, and not).
const { decide } = require("./answer-policy");
const { startStream, sendEvent } = require("./sse");
const { newId, roughTokenCount } = require("./ids");

const TOOL_OUTPUT_TYPES = new Set(["function_call_output", "custom_tool_call_output", "local_shell_call_output"]);

function textOf(content) {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.filter((p) => p && typeof p.text === "string").map((p) => p.text).join("\n");
}

function conversation(body) {
  const items = typeof body.input === "string" ? [{ type: "message", role: "user", content: body.input }] : body.input || [];
  const turns = items
    .map((item) => {
      if (TOOL_OUTPUT_TYPES.has(item.type)) return { kind: "tool_result" };
      if ((item.type === "message" || !item.type) && item.role === "user") return { kind: "user", text: textOf(item.content) };
      return null;
    })
    .filter(Boolean);
  return {
    systemText: body.instructions || "",
    turns,
    tools: (body.tools || []).map((t) => ({ name: t.name, schema: t.parameters, freeform: t.type === "custom" })),
  };
}

function outputItem(answer) {
  const call = answer.toolCall;
  if (!call) {
    return { id: newId("msg"), type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: answer.text, annotations: [] }] };
  }
  if (call.kind === "freeform") {
    return { id: newId("ctc"), type: "custom_tool_call", status: "completed", call_id: newId("call"), name: call.name, input: call.input };
  }
  return { id: newId("fc"), type: "function_call", status: "completed", call_id: newId("call"), name: call.name, arguments: JSON.stringify(call.args) };
}

// The events between output_item.added and output_item.done that stream the item's payload.
function payloadEvents(item) {
  const at = { item_id: item.id, output_index: 0 };
  if (item.type === "message") {
    const part = item.content[0];
    return [
      ["response.content_part.added", { ...at, content_index: 0, part: { ...part, text: "" } }],
      ["response.output_text.delta", { ...at, content_index: 0, delta: part.text }],
      ["response.output_text.done", { ...at, content_index: 0, text: part.text }],
      ["response.content_part.done", { ...at, content_index: 0, part }],
    ];
  }
  if (item.type === "custom_tool_call") {
    return [
      ["response.custom_tool_call_input.delta", { ...at, delta: item.input }],
      ["response.custom_tool_call_input.done", { ...at, input: item.input }],
    ];
  }
  return [
    ["response.function_call_arguments.delta", { ...at, delta: item.arguments }],
    ["response.function_call_arguments.done", { ...at, arguments: item.arguments }],
  ];
}

function emptyPayload(item) {
  if (item.type === "message") return { ...item, status: "in_progress", content: [] };
  if (item.type === "custom_tool_call") return { ...item, status: "in_progress", input: "" };
  return { ...item, status: "in_progress", arguments: "" };
}

async function handleResponses(body, res, holds) {
  const answer = decide(conversation(body));
  if (answer.stall) return;
  await holds.until(answer.hold);
  const item = outputItem(answer);
  const inputTokens = roughTokenCount(body.input);
  const outputTokens = roughTokenCount(item);
  const base = { id: newId("resp"), object: "response", created_at: Math.floor(Date.now() / 1000), model: body.model, instructions: body.instructions || null, tools: body.tools || [] };
  const completed = {
    ...base,
    status: "completed",
    output: [item],
    usage: { input_tokens: inputTokens, input_tokens_details: { cached_tokens: 0 }, output_tokens: outputTokens, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: inputTokens + outputTokens },
  };
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(completed));
    return;
  }
  startStream(res);
  let sequence = 0;
  const emit = (type, data) => sendEvent(res, type, { type, sequence_number: sequence++, ...data });
  const inProgress = { ...base, status: "in_progress", output: [], usage: null };
  emit("response.created", { response: inProgress });
  emit("response.in_progress", { response: inProgress });
  emit("response.output_item.added", { output_index: 0, item: emptyPayload(item) });
  for (const [type, data] of payloadEvents(item)) emit(type, data);
  emit("response.output_item.done", { output_index: 0, item });
  emit("response.completed", { response: completed });
  res.end();
}

module.exports = { handleResponses };
