/**
 * `npm run up|preview|destroy|status [-- --stack NAME] [-- pulumi args]`: deploys the fleet on the
 * local Docker engine with a local Pulumi state backend. The decisions live in deployPlan.ts.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import * as path from "node:path";
import { NAMESPACE } from "../config/defaults";
import {
  deploys,
  MISSING_PULUMI,
  missingDockerMessage,
  needsLocalLogin,
  parseInvocation,
  secretsToImport,
  type Invocation,
} from "./deployPlan";

const projectRoot = path.resolve(__dirname, "..");

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  return spawnSync(cmd, args, { cwd: projectRoot, encoding: "utf8", ...opts });
}

/** Runs a step the user should see; stops the whole command when it fails. */
function step(cmd: string, args: string[]): void {
  const result = run(cmd, args, { stdio: "inherit" });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function checkTools(): void {
  const pulumi = run("pulumi", ["version"]);
  if (pulumi.error) throw new Error(MISSING_PULUMI);
  const docker = run("docker", ["info", "--format", "{{.ServerVersion}}"]);
  if (docker.error || docker.status !== 0) throw new Error(missingDockerMessage(docker.error?.message ?? String(docker.stderr)));
}

function importSecrets(stack: string): void {
  const listed = run("pulumi", ["config", "--json", "--stack", stack]);
  if (listed.status !== 0) throw new Error(`pulumi config --json failed: ${listed.stderr}`);
  for (const { configKey, envVar } of secretsToImport(JSON.parse(String(listed.stdout) || "{}"), process.env)) {
    // The value goes through stdin: never on a command line other users' `ps` can read.
    const set = run("pulumi", ["config", "set", "--secret", "--stack", stack, `${NAMESPACE}:${configKey}`], {
      input: process.env[envVar],
      stdio: ["pipe", "inherit", "inherit"],
    });
    if (set.status !== 0) throw new Error(`storing ${envVar} as ${configKey} failed`);
    console.log(`Imported ${envVar} into the stack's secret config as ${configKey}.`);
  }
}

function main(invocation: Invocation): void {
  checkTools();
  if (needsLocalLogin(process.env)) step("pulumi", ["login", "--local"]);
  const { command, stack, pulumiArgs } = invocation;
  step("pulumi", ["stack", "select", ...(deploys(command) ? ["--create"] : []), stack]);
  if (deploys(command)) importSecrets(stack);
  if (command === "status") {
    step("pulumi", ["stack", "output", "--stack", stack, ...pulumiArgs]);
    step("docker", [
      "ps",
      "--all",
      "--filter",
      `label=llpm.stack=${stack}`,
      "--format",
      "table {{.Names}}\t{{.Status}}\t{{.Ports}}",
    ]);
    return;
  }
  step("pulumi", [command, "--stack", stack, ...pulumiArgs]);
}

try {
  main(parseInvocation(process.argv.slice(2)));
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
