import { expect } from "chai";
import path from "node:path";
import type { Browser } from "playwright-core";
import { TOKEN, type RunningBroker } from "./support/brokerHarness";
import { waitForState } from "./support/jobs";
import { ARTIFACTS, dashboardSuite } from "./support/dashboardSuite";

describe("dashboard job page: the job's changes, in headless Chromium", function () {
  this.timeout(90000);
  const suite = dashboardSuite([["aider", 1]]);
  let b: RunningBroker;
  let browser: Browser;

  before(() => ({ broker: b, browser } = suite));

  it("lists the changed files and shows the patch, colouring only + and - lines, as text", async () => {
    const setup = await b.api.post("/agents/aider-1/jobs").send({ prompt: "#write old.txt first line\n#write gone.txt going" }).expect(202);
    await waitForState(b.api, setup.body.id, "final");
    const hostile = `<img src=x onerror="window.__xss=1">`;
    const prompt = ["#sleep 1", "#append old.txt second line", "#delete gone.txt", `#write page.html ${hostile}`, "#binary logo.png"].join("\n");
    const job = (await b.api.post("/agents/aider-1/jobs").send({ prompt }).expect(202)).body;

    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.goto(`${b.url}/ui/jobs/${job.id}`);
    await page.locator("#token").fill(TOKEN);
    await page.locator("#token-form button").click();
    await page.locator("#diff").getByText("once the job has ended").waitFor();
    await page.locator("#title .state-completed").waitFor({ timeout: 15000 });
    await page.locator("#diff-files li").first().waitFor();

    const rows = await page.locator("#diff-files li").evaluateAll((lis) => lis.map((li) => li.textContent!.replace(/\s+/g, " ").trim()));
    expect(rows).to.deep.equal([`D gone.txt +0 -1`, `A logo.png binary`, `M old.txt +1 -0`, `A page.html +1 -0`]);
    expect(await page.locator(".diff-summary").textContent()).to.equal("4 files changed, +2 -1");

    const added = await page.locator("#patch .diff-add").allTextContents();
    const removed = await page.locator("#patch .diff-del").allTextContents();
    expect(added).to.deep.equal(["+second line", `+${hostile}`]);
    expect(removed).to.deep.equal(["-going"]);
    const patch = (await page.locator("#patch").textContent())!;
    expect(patch).to.contain("Binary files /dev/null and b/logo.png differ");
    // Context and header lines carry no colour class.
    expect(await page.locator("#patch span:not([class])").allTextContents()).to.include(" first line");
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).to.equal(undefined);
    expect(await page.locator("main img").count()).to.equal(0);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-job-diff.png"), fullPage: true });
    expect(pageErrors).to.deep.equal([]);
  });
});
