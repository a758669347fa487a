import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { schemathesisBinary } from "../support/schemathesis";
import { waitFor } from "../support/waitFor";
import { startBroker, tempDbPath, TOKEN, type RunningBroker } from "./support/brokerHarness";
import { TestFleet } from "./support/testFleet";

const CONFIG = path.join(__dirname, "schemathesis.toml");
const PHASES = "examples,coverage,fuzzing,stateful";

interface Report {
  exit_code: number;
  complete: boolean;
  stop_reason: string;
  phases: Record<string, { status: string }>;
  test_cases: { generated: number; with_failures: number; errored: number };
  failures: { code: string; title: string; operations: string[] }[];
  errors: unknown[];
}

function run(bin: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** How many requests the broker answered on `method route` with `status`, from its own HTTP metric. */
function served(metrics: string, method: string, route: string, status: number): number {
  const line = metrics.split("\n").find((l) => l.startsWith(`llpm_broker_http_request_duration_seconds_count{method="${method}",route="${route}",status="${status}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("broker API conformance: schemathesis against a live broker", function () {
  this.timeout(600000);
  const fleet = new TestFleet();
  const db = tempDbPath();
  const reports = mkdtempSync(path.join(os.tmpdir(), "llpmt-schemathesis-"));
  let bin: string;
  let b: RunningBroker;

  before(async function () {
    this.timeout(180000);
    // Before anything else: a machine without it fails here, with the command that installs it.
    bin = schemathesisBinary();
    await fleet.prepare();
    // Fake agents (test/broker/fixtures/agent-image): the real job commands, a scripted CLI, no model.
    await Promise.all([fleet.startAgent("claude-code", 1), fleet.startAgent("aider", 1), fleet.startAgent("openai-codex", 1)]);
    b = await startBroker(fleet.stack, db.path);
    for (const id of ["claude-code-1", "aider-1", "openai-codex-1"]) {
      await waitFor(`${id} ready`, async () => (await b.api.get(`/agents/${id}`)).body.state === "ready");
    }
  });

  after(async () => {
    await b?.stop();
    await fleet.cleanup();
    db.remove();
    rmSync(reports, { recursive: true, force: true });
  });

  it("finishes every phase with all checks and 0 failures, creating, reading and cancelling jobs", async () => {
    const reportPath = path.join(reports, "report.json");
    const args = [
      "--config-file", CONFIG,
      "run", `${b.url}/openapi.json`,
      "--checks", "all",
      "--phases", PHASES,
      "--header", `Authorization: Bearer ${TOKEN}`,
      "--report", "json",
      "--report-json-path", reportPath,
    ];
    const { code, output } = await run(bin, args, 540000);
    const rerun = `${bin} ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ")}`;
    // Its own account of the run; the console output (failures with curl commands to reproduce them) on error.
    let report: Report;
    try {
      report = JSON.parse(readFileSync(reportPath, "utf8")) as Report;
    } catch (err) {
      throw new Error(`schemathesis exited ${code} without a JSON report (${(err as Error).message}):\n${output}`);
    }
    const failures = report.failures.map((f) => `${f.code} ${f.title}: ${f.operations.join(", ")}`);
    const why = `schemathesis exited ${code}; failures: ${failures.join("; ") || "none"}; errors: ${report.errors.length}\n${rerun}\n${output}`;
    expect(report.failures, why).to.deep.equal([]);
    expect(report.errors, why).to.deep.equal([]);
    expect(report.test_cases.with_failures, why).to.equal(0);
    expect(code, why).to.equal(0);
    expect(report.exit_code, why).to.equal(0);
    expect(report.complete, why).to.equal(true);
    for (const phase of ["coverage", "fuzzing", "stateful"]) expect(report.phases[phase]?.status, `${phase}\n${why}`).to.equal("success");
    const summary = /(\d+) generated, (\d+) passed/.exec(output);
    expect(summary, why).to.not.equal(null);
    expect(Number(summary![1])).to.be.greaterThan(100).and.equal(report.test_cases.generated);

    // The broker's side: real jobs went through it (the links lead from creation to read and cancel).
    const metrics = (await b.api.get("/metrics").expect(200)).text;
    expect(served(metrics, "POST", "/agents/:id/jobs", 202), "jobs created").to.be.greaterThan(0);
    expect(served(metrics, "GET", "/jobs/:id", 200) + served(metrics, "GET", "/agents/:id/jobs/:jobId", 200), "jobs read").to.be.greaterThan(0);
    expect(served(metrics, "POST", "/jobs/:id/cancel", 202) + served(metrics, "POST", "/agents/:id/jobs/:jobId/cancel", 202), "jobs cancelled").to.be.greaterThan(0);
    expect(served(metrics, "GET", "/jobs/:id/events", 200), "job streams read").to.be.greaterThan(0);
  });
});
