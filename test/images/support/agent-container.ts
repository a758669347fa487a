// One agent container as the program runs it: non-root, every capability dropped,
// no-new-privileges, the type's env, a host workspace owned by the agent uid at /workspace.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CommandResult, docker, dockerOk, randomName } from "./docker-cli";
import { AGENT_UID, AgentType, imageTag } from "./image-builds";
import { agentProfile } from "./agent-environment";

export interface AgentContainer {
  name: string;
  workspace: string;
  /** llpm-run-job with the prompt on stdin. */
  runJob(prompt: string, args?: string[], timeoutMs?: number): Promise<CommandResult>;
  exec(args: string[], options?: { user?: string; input?: string }): Promise<CommandResult>;
  remove(): Promise<void>;
}

export async function startAgentContainer(type: AgentType, network: string): Promise<AgentContainer> {
  const name = randomName(type);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "llpmt-img-workspace-"));
  fs.chownSync(workspace, AGENT_UID, AGENT_UID);
  const envArgs = Object.entries(agentProfile(type).env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
  await dockerOk(["run", "-d", "--name", name, "--init", "--network", network, "--user", `${AGENT_UID}:${AGENT_UID}`,
    "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--pids-limit", "512", "--memory", "2g",
    "-v", `${workspace}:/workspace`, ...envArgs, imageTag(type)]);
  // The entrypoint writes the CLI config before printing "ready".
  for (let attempt = 0; ; attempt++) {
    const logs = await docker(["logs", name]);
    if (logs.stdout.includes("ready")) break;
    if (attempt > 100) throw new Error(`${name} did not get ready: ${logs.stdout}${logs.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name,
    workspace,
    runJob: (prompt, args = [], timeoutMs = 120_000) =>
      docker(["exec", "-i", name, "llpm-run-job", ...args], { input: prompt, timeoutMs }),
    exec: (args, options = {}) =>
      docker(["exec", "-i", ...(options.user ? ["-u", options.user] : []), name, ...args], { input: options.input }),
    async remove() {
      await docker(["rm", "-f", name]);
      // Files the agent wrote belong to the agent uid; the test runner owns the temp dir's parent.
      fs.rmSync(workspace, { recursive: true, force: true });
    },
  };
}
