// The docker provider's read-back, as a guard: converts what Docker reports for a container the
// way the provider's Read does (README.md, "Read-back"), and diffs it against the inputs the
// program recorded. A field that differs would show as a change on every `pulumi up` (and, for a
// replace-on-change field such as `cpus`, replace the container and kill its running jobs).
import { isDeepStrictEqual } from "node:util";
import type Docker from "dockerode";
import type { References } from "./containerSpec";
import { UnsupportedInputError } from "./inputFields";
import type { RecordedResource } from "./recordedResource";

type Inspect = Docker.ContainerInspectInfo;

export interface ReadBackDifference {
  container: string;
  field: string;
  input: unknown;
  readBack: unknown;
}

const MIB = 1024 * 1024;
const NANO = 1e9;

/** Go's time.Duration.String for whole milliseconds and up: 2s, 1m0s, 1m30s, 1h0m0s, 500ms. */
export function goDurationString(nanoseconds: number): string {
  if (nanoseconds === 0) return "0s";
  if (nanoseconds < NANO) return `${nanoseconds / 1e6}ms`;
  const seconds = nanoseconds / NANO;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Number((seconds % 60).toFixed(9));
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/**
 * `cpus` from NanoCPUs: a decimal with at least one fractional digit ("2.0", "1.5", "0.25").
 * Written apart from the program's canonicalCpus on purpose: this is the provider's side, the
 * check of that one (test/unit/harness-readBack.test.ts compares the two).
 */
export function cpusFromNanoCpus(nanoCpus: number): string {
  const whole = Math.floor(nanoCpus / NANO);
  const fraction = String(nanoCpus % NANO).padStart(9, "0").replace(/0+$/, "");
  return `${whole}.${fraction || "0"}`;
}

const sorted = <T>(items: T[]): T[] => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/**
 * Each field the provider reads back: how it turns Docker's inspect into the provider's value, and
 * the recorded input in the same shape (defaults filled in, sets sorted).
 */
const READ_BACK: Record<string, { read(c: Inspect): unknown; input?(value: unknown, references: References): unknown }> = {
  name: { read: (c) => c.Name.replace(/^\/+/, "") },
  hostname: { read: (c) => c.Config.Hostname },
  user: { read: (c) => c.Config.User },
  workingDir: { read: (c) => c.Config.WorkingDir },
  command: { read: (c) => c.Config.Cmd },
  entrypoints: { read: (c) => c.Config.Entrypoint },
  restart: { read: (c) => c.HostConfig.RestartPolicy?.Name },
  init: { read: (c) => c.HostConfig.Init ?? false },
  privileged: { read: (c) => c.HostConfig.Privileged },
  readOnly: { read: (c) => c.HostConfig.ReadonlyRootfs },
  networkMode: { read: (c) => c.HostConfig.NetworkMode },
  securityOpts: { read: (c) => c.HostConfig.SecurityOpt ?? [] },
  groupAdds: { read: (c) => sorted(c.HostConfig.GroupAdd ?? []), input: (v) => sorted(v as string[]) },
  capabilities: {
    read: (c) => ({ adds: sorted(c.HostConfig.CapAdd ?? []), drops: sorted(c.HostConfig.CapDrop ?? []) }),
    input: (v) => {
      const caps = v as { adds?: string[]; drops?: string[] };
      return { adds: sorted(caps.adds ?? []), drops: sorted(caps.drops ?? []) };
    },
  },
  memory: { read: (c) => (c.HostConfig.Memory ?? 0) / MIB },
  memorySwap: {
    read: (c) => {
      const swap = c.HostConfig.MemorySwap ?? 0;
      return swap > 0 ? swap / MIB : swap;
    },
  },
  cpus: { read: (c) => cpusFromNanoCpus(c.HostConfig.NanoCpus ?? 0) },
  shmSize: { read: (c) => (c.HostConfig.ShmSize ?? 0) / MIB },
  ulimits: {
    read: (c) => sorted((c.HostConfig.Ulimits ?? []).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard }))),
    input: (v) => sorted(v as unknown[]),
  },
  healthcheck: {
    read: (c) => {
      const h = c.Config.Healthcheck as { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } | undefined;
      if (!h) return undefined;
      return {
        tests: h.Test,
        interval: goDurationString(h.Interval ?? 0),
        timeout: goDurationString(h.Timeout ?? 0),
        startPeriod: goDurationString(h.StartPeriod ?? 0),
        retries: h.Retries ?? 0,
      };
    },
    input: (v) => {
      const h = v as Record<string, unknown>;
      return { tests: h.tests, interval: h.interval ?? "0s", timeout: h.timeout ?? "0s", startPeriod: h.startPeriod ?? "0s", retries: h.retries ?? 0 };
    },
  },
  ports: {
    read: (c) =>
      sorted(
        Object.entries(c.NetworkSettings.Ports ?? {}).flatMap(([port, bindings]) =>
          (bindings ?? []).map((b) => ({
            internal: Number(port.split("/")[0]),
            external: Number(b.HostPort),
            ip: b.HostIp,
            protocol: port.split("/")[1],
          })),
        ),
      ),
    input: (v) =>
      sorted(
        (v as Record<string, unknown>[]).map((p) => ({ internal: p.internal, external: p.external, ip: p.ip ?? "0.0.0.0", protocol: p.protocol ?? "tcp" })),
      ),
  },
  mounts: {
    read: (c) =>
      sorted(
        ((c.HostConfig as { Mounts?: { Type: string; Source: string; Target: string; ReadOnly?: boolean }[] }).Mounts ?? []).map((m) => ({
          type: m.Type,
          source: m.Source,
          target: m.Target,
          readOnly: m.ReadOnly ?? false,
        })),
      ),
    // A volume's source is its resource's id in the recording, its name on the engine.
    input: (v, references) =>
      sorted(
        (v as Record<string, unknown>[]).map((m) => ({
          type: m.type,
          source: references.get(m.source as string) ?? m.source,
          target: m.target,
          readOnly: m.readOnly ?? false,
        })),
      ),
  },
};

/**
 * Inputs the provider does not read back, so they cannot differ after `up` (they are compared with
 * the previous inputs only): env and labels (merged with the image's, so the provider skips them),
 * networks (read as computed `network_data`), uploads, and the provider's own bookkeeping; `image`
 * is read as the image id and compared by id, which the harness's local build cannot reproduce.
 */
const NOT_READ = new Set(["image", "envs", "labels", "networksAdvanced", "uploads", "destroyGraceSeconds", "mustRun", "start", "wait", "waitTimeout", "logs", "attach"]);

/**
 * Fields read back that the provider compares even when the program leaves them out: Docker fills
 * them in (`memorySwap` = twice `memory` when only `memory` is given, seen on the real engine).
 */
const COMPUTED_WHEN = { memorySwap: "memory" } as const;

/** The fields of a container's inputs the provider reads back; throws, naming it, on one with no rule. */
export function readBackFields(resource: RecordedResource): string[] {
  const inputs = resource.inputs as Record<string, unknown>;
  const fields = new Set(Object.keys(inputs).filter((k) => inputs[k] !== undefined));
  for (const [field, when] of Object.entries(COMPUTED_WHEN)) if (fields.has(when)) fields.add(field);
  const unknown = [...fields].filter((f) => !NOT_READ.has(f) && !READ_BACK[f]);
  if (unknown.length > 0) {
    throw new UnsupportedInputError(
      `${resource.name}: the read-back guard has no rule for input ${unknown.map((f) => `"${f}"`).join(", ")}; ` +
        "add one to test/e2e/harness/readBack.ts and its README table",
    );
  }
  return [...fields].filter((f) => !NOT_READ.has(f));
}

/** Every difference between one container's recorded inputs and what the provider would read back. */
export function readBackDifferences(resource: RecordedResource, inspect: Inspect, references: References): ReadBackDifference[] {
  const inputs = resource.inputs as Record<string, unknown>;
  const differences: ReadBackDifference[] = [];
  for (const field of readBackFields(resource)) {
    const rule = READ_BACK[field];
    const input = rule.input ? rule.input(inputs[field], references) : inputs[field];
    const readBack = rule.read(inspect);
    if (!isDeepStrictEqual(input, readBack)) differences.push({ container: resource.name, field, input, readBack });
  }
  return differences;
}
