// What every agent image inherits from images/base: the user, the defaults Docker runs, the
// extra CAs, the toolchain self-test, and a healthcheck that notices a missing toolchain binary.
import { expect } from "chai";
import Docker from "dockerode";
import { AGENT_UID, BASE_CONTEXT, TEST_TOOLCHAINS, baseBuildArgs, buildAgent, buildBase, buildImage, imageTag } from "./support/image-builds";
import { docker } from "./support/docker-cli";

const HARDENED = ["--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--network", "none"];

describe("base image", function () {
  this.timeout(15 * 60_000);
  before(async () => {
    await buildBase();
    await buildAgent("claude-code");
  });

  it("runs as the non-root agent user, in /workspace, with the healthcheck and the idling entrypoint", async () => {
    const config = (await new Docker().getImage(imageTag("base")).inspect()).Config;
    expect(config.User).to.equal("agent");
    expect(config.WorkingDir).to.equal("/workspace");
    expect(config.Cmd).to.deep.equal(["llpm-entrypoint"]);
    expect(config.Healthcheck?.Test).to.deep.equal(["CMD", "llpm-healthcheck"]);
    const ids = await docker(["run", "--rm", ...HARDENED, imageTag("base"), "sh", "-c", "id -u; id -g; stat -c %u /workspace /home/agent"]);
    expect(ids.stdout.trim().split("\n")).to.deep.equal([String(AGENT_UID), String(AGENT_UID), String(AGENT_UID), String(AGENT_UID)]);
  });

  it("trusts the extra CA certificates given at build time, and points Node, Python and OpenSSL at them", async () => {
    const script = [
      "set -e",
      "for cert in /usr/local/share/ca-certificates/llpm-extra/*.crt; do",
      '  body="$(sed -n "2,3p" "$cert")"',
      '  grep -qF "$body" /etc/ssl/certs/ca-certificates.crt',
      "done",
      'echo "$NODE_EXTRA_CA_CERTS $SSL_CERT_FILE $REQUESTS_CA_BUNDLE"',
    ].join("\n");
    const result = await docker(["run", "--rm", ...HARDENED, imageTag("base"), "bash", "-c", script]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout.trim()).to.equal(Array(3).fill("/etc/ssl/certs/ca-certificates.crt").join(" "));
    const count = await docker(["run", "--rm", ...HARDENED, imageTag("base"), "bash", "-c", "ls /usr/local/share/ca-certificates/llpm-extra | wc -l"]);
    expect(Number(count.stdout.trim())).to.be.greaterThan(0);
  });

  it("llpm-selftest compiles and runs a hello-world in each selected toolchain", async () => {
    const result = await docker(["run", "--rm", ...HARDENED, imageTag("base"), "llpm-selftest"], { timeoutMs: 300_000 });
    expect(result.code, result.stdout).to.equal(0);
    for (const toolchain of TEST_TOOLCHAINS.split(",")) expect(result.stdout).to.match(new RegExp(`^ok\\s+${toolchain}$`, "m"));
  });

  it("llpm-healthcheck fails, naming it, when a selected toolchain's binary is missing", async () => {
    const script = "rm /usr/local/bin/ruff && su agent -s /bin/sh -c llpm-healthcheck";
    // Root only to delete the binary; the check itself runs as the agent.
    const result = await docker(["run", "--rm", "--user", "0", "--network", "none", imageTag("claude-code"), "sh", "-c", script]);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include("python toolchain lacks 'ruff'");
  });

  it("llpm-healthcheck needs the entrypoint's full check (the CLI answers --version) to have passed, then runs no CLI", async () => {
    const before = await docker(["run", "--rm", ...HARDENED, imageTag("claude-code"), "llpm-healthcheck"]);
    expect(before.code).to.equal(1);
    expect(before.stdout).to.include("start-up check (llpm-healthcheck --full, run by llpm-entrypoint) has not passed");
    const script = "llpm-healthcheck --full && cat /tmp/llpm-ready && llpm-healthcheck && echo cheap-ok";
    const after = await docker(["run", "--rm", ...HARDENED, imageTag("claude-code"), "sh", "-c", script]);
    expect(after.code, after.stdout).to.equal(0);
    expect(after.stdout).to.equal("claude\ncheap-ok\n");
    const config = (await new Docker().getImage(imageTag("base")).inspect()).Config;
    expect(config.Healthcheck?.Interval, "a 2 s interval").to.equal(2e9);
  });

  it("refuses to build with uid 0 for the agent user", async () => {
    let failure: unknown;
    try {
      await buildImage(BASE_CONTEXT, imageTag("base-uid0"), { ...baseBuildArgs(), AGENT_UID: "0" });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include("AGENT_UID/AGENT_GID must not be 0");
  });
});
