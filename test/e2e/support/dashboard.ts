// The broker dashboard in headless Chromium (Debian's package, driven by playwright-core).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../support/chromium";

export class Dashboard {
  private constructor(
    private readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async open(): Promise<Dashboard> {
    const profile = mkdtempSync(path.join(tmpdir(), "llpm-e2e-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    return new Dashboard(context, profile);
  }

  page(): ReturnType<BrowserContext["newPage"]> {
    return this.context.newPage();
  }

  async close(): Promise<void> {
    await this.context.close();
    rmSync(this.profile, { recursive: true, force: true });
  }
}
