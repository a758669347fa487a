import Docker from "dockerode";
import { chownSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ensureAgentImage } from "./agentImage";

export interface StartAgentOptions {
  authMode?: "api_key" | "subscription";
  /** Skip the image's healthcheck (the benchmark's many agents would spend the CPU on it). */
  noHealthcheck?: boolean;
}

/**
 * Agent containers for one test run, labelled like the program's under a stack name no one else
 * uses, so the broker under test never sees other engineers' containers. `cleanup` removes them all.
 */
export class TestFleet {
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

  async cleanup(): Promise<void> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [`llpm.stack=${this.stack}`] } });
    await Promise.all(list.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => {})));
    rmSync(this.workspaceRoot, { recursive: true, force: true });
  }
}
