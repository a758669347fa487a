import { expect } from "chai";
import path from "node:path";
import type { Browser } from "playwright-core";
import { TOKEN, type RunningBroker } from "./support/brokerHarness";
import { ARTIFACTS, dashboardSuite } from "./support/dashboardSuite";

describe("dashboard in headless Chromium", function () {
  this.timeout(90000);
  const suite = dashboardSuite([["claude-code", 1], ["aider", 1]]);
  let b: RunningBroker;
  let browser: Browser;

  before(() => ({ broker: b, browser } = suite));

  it("asks for the token once, shows agents, runs a prompt and streams its log, escaping untrusted text", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    const requests: string[] = [];
    page.on("request", (req) => requests.push(req.url()));

    await page.goto(`${b.url}/ui/agents`);
    await page.locator("#token").fill(TOKEN);
    await page.locator("#token-form button").click();
    await page.locator('article[data-agent-id="claude-code-1"] .state-ready').waitFor();
    await page.locator('article[data-agent-id="aider-1"]').waitFor();
    expect(await page.locator("article.card").count()).to.equal(2);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-agents.png"), fullPage: true });

    // A job started elsewhere shows up on the open page through the event stream.
    await b.api.post("/agents/aider-1/jobs").send({ prompt: "#sleep 1.5\nbackground" }).expect(202);
    await page.locator('article[data-agent-id="aider-1"] .state-busy').waitFor();
    await page.locator('article[data-agent-id="aider-1"] .state-ready').waitFor();

    await page.locator('article[data-agent-id="claude-code-1"] h2 a').click();
    await page.waitForURL(/\/ui\/agents\/claude-code-1$/);
    await page.locator("#details").getByText(suite.fleet.containerName("claude-code-1"), { exact: true }).waitFor();
    const hostile = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
    await page.locator("#prompt").fill(`#say hello from the browser\n#sleep 1\n#say ${hostile}\n${hostile}`);
    await page.locator("#prompt-form button").click();
    await page.waitForURL(/\/ui\/jobs\/[0-9a-f-]{36}$/);
    await page.locator("#title .state-completed").waitFor({ timeout: 15000 });
    const log = await page.locator("#log").textContent();
    expect(log).to.contain("hello from the browser").and.contain(hostile);
    expect(await page.locator("#result").textContent()).to.contain(`echo: #say hello from the browser`);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).to.equal(undefined);
    expect(await page.locator("main img, main script").count()).to.equal(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-job.png"), fullPage: true });

    // The token was asked once: a new page in the same tab goes straight to data.
    await page.goto(`${b.url}/ui/agents`);
    await page.locator('article[data-agent-id="claude-code-1"]').waitFor();
    expect(await page.locator("#token-form").isHidden()).to.equal(true);

    expect(pageErrors).to.deep.equal([]);
    expect(requests.every((u) => u.startsWith(b.url)), requests.join("\n")).to.equal(true);
    expect(requests.some((u) => u.includes(TOKEN))).to.equal(false);
  });
});
