// What runs inside a container, read from /proc by `docker exec` (agent images need not ship ps).
import type Docker from "dockerode";
import { demultiplex } from "../harness/health";

const LIST_COMMAND_LINES = 'for p in /proc/[0-9]*; do tr "\\0" " " < "$p/cmdline" 2>/dev/null; echo; done';

export async function commandLines(docker: Docker, container: string): Promise<string[]> {
  const exec = await docker.getContainer(container).exec({ Cmd: ["sh", "-c", LIST_COMMAND_LINES], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", resolve);
    stream.on("error", reject);
  });
  return demultiplex(Buffer.concat(chunks))
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}
