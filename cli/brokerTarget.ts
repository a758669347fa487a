/**
 * Where the broker is and which token it takes: `--stack S` reads that stack's outputs; else
 * LLPM_BROKER_URL / LLPM_BROKER_TOKEN; else the selected stack's outputs (`brokerUrl` and the
 * secret `brokerToken`, through `pulumi stack output --json --show-secrets`), read as `npm run up`
 * wrote them.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { backendEnv } from "../scripts/deployPlan";
import { findPulumi, PULUMI_VERSION, pulumiHomeRoot } from "../scripts/pulumiCommand";
import { CliError, EXIT } from "./exitCodes";

export interface BrokerTarget {
  url: string;
  token: string;
  /** Where the values came from, for error messages. */
  source: string;
}

export const URL_ENV = "LLPM_BROKER_URL";
export const TOKEN_ENV = "LLPM_BROKER_TOKEN";
const PROJECT_ROOT = path.resolve(__dirname, "..");
const HOW_TO_SET = `set ${URL_ENV} and ${TOKEN_ENV}, or run llpm inside the project of a deployed stack (npm run up), optionally with --stack`;

export type StackOutputs = Record<string, unknown>;
export type StackOutputReader = (stack: string | undefined) => Promise<StackOutputs>;

/**
 * `pulumi stack output --json --show-secrets` in the project folder, with the CLI and the backend
 * `npm run up` uses: `pulumi` on PATH or the pinned copy it installed in the Pulumi home, and the
 * local backend unless PULUMI_BACKEND_URL names another.
 */
export const readStackOutputs: StackOutputReader = async (stack) => {
  const where = `cannot read the broker's address from the ${stack ? `stack '${stack}'` : "selected stack"}`;
  const pulumi = process.env.LLPM_PULUMI ?? (await findPulumi(process.env))?.command;
  if (!pulumi) {
    throw new CliError(
      `${where}: no Pulumi CLI ${PULUMI_VERSION} on PATH or in ${pulumiHomeRoot(process.env)} (npm run up installs it there); ${HOW_TO_SET}`,
      EXIT.noBrokerConfig,
    );
  }
  const args = ["stack", "output", "--json", "--show-secrets", ...(stack ? ["--stack", stack] : [])];
  const env = { ...process.env, ...backendEnv(process.env) };
  return new Promise((resolve, reject) => {
    execFile(pulumi, args, { cwd: PROJECT_ROOT, env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
        const what = missing ? `the pulumi CLI ${pulumi} was not found` : `pulumi stack output failed: ${stderr.trim() || err.message}`;
        reject(new CliError(`${where}: ${what}; ${HOW_TO_SET}`, EXIT.noBrokerConfig));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as StackOutputs);
      } catch {
        reject(new CliError(`pulumi stack output printed no JSON: ${stdout.slice(0, 200)}`, EXIT.noBrokerConfig));
      }
    });
  });
};

export async function resolveBrokerTarget(
  opts: { stack?: string },
  env: NodeJS.ProcessEnv,
  readOutputs: StackOutputReader = readStackOutputs,
): Promise<BrokerTarget> {
  let url = opts.stack ? undefined : env[URL_ENV] || undefined;
  let token = opts.stack ? undefined : env[TOKEN_ENV] || undefined;
  let source = "the environment";
  if (!url || !token) {
    const outputs = await readOutputs(opts.stack);
    const stackName = opts.stack ? `stack '${opts.stack}'` : "the selected stack";
    source = url || token ? `the environment and ${stackName}` : `the outputs of ${stackName}`;
    url ??= typeof outputs.brokerUrl === "string" ? outputs.brokerUrl : undefined;
    token ??= typeof outputs.brokerToken === "string" ? outputs.brokerToken : undefined;
    if (!url || !token) {
      const missing = [!url && "brokerUrl", !token && "brokerToken"].filter(Boolean).join(" and ");
      throw new CliError(`${stackName} has no ${missing} output (is it deployed?); ${HOW_TO_SET}`, EXIT.noBrokerConfig);
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`broker URL '${url}' from ${source} is not a URL; expected e.g. http://127.0.0.1:3010`, EXIT.noBrokerConfig);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new CliError(`broker URL '${url}' from ${source} is not http(s); expected e.g. http://127.0.0.1:3010`, EXIT.noBrokerConfig);
  }
  return { url: url.replace(/\/+$/, ""), token, source };
}
