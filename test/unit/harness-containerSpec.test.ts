import { expect } from "chai";
import { containerSpec } from "../e2e/harness/containerSpec";
import { UnsupportedInputError } from "../e2e/harness/inputFields";

const substitutions = { postgres: "llpm-local/postgres:15-bookworm" };
const noReferences = new Map<string, string>();

// Shaped like what the program declares for one agent, as recorded under Pulumi mocks.
const agentInputs = {
  name: "llpm-dev-claude-code-1",
  image: "llpm-dev/claude-code:latest",
  envs: ["LLPM_AGENT_ID=claude-code-1", "LLPM_STACK=dev"],
  labels: [
    { label: "llpm.stack", value: "dev" },
    { label: "llpm.role", value: "agent" },
  ],
  user: "1000:1000",
  capabilities: { drops: ["ALL"] },
  securityOpts: ["no-new-privileges:true"],
  memory: 2048,
  ulimits: [{ name: "nproc", soft: 4096, hard: 4096 }],
  init: true,
  restart: "unless-stopped",
  healthcheck: { tests: ["CMD", "llpm-healthcheck"], interval: "30s", timeout: "10s", retries: 3, startPeriod: "1m30s" },
  mounts: [{ type: "bind", source: "/home/u/ws/claude-code-1", target: "/workspace" }],
  ports: [{ internal: 1455, external: 1455, ip: "127.0.0.1" }],
  networksAdvanced: [{ name: "llpm-dev-net", aliases: ["claude-code-1"] }],
};

describe("e2e harness: container inputs → Docker create options", () => {
  it("maps every field an agent container declares", () => {
    const spec = containerSpec("agent", agentInputs, noReferences, substitutions);
    expect(spec.create).to.deep.include({
      name: "llpm-dev-claude-code-1",
      Image: "llpm-dev/claude-code:latest",
      Env: ["LLPM_AGENT_ID=claude-code-1", "LLPM_STACK=dev"],
      Labels: { "llpm.stack": "dev", "llpm.role": "agent" },
      User: "1000:1000",
      ExposedPorts: { "1455/tcp": {} },
    });
    expect(spec.create.Healthcheck).to.deep.equal({
      Test: ["CMD", "llpm-healthcheck"],
      Interval: 30e9,
      Timeout: 10e9,
      Retries: 3,
      StartPeriod: 90e9,
    });
    expect(spec.create.HostConfig).to.deep.include({
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges:true"],
      Memory: 2048 * 1024 * 1024,
      Ulimits: [{ Name: "nproc", Soft: 4096, Hard: 4096 }],
      Init: true,
      RestartPolicy: { Name: "unless-stopped" },
      NetworkMode: "llpm-dev-net",
      PortBindings: { "1455/tcp": [{ HostIp: "127.0.0.1", HostPort: "1455" }] },
      Mounts: [{ Type: "bind", Source: "/home/u/ws/claude-code-1", Target: "/workspace" }],
    });
    expect(spec.create.NetworkingConfig).to.deep.equal({ EndpointsConfig: { "llpm-dev-net": { Aliases: ["claude-code-1"] } } });
    expect(spec.start).to.equal(true);
  });

  it("fails naming the field when the program uses one the harness does not map", () => {
    expect(() => containerSpec("agent", { ...agentInputs, gpus: "all" }, noReferences, substitutions))
      .to.throw(UnsupportedInputError, /Container "agent".*"gpus"/);
  });

  it("fails on an unknown field nested inside a known one", () => {
    const inputs = { ...agentInputs, healthcheck: { tests: ["CMD", "true"], startPeriodJitter: "1s" } };
    expect(() => containerSpec("agent", inputs, noReferences, substitutions)).to.throw(/healthcheck.*"startPeriodJitter"/);
  });

  it("binds published ports to 0.0.0.0 when no ip is given, as the provider does", () => {
    const spec = containerSpec("broker", { image: "b", ports: [{ internal: 3010, external: 3010 }] }, noReferences, substitutions);
    expect(spec.create.HostConfig?.PortBindings).to.deep.equal({ "3010/tcp": [{ HostIp: "0.0.0.0", HostPort: "3010" }] });
  });

  it("swaps a pulled image for its local stand-in and resolves references by mock id", () => {
    const references = new Map([["net-id", "llpm-e2e1-net"], ["vol-id", "llpm-e2e1-pgdata"]]);
    const spec = containerSpec(
      "postgres",
      {
        image: "postgres:16.4-bookworm",
        networksAdvanced: [{ name: "net-id", aliases: ["postgres"] }, { name: "other-net" }],
        mounts: [{ type: "volume", source: "vol-id", target: "/var/lib/postgresql/data" }],
        volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: true }],
      },
      references,
      substitutions,
    );
    expect(spec.create.Image).to.equal("llpm-local/postgres:15-bookworm");
    expect(spec.create.HostConfig?.NetworkMode).to.equal("llpm-e2e1-net");
    expect(spec.create.HostConfig?.Mounts?.[0].Source).to.equal("llpm-e2e1-pgdata");
    expect(spec.create.HostConfig?.Binds).to.deep.equal(["/var/run/docker.sock:/var/run/docker.sock:ro"]);
    expect(spec.extraNetworks).to.deep.equal([{ network: "other-net", aliases: [] }]);
  });

  it("turns uploads into files with their content and mode", () => {
    const spec = containerSpec(
      "litellm",
      {
        image: "x",
        command: ["--config", "/app/config.yaml", "--port", "4000"],
        uploads: [
          { file: "/app/config.yaml", content: "model_list: []\n" },
          { file: "/app/run.sh", contentBase64: Buffer.from("#!/bin/sh\n").toString("base64"), executable: true },
          { file: "/app/secret", content: "s", permissions: "0600" },
        ],
      },
      noReferences,
      substitutions,
    );
    expect(spec.create.Cmd).to.deep.equal(["--config", "/app/config.yaml", "--port", "4000"]);
    expect(spec.uploads.map((u) => [u.file, u.content.toString(), u.mode])).to.deep.equal([
      ["/app/config.yaml", "model_list: []\n", 0o644],
      ["/app/run.sh", "#!/bin/sh\n", 0o755],
      ["/app/secret", "s", 0o600],
    ]);
  });

  it("refuses an upload that names no content", () => {
    expect(() => containerSpec("c", { image: "x", uploads: [{ file: "/a" }] }, noReferences, substitutions)).to.throw(/exactly one of content/);
  });

  it("maps restart retries, cpus, read-only root, group adds and log options", () => {
    const spec = containerSpec(
      "c",
      { image: "x", restart: "on-failure", maxRetryCount: 3, cpus: "1.5", readOnly: true, groupAdds: ["999"], logDriver: "json-file", logOpts: { "max-size": "10m" }, destroyGraceSeconds: 5 },
      noReferences,
      substitutions,
    );
    expect(spec.create.HostConfig).to.deep.include({
      RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 },
      NanoCpus: 1.5e9,
      ReadonlyRootfs: true,
      GroupAdd: ["999"],
      LogConfig: { Type: "json-file", Config: { "max-size": "10m" } },
    });
    expect(spec.stopGraceSeconds).to.equal(5);
  });

  it("creates but does not start a container declared with start: false", () => {
    expect(containerSpec("c", { image: "x", start: false }, noReferences, substitutions).start).to.equal(false);
  });
});
