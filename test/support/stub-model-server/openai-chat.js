"use strict";
// OpenAI Chat Completions: POST /v1/chat/completions (chunks ending with [DONE], and not).
const { decide } = require("./answer-policy");
const { startStream, sendEvent } = require("./sse");
const { newId, roughTokenCount } = require("./ids");

function textOf(content) {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.filter((p) => p && p.type === "text").map((p) => p.text).join("\n");
}

function conversation(body) {
  const messages = body.messages || [];
  const turns = messages
    .filter((m) => m.role === "user" || m.role === "tool")
    .map((m) => (m.role === "tool" ? { kind: "tool_result" } : { kind: "user", text: textOf(m.content) }));
  return {
    systemText: messages.filter((m) => m.role === "system").map((m) => textOf(m.content)).join("\n"),
    turns,
    tools: (body.tools || []).filter((t) => t.function).map((t) => ({ name: t.function.name, schema: t.function.parameters })),
  };
}

function assistantMessage(answer) {
  if (!answer.toolCall) return { role: "assistant", content: answer.text };
  const call = { id: newId("call"), type: "function", function: { name: answer.toolCall.name, arguments: JSON.stringify(answer.toolCall.args) } };
  return { role: "assistant", content: null, tool_calls: [call] };
}

async function handleChatCompletions(body, res, holds) {
  const answer = decide(conversation(body));
  if (answer.stall) return;
  await holds.until(answer.hold);
  const message = assistantMessage(answer);
  const finishReason = message.tool_calls ? "tool_calls" : "stop";
  const promptTokens = roughTokenCount(body.messages);
  const completionTokens = roughTokenCount(message);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const base = { id: newId("chatcmpl"), created: Math.floor(Date.now() / 1000), model: body.model };
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message, finish_reason: finishReason }], usage }));
    return;
  }
  startStream(res);
  const chunk = (delta, finish, extra = {}) =>
    sendEvent(res, null, { ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }], ...extra });
  chunk({ role: "assistant", content: "" }, null);
  if (message.tool_calls) {
    chunk({ tool_calls: message.tool_calls.map((c, index) => ({ index, ...c })) }, null);
  } else {
    chunk({ content: message.content }, null);
  }
  chunk({}, finishReason);
  if (body.stream_options && body.stream_options.include_usage) {
    sendEvent(res, null, { ...base, object: "chat.completion.chunk", choices: [], usage });
  }
  sendEvent(res, null, "[DONE]");
  res.end();
}

module.exports = { handleChatCompletions };
