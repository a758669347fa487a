import { Exec, type KubeConfig, type V1Status } from "@kubernetes/client-node";
import { Readable, Writable } from "node:stream";
import type { ExecSinks, RunningExec } from "../execAgentRuntime";
import { WORKSPACE_DIR } from "../../../../contract/workspace";

/**
 * An exec's final status as an exit code: `Success` is 0, a `NonZeroExitCode` failure carries its
 * code in the details; anything else (the container went away, the exec could not start) has none.
 */
export function exitCodeOfStatus(status: V1Status | null): number | null {
  if (!status) return null;
  if (status.status === "Success") return 0;
  const code = status.details?.causes?.find((c) => c.reason === "ExitCode")?.message;
  return code !== undefined && /^\d+$/.test(code) ? Number(code) : null;
}

/** What a failed exec says: the WebSocket's error event or status carries a message, not an Error. */
export function describeExecError(err: unknown): string {
  if (err instanceof Error) return err.message;
  const message = (err as { message?: unknown; error?: { message?: unknown } } | null)?.message ?? (err as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === "string" && message ? message : JSON.stringify(err) ?? String(err);
}

function sink(write: (chunk: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      write(chunk);
      cb();
    },
  });
}

/**
 * Runs commands in pods through the API's exec (a WebSocket to the kubelet via the API server).
 * The API has no working-directory option, so commands run under `env --chdir=/workspace`: the
 * same place Docker's exec `WorkingDir` puts them, with no shell in between.
 */
export class PodExec {
  private readonly exec: Exec;

  constructor(
    kc: KubeConfig,
    private readonly namespace: string,
  ) {
    this.exec = new Exec(kc);
  }

  async run(pod: string, container: string, cmd: string[], stdin: string | undefined, sinks: ExecSinks): Promise<RunningExec> {
    let status: V1Status | null = null;
    const input = stdin === undefined ? null : Readable.from([Buffer.from(stdin)]);
    const ws = await this.exec
      .exec(
        this.namespace,
        pod,
        container,
        ["env", `--chdir=${WORKSPACE_DIR}`, ...cmd],
        sink((c) => sinks.stdout(c)),
        sink((c) => sinks.stderr(c)),
        input,
        false,
        (s) => {
          status = s;
          // A failure without an exit code (the container is gone, say) explains itself here.
          if (exitCodeOfStatus(s) === null && s.message) sinks.stderr(Buffer.from(s.message));
        },
      )
      // The client rejects with the WebSocket's error event, not an Error: keep what it says.
      .catch((err: unknown) => {
        throw new Error(`exec in pod ${pod} failed: ${describeExecError(err)}`);
      });
    let detached = false;
    const done = new Promise<number | null>((resolve) => {
      ws.on("close", () => resolve(detached ? null : exitCodeOfStatus(status)));
      ws.on("error", (err: Error) => {
        sinks.stderr(Buffer.from(`exec stream failed: ${err.message}`));
        resolve(null);
      });
    });
    return {
      done,
      detach: () => {
        detached = true;
        ws.close();
      },
    };
  }
}
