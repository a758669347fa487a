// LiteLLM's per-agent count as the broker reads it: a scrape of the real LiteLLM 1.108.14
// stand-in's /metrics (one call by aider-1 through gpt-5, one by claude-code-1 through
// claude-sonnet-4-5, both answered by the stub model server), cut to the series around the ones read.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, loadConfig } from "../../broker/src/config";
import { LitellmUsage, usageByAgent } from "../../broker/src/gateway/litellmUsage";
import { parsePrometheusText } from "../../broker/src/gateway/prometheusText";
import { createLogger } from "../../broker/src/log";

const SCRAPE = readFileSync(path.join(__dirname, "../fixtures/litellm-metrics/two-agents.prom"), "utf8");

describe("broker: LiteLLM's per-agent usage", () => {
  it("parses samples with labels, escapes and special values; skips comments and malformed lines", () => {
    const text = [
      "# HELP x a help line",
      'x_total{a="1",b="say \\"hi\\"\\nthere"} 2.5',
      "y 3",
      "z{} NaN",
      "inf +Inf 1700000000",
      'broken{a="1" 4',
      "no_value",
    ].join("\n");
    expect(parsePrometheusText(text)).to.deep.equal([
      { name: "x_total", labels: { a: "1", b: 'say "hi"\nthere' }, value: 2.5 },
      { name: "y", labels: {}, value: 3 },
      { name: "z", labels: {}, value: NaN },
      { name: "inf", labels: {}, value: Infinity },
    ]);
  });

  it("sums LiteLLM's real scrape per agent: requests, tokens and spend (the x-litellm-response-cost of each call)", () => {
    const usage = usageByAgent(SCRAPE);
    expect([...usage.keys()].sort()).to.deep.equal(["aider-1", "claude-code-1"]);
    expect(usage.get("aider-1")).to.deep.equal({ requests: 1, inputTokens: 10, outputTokens: 13, costUsd: 0.00014250000000000002 });
    expect(usage.get("claude-code-1")).to.deep.equal({ requests: 1, inputTokens: 10, outputTokens: 11, costUsd: 0.000195 });
  });

  it("adds an agent's series over models and skips callers that are no agent (user=\"None\": the master key)", () => {
    const line = (metric: string, user: string, model: string, value: number) => `${metric}{model="${model}",user="${user}"} ${value}`;
    const text = [
      line("litellm_spend_metric_total", "aider-1", "gpt-5", 0.5),
      line("litellm_spend_metric_total", "aider-1", "claude-sonnet-4-5", 0.25),
      line("litellm_spend_metric_created", "aider-1", "gpt-5", 1700000000),
      line("litellm_spend_metric_total", "None", "gpt-5", 9),
      line("litellm_requests_metric_total", "aider-1", "gpt-5", 2),
    ].join("\n");
    expect([...usageByAgent(text)]).to.deep.equal([["aider-1", { requests: 2, inputTokens: 0, outputTokens: 0, costUsd: 0.75 }]]);
  });

  describe("reading LiteLLM's /metrics (a local server answering with the recorded scrape)", () => {
    let server: Server;
    let url: string;
    let seenAuth: (string | undefined)[] = [];
    let status = 200;
    before(async () => {
      server = createServer((req, res) => {
        seenAuth.push(req.headers.authorization);
        res.writeHead(req.url === "/metrics" ? status : 404, { "content-type": "text/plain" }).end(status === 200 ? SCRAPE : "refused");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());
    beforeEach(() => {
      seenAuth = [];
      status = 200;
    });

    it("sends its key, keeps the figures, and keeps the last good ones when LiteLLM refuses, saying why", async () => {
      const usage = new LitellmUsage({ url: `${url}/`, key: "sk-llpm-usage-reader-x", intervalMs: 60_000, log: createLogger("silent", "t") });
      expect(usage.status()).to.deep.include({ state: "unavailable", readAt: null });
      await usage.refresh();
      expect(seenAuth).to.deep.equal(["Bearer sk-llpm-usage-reader-x"]);
      expect(usage.status()).to.deep.include({ state: "ok", error: null });
      expect(usage.forAgent("aider-1")?.requests).to.equal(1);
      expect(usage.forAgent("opencode-1")).to.equal(null);
      const readAt = usage.status().readAt;
      status = 401;
      await usage.refresh();
      expect(usage.status()).to.deep.include({ state: "unavailable", readAt });
      expect(usage.status().error).to.match(/GET .*\/metrics answered 401: refused/);
      expect(usage.forAgent("aider-1")?.costUsd).to.equal(0.00014250000000000002);
    });

    it("says LiteLLM is unavailable when nothing answers", async () => {
      const usage = new LitellmUsage({ url: "http://127.0.0.1:1", key: "k", intervalMs: 60_000, log: createLogger("silent", "t") });
      await usage.refresh();
      expect(usage.status().state).to.equal("unavailable");
      expect(usage.status().error).to.be.a("string").and.not.empty;
    });
  });

  it("config: LiteLLM's URL and the usage key go together, and the URL must be http(s)", () => {
    const base = { BROKER_TOKEN: "0123456789abcdef", LLPM_STACK: "dev" };
    expect(loadConfig(base).litellmUsage).to.equal(null);
    expect(loadConfig({ ...base, BROKER_LITELLM_URL: "http://litellm:4000", BROKER_LITELLM_USAGE_KEY: "k" }).litellmUsage).to.deep.equal({
      url: "http://litellm:4000",
      key: "k",
      intervalSeconds: 10,
    });
    expect(() => loadConfig({ ...base, BROKER_LITELLM_URL: "http://litellm:4000" })).to.throw(ConfigError, /BROKER_LITELLM_USAGE_KEY: .*go together/);
    expect(() => loadConfig({ ...base, BROKER_LITELLM_USAGE_KEY: "k" })).to.throw(ConfigError, /go together/);
    expect(() => loadConfig({ ...base, BROKER_LITELLM_URL: "ftp://x", BROKER_LITELLM_USAGE_KEY: "k" })).to.throw(ConfigError, /BROKER_LITELLM_URL must be an http\(s\) URL/);
  });
});
