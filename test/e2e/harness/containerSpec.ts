// Pure mapping: the inputs of a recorded `docker:index/container:Container` (@pulumi/docker 5.2.0)
// → what the Docker Engine API 1.41 needs to create, connect, fill and start that container.
// README.md beside this file has the field-by-field table.
import type { ContainerCreateOptions, HostConfig, MountConfig } from "dockerode";
import { goDurationToNanoseconds } from "./goDuration";
import { type ImageSubstitutions, substituteImage } from "./imageSubstitution";
import {
  asBoolean,
  asLabelMap,
  asNumber,
  asRecord,
  asRecords,
  asString,
  asStringMap,
  asStrings,
  assertKnownFields,
  UnsupportedInputError,
} from "./inputFields";

/** Recorded mock id of a network, volume or image → the name it has on the engine. */
export type References = ReadonlyMap<string, string>;

export interface NetworkAttachment {
  network: string;
  aliases: string[];
  ipv4Address?: string;
}

export interface ContainerUpload {
  /** Absolute path of the file inside the container. */
  file: string;
  content: Buffer;
  mode: number;
}

export interface ContainerSpec {
  create: ContainerCreateOptions;
  /** Docker's create call joins one network; the others are connected before start. */
  extraNetworks: NetworkAttachment[];
  uploads: ContainerUpload[];
  start: boolean;
  /** Seconds `docker stop` waits before KILL on removal (destroyGraceSeconds). */
  stopGraceSeconds?: number;
}

const MEGABYTE = 1024 * 1024;

// Inputs that only steer the provider's own bookkeeping, with no Docker API counterpart. `wait`
// and `mustRun` are honoured by the harness itself (it waits for health, and fails on a dead container).
const PROVIDER_ONLY = ["containerReadRefreshTimeoutMilliseconds", "wait", "waitTimeout", "mustRun", "attach", "logs", "removeVolumes"];

const KNOWN_CONTAINER_FIELDS = [
  ...PROVIDER_ONLY,
  "name", "image", "envs", "labels", "command", "entrypoints", "workingDir", "user", "hostname", "domainname",
  "tty", "stdinOpen", "stopSignal", "stopTimeout", "healthcheck", "mounts", "volumes", "ports", "publishAllPorts",
  "networksAdvanced", "networkMode", "capabilities", "securityOpts", "privileged", "memory", "memorySwap",
  "memoryReservation", "cpuShares", "cpus", "cpuSet", "cpuPeriod", "cpuQuota", "ulimits", "restart", "maxRetryCount",
  "init", "groupAdds", "readOnly", "logDriver", "logOpts", "shmSize", "tmpfs", "sysctls", "dns", "dnsOpts",
  "dnsSearches", "hosts", "ipcMode", "pidMode", "usernsMode", "runtime", "uploads", "start", "rm", "destroyGraceSeconds",
] as const;

export function containerSpec(
  resourceName: string,
  inputs: Record<string, unknown>,
  references: References,
  substitutions: ImageSubstitutions,
): ContainerSpec {
  const where = `Container "${resourceName}"`;
  assertKnownFields(inputs, KNOWN_CONTAINER_FIELDS, where);
  const field = (key: string) => `${where}.${key}`;
  const image = asString(inputs.image, field("image"));
  if (!image) throw new UnsupportedInputError(`${field("image")} is missing`);
  const ports = portBindings(asRecords(inputs.ports, field("ports")), field("ports"));
  const networks = networkAttachments(asRecords(inputs.networksAdvanced, field("networksAdvanced")), references, field("networksAdvanced"));
  const [firstNetwork, ...extraNetworks] = networks;

  const hostConfig: HostConfig = dropUndefined({
    Mounts: asRecords(inputs.mounts, field("mounts")).map((m, i) => mountConfig(m, references, `${field("mounts")}[${i}]`)),
    Binds: asRecords(inputs.volumes, field("volumes")).flatMap((v, i) => bindOf(v, references, `${field("volumes")}[${i}]`)),
    VolumesFrom: asRecords(inputs.volumes, field("volumes")).flatMap((v) => (v.fromContainer ? [String(v.fromContainer)] : [])),
    PortBindings: ports.bindings,
    PublishAllPorts: asBoolean(inputs.publishAllPorts, field("publishAllPorts")),
    NetworkMode: asString(inputs.networkMode, field("networkMode")) ?? firstNetwork?.network,
    CapAdd: capabilityList(inputs.capabilities, "adds", field("capabilities")),
    CapDrop: capabilityList(inputs.capabilities, "drops", field("capabilities")),
    SecurityOpt: asStrings(inputs.securityOpts, field("securityOpts")),
    Privileged: asBoolean(inputs.privileged, field("privileged")),
    Memory: megabytes(asNumber(inputs.memory, field("memory"))),
    MemorySwap: swapBytes(asNumber(inputs.memorySwap, field("memorySwap"))),
    MemoryReservation: megabytes(asNumber(inputs.memoryReservation, field("memoryReservation"))),
    CpuShares: asNumber(inputs.cpuShares, field("cpuShares")),
    NanoCpus: nanoCpus(asString(inputs.cpus, field("cpus")), field("cpus")),
    CpusetCpus: asString(inputs.cpuSet, field("cpuSet")),
    CpuPeriod: asNumber(inputs.cpuPeriod, field("cpuPeriod")),
    CpuQuota: asNumber(inputs.cpuQuota, field("cpuQuota")),
    Ulimits: asRecords(inputs.ulimits, field("ulimits")).map((u, i) => ulimit(u, `${field("ulimits")}[${i}]`)),
    RestartPolicy: restartPolicy(inputs, where),
    Init: asBoolean(inputs.init, field("init")),
    GroupAdd: asStrings(inputs.groupAdds, field("groupAdds")),
    ReadonlyRootfs: asBoolean(inputs.readOnly, field("readOnly")),
    LogConfig: logConfig(inputs, where),
    ShmSize: megabytes(asNumber(inputs.shmSize, field("shmSize"))),
    Tmpfs: asStringMap(inputs.tmpfs, field("tmpfs")),
    Sysctls: asStringMap(inputs.sysctls, field("sysctls")),
    Dns: asStrings(inputs.dns, field("dns")),
    DnsOptions: asStrings(inputs.dnsOpts, field("dnsOpts")),
    DnsSearch: asStrings(inputs.dnsSearches, field("dnsSearches")),
    ExtraHosts: asRecords(inputs.hosts, field("hosts")).map((h, i) => extraHost(h, `${field("hosts")}[${i}]`)),
    IpcMode: asString(inputs.ipcMode, field("ipcMode")),
    PidMode: asString(inputs.pidMode, field("pidMode")),
    UsernsMode: asString(inputs.usernsMode, field("usernsMode")),
    Runtime: asString(inputs.runtime, field("runtime")),
    AutoRemove: asBoolean(inputs.rm, field("rm")),
  });

  const create: ContainerCreateOptions = dropUndefined({
    name: asString(inputs.name, field("name")),
    Image: substituteImage(references.get(image) ?? image, substitutions),
    Env: asStrings(inputs.envs, field("envs")),
    Labels: asLabelMap(inputs.labels, field("labels")),
    Cmd: asStrings(inputs.command, field("command")),
    Entrypoint: asStrings(inputs.entrypoints, field("entrypoints")),
    WorkingDir: asString(inputs.workingDir, field("workingDir")),
    User: asString(inputs.user, field("user")),
    Hostname: asString(inputs.hostname, field("hostname")),
    Domainname: asString(inputs.domainname, field("domainname")),
    Tty: asBoolean(inputs.tty, field("tty")),
    OpenStdin: asBoolean(inputs.stdinOpen, field("stdinOpen")),
    StopSignal: asString(inputs.stopSignal, field("stopSignal")),
    StopTimeout: asNumber(inputs.stopTimeout, field("stopTimeout")),
    Healthcheck: healthcheck(inputs.healthcheck, field("healthcheck")),
    ExposedPorts: ports.exposed,
    HostConfig: hostConfig,
    NetworkingConfig: firstNetwork
      ? { EndpointsConfig: { [firstNetwork.network]: endpointConfig(firstNetwork) } }
      : undefined,
  });

  return {
    create,
    extraNetworks,
    uploads: asRecords(inputs.uploads, field("uploads")).map((u, i) => upload(u, `${field("uploads")}[${i}]`)),
    start: asBoolean(inputs.start, field("start")) ?? true,
    stopGraceSeconds: asNumber(inputs.destroyGraceSeconds, field("destroyGraceSeconds")),
  };
}

export function endpointConfig(attachment: NetworkAttachment) {
  return dropUndefined({
    Aliases: attachment.aliases,
    IPAMConfig: attachment.ipv4Address ? { IPv4Address: attachment.ipv4Address } : undefined,
  });
}

function healthcheck(value: unknown, where: string): ContainerCreateOptions["Healthcheck"] {
  if (value === undefined) return undefined;
  const check = asRecord(value, where);
  assertKnownFields(check, ["tests", "interval", "timeout", "retries", "startPeriod", "startInterval"], where);
  const nanoseconds = (key: string) => {
    const duration = asString(check[key], `${where}.${key}`);
    return duration === undefined ? undefined : goDurationToNanoseconds(duration);
  };
  return dropUndefined({
    Test: asStrings(check.tests, `${where}.tests`),
    Interval: nanoseconds("interval"),
    Timeout: nanoseconds("timeout"),
    Retries: asNumber(check.retries, `${where}.retries`),
    StartPeriod: nanoseconds("startPeriod"),
    StartInterval: nanoseconds("startInterval"),
  });
}

function mountConfig(mount: Record<string, unknown>, references: References, where: string): MountConfig[number] {
  assertKnownFields(mount, ["type", "source", "target", "readOnly", "bindOptions", "volumeOptions", "tmpfsOptions"], where);
  const type = asString(mount.type, `${where}.type`);
  if (type !== "bind" && type !== "volume" && type !== "tmpfs") {
    throw new UnsupportedInputError(`${where}.type: "${type}" is not one of bind, volume, tmpfs`);
  }
  const source = asString(mount.source, `${where}.source`);
  return dropUndefined({
    Type: type,
    // Docker reads an empty Source as none (a tmpfs mount has none).
    Source: source === undefined ? "" : (references.get(source) ?? source),
    Target: asString(mount.target, `${where}.target`) as string,
    ReadOnly: asBoolean(mount.readOnly, `${where}.readOnly`),
    BindOptions: bindOptions(mount.bindOptions, `${where}.bindOptions`),
    VolumeOptions: volumeOptions(mount.volumeOptions, `${where}.volumeOptions`),
    TmpfsOptions: tmpfsOptions(mount.tmpfsOptions, `${where}.tmpfsOptions`),
  });
}

function bindOptions(value: unknown, where: string) {
  if (value === undefined) return undefined;
  const options = asRecord(value, where);
  assertKnownFields(options, ["propagation"], where);
  return { Propagation: asString(options.propagation, `${where}.propagation`) as "private" };
}

function volumeOptions(value: unknown, where: string) {
  if (value === undefined) return undefined;
  const options = asRecord(value, where);
  assertKnownFields(options, ["noCopy", "labels", "driverName", "driverOptions"], where);
  // @types/dockerode marks these required; Docker itself takes each as optional.
  return {
    NoCopy: asBoolean(options.noCopy, `${where}.noCopy`) ?? false,
    Labels: asLabelMap(options.labels, `${where}.labels`) ?? {},
    DriverConfig: {
      Name: asString(options.driverName, `${where}.driverName`) ?? "local",
      Options: asStringMap(options.driverOptions, `${where}.driverOptions`) ?? {},
    },
  };
}

function tmpfsOptions(value: unknown, where: string) {
  if (value === undefined) return undefined;
  const options = asRecord(value, where);
  assertKnownFields(options, ["sizeBytes", "mode"], where);
  // @types/dockerode marks both required; Docker takes each as optional.
  return dropUndefined({
    SizeBytes: asNumber(options.sizeBytes, `${where}.sizeBytes`),
    Mode: asNumber(options.mode, `${where}.mode`),
  }) as { SizeBytes: number; Mode: number };
}

function bindOf(volume: Record<string, unknown>, references: References, where: string): string[] {
  assertKnownFields(volume, ["hostPath", "volumeName", "containerPath", "readOnly", "fromContainer"], where);
  if (volume.fromContainer !== undefined) return [];
  const source = asString(volume.hostPath, `${where}.hostPath`) ?? asString(volume.volumeName, `${where}.volumeName`);
  const target = asString(volume.containerPath, `${where}.containerPath`);
  if (!source || !target) throw new UnsupportedInputError(`${where}: needs containerPath and hostPath or volumeName`);
  const mode = asBoolean(volume.readOnly, `${where}.readOnly`) ? ":ro" : "";
  return [`${references.get(source) ?? source}:${target}${mode}`];
}

function portBindings(ports: Record<string, unknown>[], where: string) {
  if (ports.length === 0) return { exposed: undefined, bindings: undefined };
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  ports.forEach((port, i) => {
    assertKnownFields(port, ["internal", "external", "ip", "protocol"], `${where}[${i}]`);
    const internal = asNumber(port.internal, `${where}[${i}].internal`);
    const external = asNumber(port.external, `${where}[${i}].external`);
    const key = `${internal}/${asString(port.protocol, `${where}[${i}].protocol`) ?? "tcp"}`;
    exposed[key] = {};
    // The provider binds 0.0.0.0 when no ip is given, as `docker run -p` does.
    (bindings[key] ??= []).push({
      HostIp: asString(port.ip, `${where}[${i}].ip`) ?? "0.0.0.0",
      HostPort: external === undefined ? "" : String(external),
    });
  });
  return { exposed, bindings };
}

function networkAttachments(networks: Record<string, unknown>[], references: References, where: string): NetworkAttachment[] {
  return networks.map((network, i) => {
    assertKnownFields(network, ["name", "aliases", "ipv4Address"], `${where}[${i}]`);
    const name = asString(network.name, `${where}[${i}].name`) as string;
    return dropUndefined({
      network: references.get(name) ?? name,
      aliases: asStrings(network.aliases, `${where}[${i}].aliases`) ?? [],
      ipv4Address: asString(network.ipv4Address, `${where}[${i}].ipv4Address`),
    });
  });
}

function capabilityList(value: unknown, key: "adds" | "drops", where: string): string[] | undefined {
  if (value === undefined) return undefined;
  const capabilities = asRecord(value, where);
  assertKnownFields(capabilities, ["adds", "drops"], where);
  return asStrings(capabilities[key], `${where}.${key}`);
}

function ulimit(limit: Record<string, unknown>, where: string) {
  assertKnownFields(limit, ["name", "soft", "hard"], where);
  return {
    Name: asString(limit.name, `${where}.name`) as string,
    Soft: asNumber(limit.soft, `${where}.soft`) as number,
    Hard: asNumber(limit.hard, `${where}.hard`) as number,
  };
}

function restartPolicy(inputs: Record<string, unknown>, where: string): HostConfig["RestartPolicy"] {
  const name = asString(inputs.restart, `${where}.restart`);
  if (name === undefined) return undefined;
  return dropUndefined({ Name: name, MaximumRetryCount: asNumber(inputs.maxRetryCount, `${where}.maxRetryCount`) });
}

function logConfig(inputs: Record<string, unknown>, where: string): HostConfig["LogConfig"] {
  const type = asString(inputs.logDriver, `${where}.logDriver`);
  const config = asStringMap(inputs.logOpts, `${where}.logOpts`);
  if (type === undefined && config === undefined) return undefined;
  return { Type: (type ?? "json-file") as "json-file", Config: config ?? {} };
}

function extraHost(host: Record<string, unknown>, where: string): string {
  assertKnownFields(host, ["host", "ip"], where);
  return `${asString(host.host, `${where}.host`)}:${asString(host.ip, `${where}.ip`)}`;
}

function upload(item: Record<string, unknown>, where: string): ContainerUpload {
  assertKnownFields(item, ["file", "content", "contentBase64", "source", "sourceHash", "executable", "permissions"], where);
  const file = asString(item.file, `${where}.file`) as string;
  const content = asString(item.content, `${where}.content`);
  const base64 = asString(item.contentBase64, `${where}.contentBase64`);
  const source = asString(item.source, `${where}.source`);
  if ([content, base64, source].filter((v) => v !== undefined).length !== 1) {
    throw new UnsupportedInputError(`${where}: exactly one of content, contentBase64, source must be set`);
  }
  if (source !== undefined) {
    throw new UnsupportedInputError(`${where}.source: uploads from host files are not mapped yet; use content`);
  }
  const permissions = asString(item.permissions, `${where}.permissions`);
  const executable = asBoolean(item.executable, `${where}.executable`);
  return {
    file,
    content: content !== undefined ? Buffer.from(content, "utf8") : Buffer.from(base64 as string, "base64"),
    // The provider writes 0644 unless told otherwise; `executable` means 0755.
    mode: permissions !== undefined ? parseInt(permissions, 8) : executable ? 0o755 : 0o644,
  };
}

function megabytes(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * MEGABYTE;
}

function swapBytes(value: number | undefined): number | undefined {
  return value === undefined || value < 0 ? value : value * MEGABYTE;
}

function nanoCpus(value: string | undefined, where: string): number | undefined {
  if (value === undefined) return undefined;
  const cpus = Number(value);
  if (!Number.isFinite(cpus) || cpus <= 0) throw new UnsupportedInputError(`${where}: "${value}" is not a CPU count`);
  return Math.round(cpus * 1e9);
}

/** Leaves out what the program did not set, so Docker applies its own default. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
