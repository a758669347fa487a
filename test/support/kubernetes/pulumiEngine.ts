/**
 * The real Pulumi engine for tests: the CLI and the Kubernetes provider built by `.ci/toolchain/`,
 * the provider installed offline into a Pulumi home of the test's own, state in a local file
 * backend, and inline Automation API programs (no language host). Nothing is looked up anywhere.
 */
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { runScript } from "./cluster";

const run = promisify(execFile);
const toolchain = (name: string) => path.resolve(__dirname, "../../../.ci/toolchain", name);
const PROVIDER_VERSION: string = require("@pulumi/kubernetes/package.json").version;

export interface PulumiEngine {
  /** The test's own folder: Pulumi home, state and the project's workDir; remove() deletes it. */
  work: string;
  stateDir: string;
  stack(stackName: string, projectName: string, program: PulumiFn): Promise<Stack>;
  remove(): void;
}

export async function startPulumiEngine(prefix: string): Promise<PulumiEngine> {
  const pulumiBin = await runScript(toolchain("pulumi-cli.sh"));
  const providerBinary = await runScript(toolchain("pulumi-kubernetes.sh"));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const stateDir = path.join(work, "state");
  const envVars = {
    PULUMI_HOME: path.join(work, "home"),
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
    PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  fs.mkdirSync(stateDir);
  // Offline: the plugin comes from the binary built here, never from a download.
  await run(path.join(pulumiBin, "pulumi"), ["plugin", "install", "resource", "kubernetes", PROVIDER_VERSION, "-f", providerBinary], {
    env: { ...process.env, ...envVars },
  });
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(pulumiBin), skipVersionCheck: false });
  const workDir = path.join(work, "project");
  fs.mkdirSync(workDir);
  return {
    work,
    stateDir,
    // workDir set: otherwise every Automation API call leaves a temporary folder behind.
    stack: (stackName, projectName, program) =>
      LocalWorkspace.createOrSelectStack({ stackName, projectName, program }, { workDir, pulumiCommand, envVars }),
    remove: () => fs.rmSync(work, { recursive: true, force: true }),
  };
}
