import { expect } from "chai";
import type Docker from "dockerode";
import { cpusFromNanoCpus, goDurationString, readBackDifferences } from "../e2e/harness/readBack";
import type { RecordedResource } from "../e2e/harness/recordedResource";
import { canonicalCpus } from "../../backends/docker/providerReadBack";

const MIB = 1024 * 1024;

/** What Docker 20.10 reports for a container created with `memory` only and `cpus` "2". */
function inspected(over: Partial<{ Memory: number; MemorySwap: number; NanoCpus: number; CapAdd: string[] }> = {}): Docker.ContainerInspectInfo {
  return {
    Name: "/llpm-dev-aider-1",
    Config: { Hostname: "aider-1", User: "1000:1000", Healthcheck: { Test: ["CMD", "llpm-healthcheck"], Interval: 2e9, Timeout: 10e9, StartPeriod: 60e9, Retries: 3 } },
    HostConfig: { Memory: 4096 * MIB, MemorySwap: 8192 * MIB, NanoCpus: 2e9, CapDrop: ["ALL"], CapAdd: null, ...over },
    NetworkSettings: { Ports: {} },
  } as unknown as Docker.ContainerInspectInfo;
}
const recorded = (inputs: Record<string, unknown>): RecordedResource => ({ type: "docker:index/container:Container", name: "agent-aider-1", id: "x", inputs }) as RecordedResource;

describe("e2e harness: the docker provider's read-back guard", () => {
  it("formats Go durations and cpus as the provider reads them", () => {
    expect([2e9, 30e9, 60e9, 90e9, 3600e9, 5e8, 0].map(goDurationString)).to.deep.equal(["2s", "30s", "1m0s", "1m30s", "1h0m0s", "500ms", "0s"]);
    for (const cpus of [0.5, 1, 1.5, 2, 2.25, 16]) expect(cpusFromNanoCpus(cpus * 1e9)).to.equal(canonicalCpus(cpus));
  });

  it("finds what the real engine showed: cpus \"2\" read as \"2.0\", and the swap Docker added", () => {
    const differences = readBackDifferences(recorded({ name: "llpm-dev-aider-1", memory: 4096, cpus: "2" }), inspected(), new Map());
    expect(differences.map((d) => [d.field, d.input, d.readBack])).to.deep.equal([
      ["cpus", "2", "2.0"],
      ["memorySwap", undefined, 8192],
    ]);
  });

  it("is empty for canonical inputs, and finds a capability Docker stored with its CAP_ prefix", () => {
    const inputs = {
      name: "llpm-dev-aider-1",
      hostname: "aider-1",
      memory: 4096,
      memorySwap: 4096,
      cpus: "2.0",
      healthcheck: { tests: ["CMD", "llpm-healthcheck"], interval: "2s", timeout: "10s", startPeriod: "1m0s", retries: 3 },
      capabilities: { drops: ["ALL"] },
      envs: ["A=b"],
    };
    expect(readBackDifferences(recorded(inputs), inspected({ MemorySwap: 4096 * MIB }), new Map())).to.deep.equal([]);
    const withAdd = readBackDifferences(recorded({ capabilities: { drops: ["ALL"], adds: ["CHOWN"] } }), inspected({ CapAdd: ["CAP_CHOWN"] }), new Map());
    expect(withAdd.map((d) => d.field)).to.deep.equal(["capabilities"]);
  });

  it("refuses an input it has no read-back rule for, naming it", () => {
    expect(() => readBackDifferences(recorded({ gpus: "all" }), inspected(), new Map())).to.throw('no rule for input "gpus"');
  });

  it("reads a tmpfs mount back with no source and Docker's zero mode, and a changed size as a difference", () => {
    const docker = (sizeBytes: number) =>
      ({
        ...inspected(),
        HostConfig: { ...inspected().HostConfig, Mounts: [{ Type: "tmpfs", Source: "", Target: "/tmp", TmpfsOptions: { SizeBytes: sizeBytes } }] },
      }) as unknown as Docker.ContainerInspectInfo;
    const inputs = { mounts: [{ type: "tmpfs", target: "/tmp", tmpfsOptions: { sizeBytes: 16 * MIB } }] };
    expect(readBackDifferences(recorded(inputs), docker(16 * MIB), new Map())).to.deep.equal([]);
    expect(readBackDifferences(recorded(inputs), docker(8 * MIB), new Map()).map((d) => d.field)).to.deep.equal(["mounts"]);
  });
});
