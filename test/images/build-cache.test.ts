// Layer caching as users meet it: an unchanged rebuild reuses every layer, and a change in one
// agent's folder rebuilds that image alone, from its changed step on (the base stays as it is).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import Docker from "dockerode";
import { AGENT_TYPES, REPO_ROOT, buildAgent, buildBase, imageTag } from "./support/image-builds";

const STEP_EXECUTED = /---> Running in /;

describe("agent image builds: layer cache", function () {
  this.timeout(20 * 60_000);

  it("rebuilds nothing when nothing changed", async () => {
    const first = await buildBase();
    const again = await buildBase();
    expect(again.imageId).to.equal(first.imageId);
    expect(again.log).to.not.match(STEP_EXECUTED);
    for (const type of AGENT_TYPES) {
      const before = await buildAgent(type);
      const after = await buildAgent(type);
      expect(after.imageId, type).to.equal(before.imageId);
      expect(after.log, type).to.not.match(STEP_EXECUTED);
    }
  });

  it("after a change in one agent folder rebuilds only that image, keeping its CLI install layer", async () => {
    const original = await buildAgent("opencode");
    const changed = fs.mkdtempSync(path.join(os.tmpdir(), "llpmt-img-opencode-"));
    const tag = imageTag("opencode-changed");
    try {
      fs.cpSync(path.join(REPO_ROOT, "images/opencode"), changed, { recursive: true });
      fs.appendFileSync(path.join(changed, "configure-agent"), "// changed by the layer-cache test\n");
      const rebuilt = await buildAgent("opencode", { contextDir: changed, tag });
      expect(rebuilt.imageId).to.not.equal(original.imageId);
      // The npm install step comes before the changed COPY: reused, not run again.
      expect(rebuilt.log).to.match(/RUN npm install[^\n]*\n ---> Using cache/);
      const base = await buildBase();
      expect(base.log).to.not.match(STEP_EXECUTED);
      for (const type of AGENT_TYPES.filter((t) => t !== "opencode")) {
        expect((await buildAgent(type)).log, type).to.not.match(STEP_EXECUTED);
      }
    } finally {
      fs.rmSync(changed, { recursive: true, force: true });
      await new Docker().getImage(tag).remove().catch(() => undefined);
    }
  });
});
