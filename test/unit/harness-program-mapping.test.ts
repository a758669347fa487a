// The real program's recordings (dev and team stacks) map completely onto Docker API options:
// the harness knows every field the program sets, so the e2e tier cannot silently drop one.
import * as path from "node:path";
import { expect } from "chai";
import { LOCAL_STAND_INS } from "../e2e/harness/imageSubstitution";
import { materialisationSteps, type Step } from "../e2e/harness/materialisation";
import { readBackFields } from "../e2e/harness/readBack";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { e2eStackConfig, writeExtraCaFile } from "../e2e/support/fleetConfig";
import { PROJECT_ROOT, runProgram } from "../support/runProgram";

const options = { programDir: PROJECT_ROOT, substitutions: LOCAL_STAND_INS };
const ports = { broker: 23010, litellm: 24000, oauthBase: 21455 };

let caDir: string;

async function stepsFor(stack: "dev" | "team"): Promise<Step[]> {
  const { resources } = await runProgram({ stack, config: e2eStackConfig("/tmp/llpm-ws", ports, writeExtraCaFile(caDir)) });
  return materialisationSteps(resources, resources, options);
}

function container(steps: Step[], name: string) {
  const step = steps.find((s) => s.kind === "container" && s.resource.name === name);
  if (!step || step.kind !== "container") throw new Error(`no container step ${name}`);
  return step.spec.create;
}

describe("e2e harness: the program's own recordings", function () {
  this.timeout(30_000);
  before(() => (caDir = mkdtempSync(path.join(tmpdir(), "llpm-harness-ca-"))));
  after(() => rmSync(caDir, { recursive: true, force: true }));

  it("has a read-back rule for every container input the program sets, in both stacks", async () => {
    for (const stack of ["dev", "team"] as const) {
      for (const step of (await stepsFor(stack)).filter((s) => s.kind === "container")) {
        expect(readBackFields(step.resource), `${stack} ${step.resource.name}`).to.include.members(["memory", "memorySwap", "healthcheck", "capabilities"]);
      }
    }
  });

  it("maps every resource of the dev stack, in dependency order", async () => {
    const steps = await stepsFor("dev");
    expect(steps.map((s) => s.kind).filter((k, i, all) => all.indexOf(k) === i)).to.deep.equal([
      "network", "volume", "image", "dynamic", "container",
    ]);
    expect(steps.filter((s) => s.kind === "container").map((s) => s.resource.name)).to.deep.equal([
      "postgres", "litellm", "docker-filter", "broker", "agent-claude-code-1", "agent-openai-codex-1", "agent-aider-1", "agent-opencode-1",
    ]);
  });

  it("runs pulled images as their local stand-ins and agents on the image built for their type", async () => {
    const steps = await stepsFor("dev");
    expect(container(steps, "postgres").Image).to.equal("llpm-local/postgres:15-bookworm");
    expect(container(steps, "litellm").Image).to.equal("llpm-local/litellm:1.108.14");
    const built = steps.flatMap((s) => (s.kind === "image" ? [s.spec] : []));
    const claudeImage = built.find((spec) => spec.tag.startsWith("llpm-dev/claude-code:"));
    expect(container(steps, "agent-claude-code-1").Image).to.equal(claudeImage?.tag);
    expect(built.find((spec) => spec.tag.startsWith("llpm-dev/base:"))?.buildArgs.BASE_IMAGE).to.equal("llpm-local/debian:bookworm");
    expect(built.find((spec) => spec.tag.startsWith("llpm-dev/broker:"))?.buildArgs.NODE_IMAGE).to.equal("llpm-local/node:20-bookworm");
  });

  it("keeps the program's hardening and bindings on the way to Docker", async () => {
    const agent = container(await stepsFor("dev"), "agent-openai-codex-1");
    expect(agent.User).to.equal("1000:1000");
    expect(agent.HostConfig).to.deep.include({ CapDrop: ["ALL"], SecurityOpt: ["no-new-privileges:true"], Init: true });
    expect(agent.HostConfig?.PortBindings).to.deep.equal({ "1455/tcp": [{ HostIp: "127.0.0.1", HostPort: "21455" }] });
    expect(agent.HostConfig?.Mounts).to.deep.include({ Type: "bind", Source: "/tmp/llpm-ws/openai-codex-1", Target: "/workspace" });
  });

  it("maps the team stack too (more instances, same fields)", async () => {
    const steps = await stepsFor("team");
    expect(steps.filter((s) => s.kind === "container")).to.have.length(4 + 6);
  });
});
