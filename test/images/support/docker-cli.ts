// The docker CLI, called with an argv array (never a shell string), with optional stdin.
import { spawn } from "node:child_process";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function docker(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("docker", args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    // A docker that exits before reading its stdin (it failed at once) is reported by "close".
    child.stdin.on("error", () => {});
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** Like docker(), but rejects unless the command exits 0. */
export async function dockerOk(args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.code !== 0) {
    throw new Error(`docker ${args.slice(0, 3).join(" ")} … exited ${result.code}: ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

export function randomName(purpose: string): string {
  return `llpmt-img-${purpose}-${Math.random().toString(36).slice(2, 10)}`;
}
