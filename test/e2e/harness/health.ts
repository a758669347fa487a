// Waits until containers are up the way Docker reports it: healthy when they declare a
// healthcheck, running otherwise. A container that exits meanwhile fails the wait at once.
import type Docker from "dockerode";

export type Readiness = "ready" | "waiting" | "dead";

/** Pure: one inspect result → is it ready, still coming up, or gone for good. */
export function readiness(state: Docker.ContainerInspectInfo["State"]): Readiness {
  if (state.Status === "exited" || state.Status === "dead") return "dead";
  if (!state.Running) return "waiting";
  if (!state.Health) return "ready";
  return state.Health.Status === "healthy" ? "ready" : "waiting";
}

export async function waitUntilReady(docker: Docker, names: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...names];
  while (pending.length > 0) {
    const states = await Promise.all(pending.map(async (name) => ({ name, info: await docker.getContainer(name).inspect() })));
    const dead = states.find(({ info }) => readiness(info.State) === "dead");
    if (dead) throw new Error(`${dead.name} exited (${dead.info.State.ExitCode}) before it was ready:\n${await logTail(docker, dead.name)}`);
    pending = states.filter(({ info }) => readiness(info.State) !== "ready").map(({ name }) => name);
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      const details = await Promise.all(states.filter(({ name }) => pending.includes(name)).map(({ name, info }) => describeWait(docker, name, info)));
      throw new Error(`not ready after ${timeoutMs / 1000} s:\n${details.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function describeWait(docker: Docker, name: string, info: Docker.ContainerInspectInfo): Promise<string> {
  const lastCheck = info.State.Health?.Log?.at(-1);
  const check = lastCheck ? ` last healthcheck exit ${lastCheck.ExitCode}: ${lastCheck.Output.trim().slice(-500)}` : "";
  return `- ${name}: ${info.State.Status}, health ${info.State.Health?.Status ?? "none"}.${check}\n${await logTail(docker, name)}`;
}

export async function logTail(docker: Docker, name: string, lines = 30): Promise<string> {
  const raw = await docker.getContainer(name).logs({ stdout: true, stderr: true, tail: lines });
  return demultiplex(raw);
}

/** Docker's non-TTY log stream prefixes each frame with 8 bytes (stream, 0, 0, 0, size32be). */
export function demultiplex(raw: Buffer): string {
  let text = "";
  let at = 0;
  while (at + 8 <= raw.length) {
    const size = raw.readUInt32BE(at + 4);
    text += raw.subarray(at + 8, at + 8 + size).toString("utf8");
    at += 8 + size;
  }
  return text;
}
