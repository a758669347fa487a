import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { schemathesisBinary } from "../support/schemathesis";
import { waitFor } from "../support/waitFor";
import { startBroker, tempDbPath, TOKEN, type RunningBroker } from "./support/brokerHarness";
import { TestFleet } from "./support/testFleet";

const CONFIG = path.join(__dirname, "schemathesis.toml");
const PHASES = "examples,coverage,fuzzing,stateful";
// API-key agents only: a subscription agent holds its jobs until it logs in, so none would run.
const AGENTS = [
  { type: "claude-code", index: 1 },
  { type: "aider", index: 1 },
].map((a) => ({ ...a, id: `${a.type}-${a.index}` }));

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

/**
 * The settings file plus what only this run knows: the ids and types of its agents, offered for
 * half of the path ids and agent types generated for job creation, so the stateful phase gets jobs
 * to follow through the links (random ids would only ever meet 404).
 */
function configFor(agents: { type: string; id: string }[]): string {
  const list = (values: string[]) => `[${[...new Set(values)].map((v) => JSON.stringify(v)).join(", ")}]`;
  return `${readFileSync(CONFIG, "utf8")}
[dictionaries.agents]
values = ${list(agents.map((a) => a.id))}

[dictionaries.agentTypes]
values = ${list(agents.map((a) => a.type))}

[[operations]]
include-path = "/agents/{id}/jobs"
include-method = "POST"
parameters = { "path.id" = { dictionary = "agents", probability = 0.5 } }

[[operations]]
include-path = "/jobs"
include-method = "POST"
parameters = { "body.agentType" = { dictionary = "agentTypes", probability = 0.5 } }
`;
}

/** `METHOD /path status` of every stateful step that followed a link, from the NDJSON event log. */
function linkedSteps(ndjson: string): Map<string, number> {
  const steps = new Map<string, number>();
  for (const line of ndjson.split("\n").filter(Boolean)) {
    const finished = (JSON.parse(line) as { ScenarioFinished?: { phase: string; recorder: Recorder } }).ScenarioFinished;
    if (finished?.phase !== "stateful") continue;
    for (const [id, c] of Object.entries(finished.recorder.cases)) {
      const status = finished.recorder.interactions[id]?.response?.status_code;
      if (!c.is_transition_applied || status === undefined) continue;
      const key = `${c.value.method} ${c.value.path} ${status}`;
      steps.set(key, (steps.get(key) ?? 0) + 1);
    }
  }
  return steps;
}

interface Recorder {
  cases: Record<string, { is_transition_applied: boolean; value: { method: string; path: string } }>;
  interactions: Record<string, { response?: { status_code: number } }>;
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
    await Promise.all(AGENTS.map((a) => fleet.startAgent(a.type, a.index)));
    b = await startBroker(fleet.stack, db.path);
    for (const a of AGENTS) await waitFor(`${a.id} ready`, async () => (await b.api.get(`/agents/${a.id}`)).body.state === "ready");
  });

  after(async () => {
    await b?.stop();
    await fleet.cleanup();
    db.remove();
    rmSync(reports, { recursive: true, force: true });
  });

  it("finishes every phase with all checks and 0 failures, creating, reading and cancelling jobs", async () => {
    const reportPath = path.join(reports, "report.json");
    const eventsPath = path.join(reports, "events.ndjson");
    const configPath = path.join(reports, "schemathesis.toml");
    const config = configFor(AGENTS);
    writeFileSync(configPath, config);
    const args = [
      "--config-file", configPath,
      "run", `${b.url}/openapi.json`,
      "--checks", "all",
      "--phases", PHASES,
      "--header", `Authorization: Bearer ${TOKEN}`,
      "--report", "json,ndjson",
      "--report-json-path", reportPath,
      "--report-ndjson-path", eventsPath,
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
    const why = `schemathesis exited ${code}; failures: ${failures.join("; ") || "none"}; errors: ${report.errors.length}\n${rerun}\nwith ${configPath}:\n${config}\n${output}`;
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

    // The stateful phase followed the links from a created job to reading and cancelling it.
    const steps = linkedSteps(readFileSync(eventsPath, "utf8"));
    const count = (...keys: string[]) => keys.reduce((n, k) => n + (steps.get(k) ?? 0), 0);
    const seen = JSON.stringify(Object.fromEntries(steps));
    expect(count("POST /agents/{id}/jobs 202", "POST /jobs 202"), `jobs created through links: ${seen}`).to.be.greaterThan(0);
    expect(count("GET /jobs/{id} 200", "GET /agents/{id}/jobs/{jobId} 200"), `jobs read through links: ${seen}`).to.be.greaterThan(0);
    expect(count("POST /jobs/{id}/cancel 202", "POST /agents/{id}/jobs/{jobId}/cancel 202"), `jobs cancelled through links: ${seen}`).to.be.greaterThan(0);
    expect(count("GET /jobs/{id}/events 200"), `job streams read through links: ${seen}`).to.be.greaterThan(0);
  });
});
