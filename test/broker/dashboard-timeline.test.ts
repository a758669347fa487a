/**
 * The dashboard's job timeline, queued reason and fleet overview in headless Chromium, against
 * the real broker and fake-CLI agents in real containers. Screenshots go to test/broker/artifacts/.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { TOKEN, type RunningBroker } from "./support/brokerHarness";
import { submit, waitForState } from "./support/jobs";
import { BASH_CALL, replayPrompt } from "./support/recordedRun";
import { waitFor } from "../support/waitFor";
import { ARTIFACTS, dashboardSuite } from "./support/dashboardSuite";

// Built in Claude Code's stream-json format (the recorded run has no command): a Bash call and its output.

// LiteLLM's /metrics as the real LiteLLM stand-in answered it (one call by each of these two agents):
// served here, since this tier runs no LiteLLM; the e2e tier reads the real one.
const LITELLM_SCRAPE = readFileSync(path.join(__dirname, "../fixtures/litellm-metrics/two-agents.prom"), "utf8");

describe("dashboard in headless Chromium: timeline, wait reason, overview", function () {
  this.timeout(90000);
  let litellm: Server;
  before(async () => {
    litellm = createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end(LITELLM_SCRAPE));
    await new Promise<void>((resolve) => litellm.listen(0, "127.0.0.1", resolve));
  });
  after(() => litellm.close());
  const suite = dashboardSuite([["claude-code", 1], ["aider", 1]], () => ({
    BROKER_LITELLM_URL: `http://127.0.0.1:${(litellm.address() as AddressInfo).port}`,
    BROKER_LITELLM_USAGE_KEY: "sk-llpm-usage-reader-test",
  }));
  let b: RunningBroker;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    ({ broker: b, browser } = suite);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.goto(`${b.url}/ui/agents`);
    await page.locator("#token").fill(TOKEN);
    await page.locator("#token-form button").click();
    await page.locator("article.card").first().waitFor();
  });

  afterEach(() => expect(pageErrors).to.deep.equal([]));

  it("shows the timeline while the job runs: file paths, commands, collapsed results; the raw log one click away", async () => {
    const job = await submit(b.api, "claude-code-1", replayPrompt(3, BASH_CALL));
    await page.goto(`${b.url}/ui/jobs/${job.id}`);
    const write = page.locator('#timeline li[data-kind="file_write"]');
    await write.waitFor();
    expect(await write.locator(".entry-path").textContent()).to.equal("notes/out.txt");
    // Live: the write is shown while the fake CLI still sleeps after it.
    expect(await page.locator("#title .state-running").count()).to.equal(1);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-timeline-running.png"), fullPage: true });

    await page.locator("#title .state-completed").waitFor({ timeout: 15000 });
    await page.locator('#timeline li[data-kind="result"]').first().waitFor();
    const kinds = await page.locator("#timeline > li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-kind")));
    expect(kinds).to.deep.equal(["file_write", "command", "text", "result", "result"]);
    // Each tool result sits folded in its call's entry.
    const writeResult = write.locator("details.tool-output");
    expect(await writeResult.getAttribute("open")).to.equal(null);
    expect(await writeResult.locator("summary").textContent()).to.equal("output: 1 line");
    expect(await writeResult.locator("pre").isVisible()).to.equal(false);
    const command = page.locator('#timeline li[data-kind="command"]');
    expect(await command.locator(".entry-command").textContent()).to.equal("$ cat notes/out.txt");
    await command.locator("details summary").click();
    expect(await command.locator("details pre").isVisible()).to.equal(true);
    expect(await command.locator("details pre").textContent()).to.equal("w0fpcbmfb\nsecond line");
    expect(await page.locator('#timeline li[data-kind="text"]').textContent()).to.contain("STUB-ANSWER: hello");
    expect(await page.locator("#details").textContent()).to.contain("5,538 in · 46 out · $0.0173");

    // The raw log: hidden, one click away, with the CLI's own JSON.
    expect(await page.locator("#log").isVisible()).to.equal(false);
    await page.locator("#raw-log summary").click();
    expect(await page.locator("#log").isVisible()).to.equal(true);
    expect(await page.locator("#log").textContent()).to.contain('"name":"Write"');
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-timeline.png"), fullPage: true });
  });

  it("shows why a queued job waits, then its run", async () => {
    const first = await submit(b.api, "aider-1", "#sleep 3");
    await waitForState(b.api, first.id, "running");
    const queued = await submit(b.api, "aider-1", "second in line");
    await page.goto(`${b.url}/ui/jobs/${queued.id}`);
    await page.locator("#details dd", { hasText: "waiting: agent aider-1 is busy" }).waitFor();
    expect(await page.locator("#details").textContent()).to.contain("waiting");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-queued.png"), fullPage: true });
    await page.locator("#title .state-completed").waitFor({ timeout: 15000 });
    expect(await page.locator("#details").textContent()).to.not.contain("waiting: agent");
  });

  it("the overview: agents by state, queue depth, a bar chart of jobs per minute, tokens and cost per agent", async () => {
    const failed = await submit(b.api, "aider-1", "#exit 3");
    await waitForState(b.api, failed.id, "failed");
    const api = (await b.api.get("/overview?minutes=60").expect(200)).body;
    await page.goto(`${b.url}/ui`);
    await page.locator("#throughput svg rect.bar-failed").first().waitFor();

    expect(await page.locator('#agent-states li[data-state="ready"] .count').textContent()).to.equal("2");
    expect(await page.locator("#queue").textContent()).to.contain("Nothing queued.");

    // The bars are the API's series: one part per non-empty minute and state, with its count.
    const bars = await page.locator("#throughput rect.bar").evaluateAll((rects) =>
      rects.map((r) => ({ minute: r.getAttribute("data-minute"), series: r.getAttribute("data-series"), count: Number(r.getAttribute("data-count")), height: Number(r.getAttribute("height")) })),
    );
    const expected = (api.jobsPerMinute as Record<string, number | string>[]).flatMap((m) =>
      ["completed", "failed", "cancelled"].filter((k) => m[k]).map((k) => ({ minute: m.start, series: k, count: m[k] })),
    );
    expect(bars.map(({ height: _h, ...rest }) => rest)).to.deep.equal(expected);
    expect(bars.filter((x) => x.series === "completed").reduce((n, x) => n + x.count, 0)).to.equal(3);
    expect(bars.filter((x) => x.series === "failed").reduce((n, x) => n + x.count, 0)).to.equal(1);
    expect(bars.every((x) => x.height > 0)).to.equal(true);

    const claude = page.locator('#usage tr[data-agent-id="claude-code-1"]');
    expect(await claude.locator("td").allTextContents()).to.deep.equal([
      "claude-code-1", "claude-code", "1", "5,538", "46", "$0.0173",
      // LiteLLM's own count for the key, from its scrape.
      "1", "10", "11", "$0.0002",
    ]);
    expect(await page.locator("#gateway-usage-state").textContent()).to.match(/^LiteLLM read at /);
    const metrics = (await b.api.get("/metrics").expect(200)).text;
    expect(metrics).to.contain('llpm_broker_agent_gateway_cost_usd{agent="claude-code-1",type="claude-code"} 0.000195');
    expect(metrics).to.contain('llpm_broker_agent_gateway_requests{agent="aider-1",type="aider"} 1');
    expect(await page.locator('#usage tr[data-agent-id="aider-1"] td').nth(2).textContent()).to.equal("3");

    // Live: a job that ends while the page is open moves the chart.
    const more = await submit(b.api, "aider-1", "one more");
    await waitForState(b.api, more.id, "completed");
    await waitFor("the chart to count the new job", async () => {
      const counts = await page.locator("#throughput rect.bar-completed").evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("data-count"))));
      return counts.reduce((n, c) => n + c, 0) === 4;
    });
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-overview.png"), fullPage: true });
  });
});
