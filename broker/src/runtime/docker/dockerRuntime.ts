import Docker from "dockerode";
import { Writable } from "node:stream";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import type { AgentRuntime, AgentWorkload, ExecHandle, ExecOutput, ExecSpec, ExecStatus, WorkloadChange } from "../runtime";
import { LABEL } from "../../agents/labels";
import { workloadFromContainer } from "./workloadFromContainer";
import { splitLines } from "./splitLines";

const WATCHED_EVENTS = ["create", "start", "die", "stop", "health_status", "destroy", "pause", "unpause", "rename"];

function sink(write: (chunk: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      write(chunk);
      cb();
    },
  });
}

function isNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { statusCode?: number }).statusCode === 404;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DockerRuntime implements AgentRuntime {
  private readonly labelFilters: string[];

  constructor(
    private readonly docker: Docker,
    stack: string,
    private readonly log: Logger,
  ) {
    this.labelFilters = [`${LABEL.stack}=${stack}`, `${LABEL.role}=agent`];
  }

  async discover(): Promise<AgentWorkload[]> {
    const list = await this.docker.listContainers({ all: true, filters: { label: this.labelFilters } });
    const found = await Promise.all(list.map((c) => this.inspect(c.Id)));
    return found.filter((w): w is AgentWorkload => w !== null);
  }

  async inspect(ref: string): Promise<AgentWorkload | null> {
    try {
      return workloadFromContainer(await this.docker.getContainer(ref).inspect());
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  watch(onChange: (change: WorkloadChange) => void): () => void {
    let stopped = false;
    let current: { destroy?: () => void } | null = null;
    const handle = async (line: string) => {
      const ev = JSON.parse(line) as { Action?: string; id?: string; Actor?: { ID?: string } };
      const ref = ev.Actor?.ID ?? ev.id;
      if (!ref) return;
      if (ev.Action === "destroy") return onChange({ kind: "remove", ref });
      const workload = await this.inspect(ref);
      onChange(workload ? { kind: "upsert", workload } : { kind: "remove", ref });
    };
    const connect = async () => {
      while (!stopped) {
        try {
          const stream = await this.docker.getEvents({
            filters: { type: ["container"], label: this.labelFilters, event: WATCHED_EVENTS },
          });
          current = stream as unknown as { destroy?: () => void };
          await new Promise<void>((resolve) => {
            stream.on("data", splitLines((line) => void handle(line).catch((err) => this.log.warn({ err }, "docker event not handled"))));
            stream.on("end", resolve);
            stream.on("error", resolve);
            stream.on("close", resolve);
          });
        } catch (err) {
          this.log.warn({ err }, "docker event stream failed; reconnecting");
        }
        // A lost stream is covered by the periodic resync; this only keeps updates prompt.
        if (!stopped) await sleep(1000);
      }
    };
    void connect();
    return () => {
      stopped = true;
      current?.destroy?.();
    };
  }

  async exec(ref: string, spec: ExecSpec, output: ExecOutput): Promise<ExecHandle> {
    const exec = await this.docker.getContainer(ref).exec({
      Cmd: spec.cmd,
      WorkingDir: spec.workdir,
      AttachStdin: spec.stdin !== undefined,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    const stream = (await exec.start({ hijack: true, stdin: spec.stdin !== undefined })) as Duplex;
    this.docker.modem.demuxStream(stream, sink(output.onStdout), sink(output.onStderr));
    const ended = new Promise<void>((resolve) => {
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", resolve);
    });
    if (spec.stdin !== undefined) stream.end(spec.stdin);
    const done = ended.then(() => this.exitCodeOf(exec.id));
    return { id: exec.id, done, detach: () => stream.destroy() };
  }

  /** The stream can end a moment before Docker records the exit code, so poll briefly. */
  private async exitCodeOf(execId: string): Promise<number | null> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const status = await this.inspectExec(execId);
      if (!status) return null;
      if (!status.running) return status.exitCode;
      await sleep(20);
    }
    return null;
  }

  async inspectExec(execId: string): Promise<ExecStatus | null> {
    try {
      const info = await this.docker.getExec(execId).inspect();
      return { running: info.Running, exitCode: info.ExitCode ?? null };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async kill(ref: string, jobId: string): Promise<void> {
    const handle = await this.exec(ref, { cmd: ["llpm-cancel-job", jobId] }, { onStdout: () => {}, onStderr: () => {} });
    const code = await handle.done;
    if (code !== 0) this.log.warn({ ref, jobId, code }, "llpm-cancel-job did not exit 0");
  }
}
