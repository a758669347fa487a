/**
 * The decisions behind `npm run up|preview|destroy|status`, kept free of process spawning so they
 * can be tested without the Pulumi CLI (which cannot be installed on the test machines).
 */
import { NAMESPACE } from "../config/defaults";
import { IMPORTABLE_SECRETS } from "../config/secretKeys";

export const COMMANDS = ["up", "preview", "destroy", "status"] as const;
export type Command = (typeof COMMANDS)[number];

export interface Invocation {
  command: Command;
  stack: string;
  /** Everything after `--`, handed to pulumi untouched (e.g. `--yes`, `--diff`). */
  pulumiArgs: string[];
}

export const DEFAULT_STACK = "dev";
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

export function parseInvocation(argv: string[]): Invocation {
  const [command, ...rest] = argv;
  if (!(COMMANDS as readonly string[]).includes(command ?? "")) {
    throw new Error(`unknown command ${JSON.stringify(command ?? "")}; allowed: ${COMMANDS.join(", ")}`);
  }
  let stack = DEFAULT_STACK;
  const pulumiArgs: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--stack" || arg === "-s") {
      stack = rest[++i] ?? "";
      if (!STACK_NAME.test(stack))
        throw new Error(`--stack ${JSON.stringify(stack)}; allowed: a stack name of letters, digits, '.', '-', '_'`);
    } else if (arg.startsWith("--stack=")) {
      stack = arg.slice("--stack=".length);
      if (!STACK_NAME.test(stack))
        throw new Error(`--stack ${JSON.stringify(stack)}; allowed: a stack name of letters, digits, '.', '-', '_'`);
    } else {
      pulumiArgs.push(arg);
    }
  }
  return { command: command as Command, stack, pulumiArgs };
}

export const MISSING_PULUMI =
  "The Pulumi CLI was not found on PATH. Install it (https://www.pulumi.com/docs/iac/download-install/), " +
  "then run this command again. No Pulumi Cloud account is needed: the state stays in ~/.pulumi.";

export function missingDockerMessage(detail: string): string {
  return (
    `No Docker daemon answered (${detail.trim() || "docker info failed"}). Start Docker (or check DOCKER_HOST and that your ` +
    "user may use the socket), then run this command again."
  );
}

/** The local file backend, unless the user chose a backend already (PULUMI_BACKEND_URL). */
export function needsLocalLogin(env: Record<string, string | undefined>): boolean {
  return !env.PULUMI_BACKEND_URL;
}

export interface SecretImport {
  configKey: string;
  envVar: string;
}

/**
 * Keys users of the seed keep in their environment, copied into the stack's secret config only
 * when the stack has no value for them yet, so the stack stays the one source of truth and a
 * stale shell never overwrites a rotated key. `stackConfig` is `pulumi config --json` output.
 */
export function secretsToImport(stackConfig: Record<string, unknown>, env: Record<string, string | undefined>): SecretImport[] {
  return IMPORTABLE_SECRETS.filter(
    ({ configKey, envVar }) => !(`${NAMESPACE}:${configKey}` in stackConfig) && !!env[envVar]?.trim(),
  );
}

/**
 * Only `up` and `preview` may create the stack and write secrets into its config; `destroy` and
 * `status` on a stack that does not exist should say so, not make an empty one.
 */
export function deploys(command: Command): boolean {
  return command === "up" || command === "preview";
}
