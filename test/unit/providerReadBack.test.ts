import { expect } from "chai";
import { canonicalCapability, canonicalCpus, memoryWithoutSwap } from "../../backends/docker/providerReadBack";

describe("container inputs in the docker provider's read-back form", () => {
  it("cpus: a decimal with at least one fractional digit, as read from NanoCPUs", () => {
    const cases: [number, string][] = [
      [0.5, "0.5"],
      [1, "1.0"],
      [1.5, "1.5"],
      [2, "2.0"],
      [2.25, "2.25"],
      [16, "16.0"],
      [0.1, "0.1"],
      [0.000000001, "0.000000001"],
    ];
    for (const [cpus, expected] of cases) expect(canonicalCpus(cpus), String(cpus)).to.equal(expected);
  });

  it("cpus: refuses what Docker cannot hold, naming the value", () => {
    for (const bad of [0, -1, Number.NaN, Infinity, 0.0000000001, 1.0000000005]) {
      expect(() => canonicalCpus(bad), String(bad)).to.throw(`cpus must be a positive number with at most 9 decimals; got ${bad}`);
    }
  });

  it("memory: swap said explicitly, equal to memory", () => {
    expect(memoryWithoutSwap(1024)).to.deep.equal({ memory: 1024, memorySwap: 1024 });
  });

  it("capabilities: with the CAP_ prefix Docker stores, ALL as it is", () => {
    expect(["CHOWN", "cap_setuid", "CAP_FOWNER", "ALL"].map(canonicalCapability)).to.deep.equal(["CAP_CHOWN", "CAP_SETUID", "CAP_FOWNER", "ALL"]);
  });
});
