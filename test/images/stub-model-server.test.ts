// The stub model server's wire formats, checked on the host without Docker: the non-streaming
// and streaming shapes LiteLLM and the CLIs parse, the answer policy, and the proxy logger.
import { ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { expect } from "chai";
import { REPO_ROOT } from "./support/image-builds";

const PORT = 14000 + Math.floor(Math.random() * 1000);
const PROXY_PORT = PORT + 1000;
const base = `http://127.0.0.1:${PORT}`;

const post = (route: string, body: unknown) =>
  fetch(`${base}${route}`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-test" }, body: JSON.stringify(body) });

/** The `event:` names (or, for chat, the data payloads) of an SSE body, in order. */
function sseEvents(text: string): Array<{ event: string | null; data: string }> {
  return text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => ({
      event: /^event: (.+)$/m.exec(block)?.[1] ?? null,
      data: /^data: (.+)$/m.exec(block)?.[1] ?? "",
    }));
}

describe("stub model server", () => {
  let server: ChildProcess;

  before(async () => {
    server = spawn(process.execPath, [path.join(REPO_ROOT, "test/support/stub-model-server/server.js")], {
      env: { ...process.env, PORT: String(PORT), PROXY_PORT: String(PROXY_PORT), HOST: "127.0.0.1" },
      stdio: "ignore",
    });
    for (let attempt = 0; ; attempt++) {
      const up = await fetch(`${base}/health`).then((r) => r.ok).catch(() => false);
      if (up) break;
      if (attempt > 100) throw new Error("stub did not start");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  after(() => server?.kill());
  beforeEach(async () => {
    await fetch(`${base}/_stub/requests`, { method: "DELETE" });
  });

  it("Anthropic messages, non-streaming: the answer text, and the request recorded with its key", async () => {
    const reply = await (await post("/v1/messages", { model: "m1", max_tokens: 10, messages: [{ role: "user", content: "SAY kiwi" }] })).json();
    expect(reply).to.include({ type: "message", role: "assistant", stop_reason: "end_turn", model: "m1" });
    expect(reply.content).to.deep.equal([{ type: "text", text: "STUB-ANSWER: kiwi" }]);
    const [recorded] = await (await fetch(`${base}/_stub/requests`)).json();
    expect(recorded).to.include({ method: "POST", path: "/v1/messages", model: "m1" });
    expect(recorded.headers.authorization).to.equal("Bearer sk-test");
  });

  it("Anthropic messages, streaming: the event sequence, with a Write tool_use for WRITE_FILE", async () => {
    const tools = [{ name: "Write", input_schema: { type: "object", properties: { file_path: {}, content: {} } } }];
    const body = { model: "m", stream: true, tools, messages: [{ role: "user", content: [{ type: "text", text: "WRITE_FILE a/b.txt hi" }] }] };
    const events = sseEvents(await (await post("/v1/messages?beta=true", body)).text());
    expect(events.map((e) => e.event)).to.deep.equal(["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    expect(JSON.parse(events[1].data).content_block).to.include({ type: "tool_use", name: "Write" });
    expect(JSON.parse(JSON.parse(events[2].data).delta.partial_json)).to.deep.equal({ file_path: "a/b.txt", content: "hi\n" });
    expect(JSON.parse(events[4].data).delta.stop_reason).to.equal("tool_use");

    const afterTool = { ...body, messages: [...body.messages, { role: "assistant", content: [] }, { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: "ok" }] }] };
    const final = sseEvents(await (await post("/v1/messages", afterTool)).text());
    expect(JSON.parse(final[2].data).delta).to.deep.equal({ type: "text_delta", text: "STUB-ANSWER: hello" });
  });

  it("OpenAI responses, streaming: the event sequence Codex reads, ending in response.completed", async () => {
    const input = [{ type: "message", role: "user", content: [{ type: "input_text", text: "SAY plum" }] }];
    const events = sseEvents(await (await post("/v1/responses", { model: "m", stream: true, input })).text());
    expect(events.map((e) => e.event)).to.deep.equal([
      "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
      "response.output_text.delta", "response.output_text.done", "response.content_part.done",
      "response.output_item.done", "response.completed",
    ]);
    const completed = JSON.parse(events.at(-1)!.data).response;
    expect(completed.status).to.equal("completed");
    expect(completed.output[0].content[0].text).to.equal("STUB-ANSWER: plum");
  });

  it("OpenAI chat completions: a non-streaming answer, and streamed chunks ending with [DONE]", async () => {
    const messages = [{ role: "user", content: "SAY fig" }];
    const reply = await (await post("/chat/completions", { model: "m", messages })).json();
    expect(reply.choices[0]).to.deep.include({ finish_reason: "stop", message: { role: "assistant", content: "STUB-ANSWER: fig" } });
    const events = sseEvents(await (await post("/v1/chat/completions", { model: "m", messages, stream: true, stream_options: { include_usage: true } })).text());
    expect(events.at(-1)!.data).to.equal("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).to.equal("STUB-ANSWER: fig");
    expect(chunks.at(-1).usage.total_tokens).to.be.a("number");
  });

  it("HOLD: answers only once its key is released, then at once", async () => {
    const messages = [{ role: "user", content: "SAY held HOLD key-1" }];
    let answered = false;
    const held = post("/v1/chat/completions", { model: "m", messages }).then(async (r) => {
      answered = true;
      return r.json();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered, "answered before the release").to.equal(false);
    const release = await (await fetch(`${base}/_stub/release/key-1`, { method: "POST" })).json();
    expect(release).to.deep.equal({ released: 1 });
    expect((await held).choices[0].message.content).to.equal("STUB-ANSWER: held");
    const again = await (await post("/v1/chat/completions", { model: "m", messages })).json();
    expect(again.choices[0].message.content).to.equal("STUB-ANSWER: held");
  });

  it("lists models and refuses unknown routes", async () => {
    expect((await (await fetch(`${base}/v1/models`)).json()).data).to.not.be.empty;
    expect((await post("/v1/nothing-here", {})).status).to.equal(404);
  });

  it("proxy logger: records a CONNECT and refuses it", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      http.request({ host: "127.0.0.1", port: PROXY_PORT, method: "CONNECT", path: "example.invalid:443" })
        .on("connect", (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 0);
        })
        .on("error", reject)
        .end();
    });
    expect(status).to.equal(403);
    const logged = await (await fetch(`${base}/_stub/proxy-requests`)).json();
    expect(logged.map((r: { method: string; target: string }) => `${r.method} ${r.target}`)).to.include("CONNECT example.invalid:443");
  });
});
