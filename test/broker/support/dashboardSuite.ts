// A real broker with fake-CLI agents in real containers and a headless Chromium, set up before and
// torn down after one mocha suite of dashboard tests.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../support/chromium";
import { waitFor } from "../../support/waitFor";
import { startBroker, tempDbPath, type RunningBroker } from "./brokerHarness";
import { TestFleet } from "./testFleet";

/** Screenshots kept as test artifacts (gitignored). */
export const ARTIFACTS = path.join(__dirname, "..", "artifacts");

export interface DashboardSuite {
  fleet: TestFleet;
  broker: RunningBroker;
  browser: Browser;
}

/** Registers the suite's hooks; the returned object is filled in once its `before` has run. */
export function dashboardSuite(agents: Parameters<TestFleet["startAgent"]>[]): DashboardSuite {
  const fleet = new TestFleet();
  const db = tempDbPath();
  const suite = { fleet } as DashboardSuite;
  before(async function () {
    this.timeout(600000);
    await fleet.prepare();
    await Promise.all(agents.map((agent) => fleet.startAgent(...agent)));
    suite.broker = await startBroker(fleet.stack, db.path);
    await waitFor("agents ready", async () => {
      const listed = (await suite.broker.api.get("/agents")).body as { state: string }[];
      return listed.length === agents.length && listed.every((a) => a.state === "ready");
    });
    suite.browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await suite.browser?.close();
    await suite.broker?.stop();
    await fleet.cleanup();
    db.remove();
  });
  return suite;
}
