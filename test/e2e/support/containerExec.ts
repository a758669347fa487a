// `docker exec` as the tests use it: run a command in a container, collect its output and exit code.
import type Docker from "dockerode";
import { demultiplex } from "../harness/health";

export async function execIn(docker: Docker, container: string, cmd: string[], env: string[] = []): Promise<{ code: number; output: string }> {
  const exec = await docker.getContainer(container).exec({ Cmd: cmd, Env: env, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  return { code: (await exec.inspect()).ExitCode ?? -1, output: demultiplex(Buffer.concat(chunks)) };
}

const LIST_COMMAND_LINES = 'for p in /proc/[0-9]*; do tr "\\0" " " < "$p/cmdline" 2>/dev/null; echo; done';

/** The command lines of every process in the container, read from /proc (agent images need not ship ps). */
export async function commandLines(docker: Docker, container: string): Promise<string[]> {
  const { output } = await execIn(docker, container, ["sh", "-c", LIST_COMMAND_LINES]);
  return output
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}
