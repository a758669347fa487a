import Docker from "dockerode";
import { Writable } from "node:stream";
import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import type { AgentWorkload, WorkloadChange } from "../runtime";
import { ExecAgentRuntime, type ExecSinks, type RunningExec } from "../execAgentRuntime";
import { AGENT_ROLE, LABEL } from "../../../../contract/labels";
import { workloadFromContainer } from "./workloadFromContainer";
import { splitLines } from "./splitLines";
import { WORKSPACE_DIR } from "../../../../contract/workspace";

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

export class DockerRuntime extends ExecAgentRuntime {
  readonly kind = "docker";
  private readonly labelFilters: string[];

  constructor(
    private readonly docker: Docker,
    stack: string,
    log: Logger,
  ) {
    super(log);
    this.labelFilters = [`${LABEL.stack}=${stack}`, `${LABEL.role}=${AGENT_ROLE}`];
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

  protected async exec(ref: string, cmd: string[], stdin: string | undefined, sinks: ExecSinks): Promise<RunningExec> {
    const exec = await this.docker.getContainer(ref).exec({
      Cmd: cmd,
      WorkingDir: WORKSPACE_DIR,
      AttachStdin: stdin !== undefined,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    const stream = (await exec.start({ hijack: true, stdin: stdin !== undefined })) as Duplex;
    this.docker.modem.demuxStream(stream, sink((c) => sinks.stdout(c)), sink((c) => sinks.stderr(c)));
    const ended = new Promise<void>((resolve) => {
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", resolve);
    });
    if (stdin !== undefined) stream.end(stdin);
    let detached = false;
    const done = ended.then(() => (detached ? null : this.exitCodeOf(exec)));
    return {
      done,
      detach: () => {
        detached = true;
        stream.destroy();
      },
    };
  }

  /** The stream can end a moment before Docker records the exit code, so poll briefly. */
  private async exitCodeOf(exec: Docker.Exec): Promise<number | null> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const info = await exec.inspect().catch(() => null);
      if (!info) return null;
      if (!info.Running) return info.ExitCode ?? null;
      await sleep(20);
    }
    return null;
  }
}
