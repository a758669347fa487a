/**
 * `npm run up|preview|destroy|status [-- --stack NAME] [-- options]`: deploys the fleet on the
 * local Docker engine through the Pulumi Automation API (the program runs inline, in this
 * process), with the project's stack files and a local state backend. The decisions live in
 * deployPlan.ts; finding or installing the CLI in pulumiCommand.ts.
 */
import { LocalWorkspace, type PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline/promises";
import { NAMESPACE } from "../config/defaults";
import { fleetProgram } from "../program/fleetProgram";
import {
  backendEnv,
  deploys,
  missingDockerMessage,
  parseInvocation,
  secretsToImport,
  updateOptions,
  type Invocation,
} from "./deployPlan";
import { findOrInstallPulumi } from "./pulumiCommand";

const projectRoot = path.resolve(__dirname, "..");
const PROJECT = "llpm-fleet";
const onOutput = (text: string) => process.stdout.write(text);

function checkDocker(): void {
  const docker = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8" });
  if (docker.error || docker.status !== 0) throw new Error(missingDockerMessage(docker.error?.message ?? String(docker.stderr)));
}

async function openStack(cmd: PulumiCommand, invocation: Invocation): Promise<Stack> {
  const args = { stackName: invocation.stack, projectName: PROJECT, program: async () => fleetProgram({ projectRoot }) };
  const opts = {
    workDir: projectRoot,
    pulumiCommand: cmd,
    envVars: backendEnv(process.env),
  };
  if (deploys(invocation.command)) return LocalWorkspace.createOrSelectStack(args, opts);
  try {
    return await LocalWorkspace.selectStack(args, opts);
  } catch (err) {
    throw new Error(`stack '${invocation.stack}' does not exist (npm run up -- --stack ${invocation.stack} creates it): ${(err as Error).message.split("\n")[0]}`);
  }
}

function importSecrets(cmd: PulumiCommand, stack: Stack, existing: Record<string, unknown>): void {
  for (const { configKey, envVar } of secretsToImport(existing, process.env)) {
    // The Automation API's setConfig puts the value in argv; stdin keeps it out of other users' `ps`.
    const set = spawnSync(cmd.command, ["config", "set", "--secret", "--stack", stack.name, `${NAMESPACE}:${configKey}`], {
      cwd: projectRoot,
      input: process.env[envVar],
      env: { ...process.env, ...backendEnv(process.env) },
      stdio: ["pipe", "inherit", "inherit"],
    });
    if (set.status !== 0) throw new Error(`storing ${envVar} as ${configKey} failed`);
    console.log(`Imported ${envVar} into the stack's secret config as ${configKey}.`);
  }
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new Error(`${question}: no terminal to ask; pass --yes (npm run up -- --yes)`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

async function status(stack: Stack): Promise<void> {
  const outputs = await stack.outputs();
  for (const [key, { value, secret }] of Object.entries(outputs)) {
    console.log(`${key.padEnd(18)} ${secret ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  spawnSync("docker", ["ps", "--all", "--filter", `label=llpm.stack=${stack.name}`, "--format", "table {{.Names}}\t{{.Status}}\t{{.Ports}}"], {
    stdio: "inherit",
  });
}

async function main(invocation: Invocation): Promise<void> {
  const options = updateOptions(invocation.pulumiArgs);
  if (invocation.command !== "status") checkDocker();
  const cmd = await findOrInstallPulumi(process.env, (line) => console.log(line));
  const stack = await openStack(cmd, invocation);
  if (deploys(invocation.command)) importSecrets(cmd, stack, await stack.getAllConfig());
  const common = { onOutput, diff: options.diff, refresh: options.refresh, target: options.targets, color: "auto" as const };
  switch (invocation.command) {
    case "status":
      return status(stack);
    case "preview":
      await stack.preview(common);
      return;
    case "up":
      if (!options.yes) {
        await stack.preview(common);
        if (!(await confirm("Do you want to perform this update?"))) return;
      }
      await stack.up(common);
      return;
    case "destroy":
      if (!options.yes && !(await confirm(`Destroy every resource of stack '${stack.name}'?`))) return;
      await stack.destroy({ onOutput, target: options.targets, refresh: options.refresh, color: "auto" });
      return;
  }
}

main(parseInvocation(process.argv.slice(2))).catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
