/**
 * `llpm`: the fleet from a terminal. Commands live in commands/, one a file; this wires them to
 * the argument parser and turns every failure into a message and an exit code (exitCodes.ts).
 */
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { agentsCommand } from "./commands/agents";
import { cancelCommand } from "./commands/cancel";
import { diffCommand } from "./commands/diff";
import { jobsCommand } from "./commands/jobs";
import { logsCommand } from "./commands/logs";
import { runCommand } from "./commands/run";
import { processContext, type CommandContext } from "./context";
import { CliError, EXIT } from "./exitCodes";

function positiveInteger(what: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > max) throw new InvalidArgumentError(`${what} must be a whole number from 1 to ${max}, got '${value}'`);
    return n;
  };
}

const EXIT_CODES_HELP = `
Exit codes: 0 completed (or the command succeeded), 1 job failed, 2 bad arguments, 3 job cancelled,
4 job timed out, 5 broker unreachable, 6 token refused, 7 the broker refused the request
(unknown agent, type or job; a finished job), 8 no broker URL or token found.

Broker: --stack NAME reads that stack's outputs; else LLPM_BROKER_URL and LLPM_BROKER_TOKEN;
else the selected stack's outputs (brokerUrl, brokerToken; pulumi stack output --show-secrets).`;

export function buildProgram(ctx: (program: Command) => CommandContext, setExit: (code: number) => void): Command {
  const program = new Command("llpm")
    .description("Run and follow jobs on an llpm-fleet from the terminal")
    .option("--stack <name>", "read the broker's URL and token from this stack's outputs")
    .addHelpText("after", EXIT_CODES_HELP)
    .showHelpAfterError("(llpm --help lists the commands)")
    .exitOverride();
  const run = (fn: (c: CommandContext) => Promise<number>) => async () => setExit(await fn(ctx(program)));

  program
    .command("agents")
    .description("list the agents: state, auth, jobs, tokens and cost")
    .action(() => run((c) => agentsCommand(c))());

  program
    .command("run")
    .description("queue a prompt for an agent (an id like aider-1) or a type (its first free agent)")
    .argument("<target>", "agent id (<type>-<n>) or agent type")
    .argument("<prompt>", "the prompt")
    .option("-f, --follow", "stream the job's timeline and exit with its final state's code")
    .option("--branch <branch>", "run the job on its own git branch in a separate worktree")
    .option("--timeout <seconds>", "job timeout in seconds", positiveInteger("--timeout", 86_400))
    .action((target: string, prompt: string, opts: { follow?: boolean; branch?: string; timeout?: number }) =>
      run((c) => runCommand(c, target, prompt, opts))(),
    );

  program
    .command("jobs")
    .description("list jobs, newest first")
    .option("--agent <id>", "only this agent's jobs")
    .option("--limit <n>", "at most this many", positiveInteger("--limit", 500), 20)
    .action((opts: { agent?: string; limit: number }) => run((c) => jobsCommand(c, opts))());

  program
    .command("logs")
    .description("print a job's log")
    .argument("<job>", "job id")
    .option("-f, --follow", "stream it until the job ends; exit with its final state's code")
    .action((job: string, opts: { follow?: boolean }) => run((c) => logsCommand(c, job, opts))());

  program
    .command("cancel")
    .description("cancel a queued or running job")
    .argument("<job>", "job id")
    .action((job: string) => run((c) => cancelCommand(c, job))());

  program
    .command("diff")
    .description("what a job changed in its workspace: the files, then the patch")
    .argument("<job>", "job id")
    .action((job: string) => run((c) => diffCommand(c, job))());

  for (const sub of program.commands) sub.exitOverride().showHelpAfterError(`(llpm ${sub.name()} --help shows its usage)`);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((p) => processContext(() => p.opts<{ stack?: string }>()), (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (err) {
    // The parser has already printed its message (and the usage) for its own errors.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT.usage;
    if (err instanceof CliError) {
      process.stderr.write(`llpm: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

