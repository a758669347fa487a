/**
 * What the Docker API filter costs the broker. Against the real engine, on one fake agent, each
 * figure is measured direct on the engine's socket and through the filter (the production proxy,
 * in this process, on its own socket), interleaved in the same run:
 *   - an exec as the broker runs one: create, start (hijacked, stdin closed), output read, inspect
 *   - a container list (what discovery does) and an inspect
 * Rerun: npm run bench:docker-filter   (BENCH_SAMPLES tunes the count, default 100)
 */
import Docker from "dockerode";
import { PassThrough, type Duplex } from "node:stream";
import { LABEL } from "../src/agents/labels";
import { dockerClient, parseEndpoint } from "../src/runtime/docker/dockerEndpoint";
import { startDockerFilter } from "../../test/broker/support/dockerFilter";
import { TestFleet } from "../../test/broker/support/testFleet";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function execOnce(docker: Docker, container: string): Promise<void> {
  const exec = await docker.getContainer(container).exec({ Cmd: ["true"], AttachStdin: true, AttachStdout: true, AttachStderr: true, WorkingDir: "/workspace" });
  const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
  docker.modem.demuxStream(stream, new PassThrough().resume(), new PassThrough().resume());
  const ended = new Promise((resolve) => stream.on("end", resolve).on("close", resolve));
  stream.end();
  await ended;
  await exec.inspect();
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const fleet = new TestFleet();
  await fleet.prepare();
  const filter = await startDockerFilter(fleet.stack);
  try {
    await fleet.startAgent("aider", 1, { noHealthcheck: true });
    const name = fleet.containerName("aider-1");
    const direct = new Docker({ socketPath: "/var/run/docker.sock" });
    const filtered = dockerClient(parseEndpoint(filter.dockerHost) ?? undefined);
    const calls: Record<string, (d: Docker) => Promise<unknown>> = {
      "exec (create, start with stdin, stream, inspect)": (d) => execOnce(d, name),
      "list the stack's agents": (d) => d.listContainers({ all: true, filters: { label: [`${LABEL.stack}=${fleet.stack}`] } }),
      "inspect an agent": (d) => d.getContainer(name).inspect(),
    };
    for (const [what, call] of Object.entries(calls)) {
      for (let i = 0; i < 5; i++) await Promise.all([call(direct), call(filtered)]);
      const samples = { direct: [] as number[], filtered: [] as number[] };
      for (let i = 0; i < SAMPLES; i++) {
        samples.direct.push(await time(() => call(direct)));
        samples.filtered.push(await time(() => call(filtered)));
      }
      const p50 = { direct: pct(samples.direct, 50), filtered: pct(samples.filtered, 50) };
      process.stdout.write(
        `${what} (${SAMPLES} samples): direct p50 ${p50.direct.toFixed(2)} ms, p95 ${pct(samples.direct, 95).toFixed(2)} ms; ` +
          `through the filter p50 ${p50.filtered.toFixed(2)} ms, p95 ${pct(samples.filtered, 95).toFixed(2)} ms; ` +
          `p50 +${(p50.filtered - p50.direct).toFixed(2)} ms (${(p50.filtered / p50.direct).toFixed(2)}x)\n`,
      );
    }
    process.stdout.write("Rerun: npm run bench:docker-filter\n");
  } finally {
    await filter.stop();
    await fleet.cleanup();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
