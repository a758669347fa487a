"use strict";
// Anthropic Messages API: POST /v1/messages (streaming and not) and /v1/messages/count_tokens.
const { decide } = require("./answer-policy");
const { startStream, sendEvent } = require("./sse");
const { newId, roughTokenCount } = require("./ids");

function textOf(content) {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.filter((b) => b && b.type === "text").map((b) => b.text).join("\n");
}

function conversation(body) {
  const turns = (body.messages || [])
    .filter((m) => m.role === "user")
    .map((m) =>
      Array.isArray(m.content) && m.content.some((b) => b.type === "tool_result")
        ? { kind: "tool_result" }
        : { kind: "user", text: textOf(m.content) },
    );
  return {
    systemText: Array.isArray(body.system) ? textOf(body.system) : body.system || "",
    turns,
    tools: (body.tools || []).map((t) => ({ name: t.name, schema: t.input_schema })),
  };
}

function contentBlocks(answer) {
  if (answer.toolCall) {
    return [{ type: "tool_use", id: newId("toolu"), name: answer.toolCall.name, input: answer.toolCall.args }];
  }
  return [{ type: "text", text: answer.text }];
}

async function handleMessages(body, res, holds) {
  const answer = decide(conversation(body));
  if (answer.stall) return;
  await holds.until(answer.hold);
  const blocks = contentBlocks(answer);
  const stopReason = answer.toolCall ? "tool_use" : "end_turn";
  const usage = { input_tokens: roughTokenCount(body.messages), output_tokens: roughTokenCount(blocks) };
  const message = { id: newId("msg"), type: "message", role: "assistant", model: body.model, content: blocks, stop_reason: stopReason, stop_sequence: null, usage };
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(message));
    return;
  }
  startStream(res);
  sendEvent(res, "message_start", { type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } });
  blocks.forEach((block, index) => {
    if (block.type === "text") {
      sendEvent(res, "content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
      sendEvent(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: block.text } });
    } else {
      sendEvent(res, "content_block_start", { type: "content_block_start", index, content_block: { ...block, input: {} } });
      sendEvent(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } });
    }
    sendEvent(res, "content_block_stop", { type: "content_block_stop", index });
  });
  sendEvent(res, "message_delta", { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  sendEvent(res, "message_stop", { type: "message_stop" });
  res.end();
}

function handleCountTokens(body, res) {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ input_tokens: roughTokenCount(body.messages) }));
}

module.exports = { handleMessages, handleCountTokens };
