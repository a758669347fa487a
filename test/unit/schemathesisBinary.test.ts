import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { schemathesisBinary } from "../support/schemathesis";

describe("schemathesis locator", () => {
  it("fails with the install command when the pinned version is not in the cache (the conformance test never skips)", () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), "llpmt-cache-"));
    const saved = process.env.LLPM_CACHE;
    process.env.LLPM_CACHE = empty;
    try {
      expect(() => schemathesisBinary()).to.throw(/schemathesis is not installed at .*\/schemathesis\/[0-9.]+\/bin\/schemathesis: run .*schemathesis\.sh/);
    } finally {
      if (saved === undefined) delete process.env.LLPM_CACHE;
      else process.env.LLPM_CACHE = saved;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
