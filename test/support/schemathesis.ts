import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** Installs the pinned schemathesis into its cache and says where (`.ci/run` calls it before the tests). */
export const SCHEMATHESIS_INSTALLER = path.join(__dirname, "../../.ci/toolchain/schemathesis.sh");

/**
 * The pinned schemathesis binary, located by the script that installs it, so the version and the
 * cache folder have one source. Missing is an error, never a reason to skip.
 */
export function schemathesisBinary(): string {
  const bin = execFileSync("bash", [SCHEMATHESIS_INSTALLER, "--where"], { encoding: "utf8" }).trim();
  if (!existsSync(bin)) {
    throw new Error(`schemathesis is not installed at ${bin}: run ${path.relative(process.cwd(), SCHEMATHESIS_INSTALLER)} (.ci/run does) to install the pinned version`);
  }
  return bin;
}
