/**
 * scripts/fleet.ts end to end against stand-in `pulumi` and `docker` executables (the real CLI
 * cannot be installed here): they log each call, so the test sees the exact sequence of commands
 * and where secret values travel.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../support/runProgram";

const STAND_IN = `#!/bin/sh
# Logs argv (and stdin for "config set") to $LOG; answers "config --json" with $STACK_CONFIG.
name=$(basename "$0")
echo "$name $*" >> "$LOG"
case "$*" in
  "config --json"*) printf '%s' "$STACK_CONFIG" ;;
  "config set"*) printf '%s stdin=%s\\n' "$name" "$(cat)" >> "$LOG" ;;
  "info"*) [ -n "$DOCKER_DOWN" ] && { echo "Cannot connect to the Docker daemon" >&2; exit 1; } ;;
esac
exit 0
`;

describe("npm run up|preview|destroy|status (scripts/fleet.ts with stand-in CLIs)", () => {
  let dir: string;
  const logFile = () => path.join(dir, "calls.log");

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "llpm-cli-"));
    for (const name of ["pulumi", "docker"]) fs.writeFileSync(path.join(dir, name), STAND_IN, { mode: 0o755 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function fleet(args: string[], env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "scripts/fleet.ts"), ...args], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { PATH: `${dir}:/usr/bin:/bin`, HOME: dir, LOG: logFile(), STACK_CONFIG: "{}", ...env },
    });
    const calls = fs.existsSync(logFile()) ? fs.readFileSync(logFile(), "utf8").trim().split("\n") : [];
    return { status: result.status, stderr: result.stderr, calls };
  }

  it("logs in locally, selects or creates the stack, imports env keys through stdin, then runs pulumi up", () => {
    const { status, calls } = fleet(["up", "--stack", "team", "--yes"], {
      STACK_CONFIG: '{"llpm-fleet:openaiApiKey":{"value":"[secret]","secret":true}}',
      ANTHROPIC_API_KEY: "sk-ant-from-env",
      OPENAI_API_KEY: "sk-openai-ignored",
    });
    expect(status).to.equal(0);
    expect(calls).to.deep.equal([
      "pulumi version",
      "docker info --format {{.ServerVersion}}",
      "pulumi login --local",
      "pulumi stack select --create team",
      "pulumi config --json --stack team",
      "pulumi config set --secret --stack team llpm-fleet:anthropicApiKey",
      "pulumi stdin=sk-ant-from-env",
      "pulumi up --stack team --yes",
    ]);
  });

  it("keeps the chosen backend, and neither creates the stack nor imports anything for destroy", () => {
    const { status, calls } = fleet(["destroy"], { PULUMI_BACKEND_URL: "file:///x", ANTHROPIC_API_KEY: "sk-ant" });
    expect(status).to.equal(0);
    expect(calls.slice(2)).to.deep.equal(["pulumi stack select dev", "pulumi destroy --stack dev"]);
  });

  it("stops with a clear message when no Docker daemon answers", () => {
    const { status, stderr, calls } = fleet(["up"], { DOCKER_DOWN: "1" });
    expect(status).to.equal(1);
    expect(stderr).to.contain("No Docker daemon answered (Cannot connect to the Docker daemon)");
    expect(calls).to.not.include("pulumi up --stack dev");
  });

  it("stops with a clear message when the Pulumi CLI is missing", () => {
    fs.rmSync(path.join(dir, "pulumi"));
    const { status, stderr } = fleet(["preview"]);
    expect(status).to.equal(1);
    expect(stderr).to.contain("The Pulumi CLI was not found on PATH");
  });
});
