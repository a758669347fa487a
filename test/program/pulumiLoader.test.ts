/**
 * The other program tests load index.ts through tsx; `pulumi up` loads it through its own
 * TypeScript host (vendored ts-node 7, type checking on). This runs that loader in a child process
 * so a program that only tsx accepts cannot pass.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { engineConfig, PROJECT_ROOT, runProgram } from "../support/runProgram";
import { makeProgramHost } from "../support/programEnv";

describe("program loaded the way the Pulumi CLI loads it", function () {
  this.timeout(120_000);

  it("compiles with the CLI's ts-node and declares the same dev fleet as under tsx", async () => {
    const host = makeProgramHost();
    try {
      const child = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "test/support/loadLikePulumiCli.js"), "dev"], {
        encoding: "utf8",
        env: { ...process.env, ...host.env, LLPM_TEST_CONFIG: JSON.stringify(engineConfig("dev")) },
      });
      expect(child.status, child.stderr).to.equal(0);
      const result = JSON.parse(child.stdout.trim().split("\n").pop()!);
      const underTsx = await runProgram({ stack: "dev", env: host.env });
      expect(result.declared).to.equal(underTsx.resources.length);
      expect(result.exports).to.include.members(["brokerUrl", "agents", "brokerToken", "litellmMasterKey"]);
    } finally {
      host.remove();
    }
  });
});
