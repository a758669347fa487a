import Docker from "dockerode";
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Writable } from "node:stream";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ensureAgentImage } from "./agentImage";
import type { AgentFleet, AgentPlacement, StartAgentOptions } from "./agentFleet";

/**
 * Agent containers for one test run, labelled like the program's under a stack name no one else
 * uses, so the broker under test never sees other engineers' containers. `cleanup` removes them all.
 */
export class TestFleet implements AgentFleet {
  readonly runtime = "docker";
  readonly killedReason = "container exited with exit code 137";
  readonly setupTimeoutMs = 180000;
  readonly docker = new Docker();
  readonly stack = `llpmt-brk-${randomBytes(4).toString("hex")}`;
  readonly workspaceRoot = mkdtempSync(path.join(os.tmpdir(), "llpmt-brk-ws-"));
  private image: string | null = null;

  async prepare(): Promise<void> {
    this.image = await ensureAgentImage(this.docker);
  }

  containerName(agentId: string): string {
    return `${this.stack}-${agentId}`;
  }

  workspace(agentId: string): string {
    return path.join(this.workspaceRoot, agentId);
  }

  async startAgent(type: string, index: number, opts: StartAgentOptions = {}): Promise<Docker.Container> {
    if (!this.image) throw new Error("call prepare() first");
    const id = `${type}-${index}`;
    const ws = this.workspace(id);
    mkdirSync(ws, { recursive: true });
    chownSync(ws, 1000, 1000);
    const container = await this.docker.createContainer({
      name: this.containerName(id),
      Image: this.image,
      Env: [`LLPM_AGENT_ID=${id}`, `LLPM_AGENT_TYPE=${type}`, `LLPM_STACK=${this.stack}`],
      Labels: {
        "llpm.stack": this.stack,
        "llpm.role": "agent",
        "llpm.agent.id": id,
        "llpm.agent.type": type,
        "llpm.agent.index": String(index),
        "llpm.auth.mode": opts.authMode ?? "api_key",
      },
      ...(opts.noHealthcheck ? { Healthcheck: { Test: ["NONE"] } } : {}),
      HostConfig: {
        Binds: [`${ws}:/workspace`],
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges"],
        Init: true,
        Memory: 128 * 1024 * 1024,
        PidsLimit: 128,
        NetworkMode: "none",
      },
    });
    await container.start();
    return container;
  }

  async killAgent(agentId: string): Promise<void> {
    await this.docker.getContainer(this.containerName(agentId)).kill();
  }

  async removeAgent(agentId: string): Promise<void> {
    await this.docker.getContainer(this.containerName(agentId)).remove({ force: true });
  }

  async exec(agentId: string, cmd: string[]): Promise<string> {
    const exec = await this.docker.getContainer(this.containerName(agentId)).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    const out: Buffer[] = [];
    let err = "";
    // Written to synchronously as frames arrive, so everything is in by the stream's end.
    const collect = (onChunk: (c: Buffer) => void) =>
      new Writable({
        write(c: Buffer, _enc, cb) {
          onChunk(c);
          cb();
        },
      });
    this.docker.modem.demuxStream(stream, collect((c) => out.push(c)), collect((c) => (err += c.toString())));
    await new Promise((r) => stream.on("end", r));
    const { ExitCode } = await exec.inspect();
    if (ExitCode !== 0) throw new Error(`${cmd.join(" ")} in ${agentId} exited with ${ExitCode}: ${err}`);
    return Buffer.concat(out).toString();
  }

  async readWorkspaceFile(agentId: string, file: string): Promise<string> {
    return readFileSync(path.join(this.workspace(agentId), file), "utf8");
  }

  brokerEnv(): Record<string, string> {
    return {};
  }

  placement(agentId: string): AgentPlacement {
    const name = this.containerName(agentId);
    return { source: "docker", container: name, workspacePath: this.workspace(agentId), attachCommand: `docker exec -it ${name} bash` };
  }

  async cleanup(): Promise<void> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [`llpm.stack=${this.stack}`] } });
    await Promise.all(list.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
    rmSync(this.workspaceRoot, { recursive: true, force: true });
  }
}
