/**
 * The Pulumi CLI the Automation API drives: `pulumi` on PATH, else the pinned version in the
 * user's Pulumi home, else that version installed there with the Automation API's own installer.
 */
import { PulumiCommand } from "@pulumi/pulumi/automation";
import * as os from "node:os";
import * as path from "node:path";
import { SemVer } from "semver";
import { manualInstallMessage } from "./deployPlan";

/** The CLI matching the SDK: one version for the program and the engine that runs it. */
export const PULUMI_VERSION: string = require("@pulumi/pulumi/package.json").version;

export function pulumiHomeRoot(env: NodeJS.ProcessEnv): string {
  return path.join(env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi"), "versions", PULUMI_VERSION);
}

/** `pulumi` on PATH, else the pinned copy `npm run up` installed in the Pulumi home; undefined: neither. */
export async function findPulumi(env: NodeJS.ProcessEnv): Promise<PulumiCommand | undefined> {
  const version = new SemVer(PULUMI_VERSION);
  try {
    return await PulumiCommand.get({ version });
  } catch {
    // Not on PATH (or too old): try the pinned copy in the Pulumi home.
  }
  try {
    return await PulumiCommand.get({ version, root: pulumiHomeRoot(env) });
  } catch {
    return undefined;
  }
}

export async function findOrInstallPulumi(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<PulumiCommand> {
  const found = await findPulumi(env);
  if (found) return found;
  const version = new SemVer(PULUMI_VERSION);
  const root = pulumiHomeRoot(env);
  log(`No Pulumi CLI found: installing Pulumi ${PULUMI_VERSION} into ${root} (once; about 100 MB)...`);
  try {
    const cmd = await PulumiCommand.install({ version, root });
    log(`Installed Pulumi ${PULUMI_VERSION} at ${cmd.command}.`);
    return cmd;
  } catch (err) {
    throw new Error(manualInstallMessage(PULUMI_VERSION, root, (err as Error).message));
  }
}
