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

/** The installer could not run (no network to get.pulumi.com, most often): how to do it by hand. */
export function manualInstallMessage(version: string, root: string, detail: string): string {
  return (
    `The Pulumi CLI is not installed and installing Pulumi ${version} into ${root} failed (${detail.trim().split("\n")[0]}). ` +
    `Install it by hand: curl -fsSL https://get.pulumi.com | sh -s -- --version ${version} (or see ` +
    "https://www.pulumi.com/docs/iac/download-install/), make sure `pulumi` is on PATH, then run this command again. " +
    "No Pulumi Cloud account is needed: the state stays in ~/.pulumi."
  );
}

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

/** `file://~` is the backend `pulumi login --local` selects: state in ~/.pulumi. */
export const LOCAL_BACKEND_URL = "file://~";

/** What every Pulumi command of the project runs with: the local backend unless the user chose one. */
export function backendEnv(env: Record<string, string | undefined>): Record<string, string> {
  return needsLocalLogin(env) ? { PULUMI_BACKEND_URL: LOCAL_BACKEND_URL } : {};
}

export interface UpdateOptions {
  /** `--yes`: skip the confirmation after the preview of `up` and `destroy`. */
  yes: boolean;
  diff: boolean;
  refresh: boolean;
  targets: string[];
}

const ALLOWED_ARGS = "--yes (-y), --diff, --refresh (-r), --target URN (-t)";

/** The pulumi options the Automation API takes, from what users type after the stack. */
export function updateOptions(args: string[]): UpdateOptions {
  const out: UpdateOptions = { yes: false, diff: false, refresh: false, targets: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--yes" || arg === "-y") out.yes = true;
    else if (arg === "--diff") out.diff = true;
    else if (arg === "--refresh" || arg === "-r") out.refresh = true;
    else if (arg === "--target" || arg === "-t") {
      const urn = args[++i];
      if (!urn) throw new Error(`${arg} needs a resource URN; allowed: ${ALLOWED_ARGS}`);
      out.targets.push(urn);
    } else if (arg.startsWith("--target=")) out.targets.push(arg.slice("--target=".length));
    else throw new Error(`unknown option ${JSON.stringify(arg)}; allowed: ${ALLOWED_ARGS}`);
  }
  return out;
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
