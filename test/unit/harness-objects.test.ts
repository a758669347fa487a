import { expect } from "chai";
import { goDurationToNanoseconds } from "../e2e/harness/goDuration";
import { demultiplex, readiness } from "../e2e/harness/health";
import { networkSpec } from "../e2e/harness/networkSpec";
import { volumeSpec } from "../e2e/harness/volumeSpec";
import type Docker from "dockerode";

describe("e2e harness: networks, volumes, health", () => {
  it("maps a network, naming it after the resource when the program gives no name", () => {
    expect(networkSpec("fleet-net", { labels: [{ label: "llpm.stack", value: "dev" }] })).to.deep.include({
      Name: "fleet-net",
      Driver: "bridge",
      Internal: false,
      Labels: { "llpm.stack": "dev" },
    });
    expect(() => networkSpec("n", { ipamConfigs: [] })).to.throw(/"ipamConfigs"/);
  });

  it("maps a volume", () => {
    expect(volumeSpec("pg", { name: "llpm-dev-pgdata", labels: [{ label: "llpm.role", value: "postgres" }] })).to.deep.equal({
      Name: "llpm-dev-pgdata",
      Driver: "local",
      DriverOpts: {},
      Labels: { "llpm.role": "postgres" },
    });
  });

  it("parses Go durations into nanoseconds", () => {
    expect(goDurationToNanoseconds("30s")).to.equal(30e9);
    expect(goDurationToNanoseconds("1m30s")).to.equal(90e9);
    expect(goDurationToNanoseconds("500ms")).to.equal(5e8);
    expect(goDurationToNanoseconds("0")).to.equal(0);
    expect(() => goDurationToNanoseconds("30")).to.throw(/not a Go duration/);
    expect(() => goDurationToNanoseconds("")).to.throw(/not a Go duration/);
  });

  it("reads readiness from Docker's state: healthy, running without healthcheck, or dead", () => {
    const state = (s: Partial<Docker.ContainerInspectInfo["State"]>) => s as Docker.ContainerInspectInfo["State"];
    expect(readiness(state({ Status: "running", Running: true }))).to.equal("ready");
    expect(readiness(state({ Status: "running", Running: true, Health: { Status: "starting", FailingStreak: 0, Log: [] } }))).to.equal("waiting");
    expect(readiness(state({ Status: "running", Running: true, Health: { Status: "healthy", FailingStreak: 0, Log: [] } }))).to.equal("ready");
    expect(readiness(state({ Status: "exited", Running: false }))).to.equal("dead");
  });

  it("splits Docker's multiplexed log frames", () => {
    const frame = (stream: number, text: string) => {
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([header, Buffer.from(text)]);
    };
    expect(demultiplex(Buffer.concat([frame(1, "out\n"), frame(2, "err\n")]))).to.equal("out\nerr\n");
  });
});
