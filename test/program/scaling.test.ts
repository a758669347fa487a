/**
 * Scaling one stack dev → team → heavy and back, comparing what the program declares each time:
 * raising a count only adds that instance's resources, lowering it only removes the highest
 * indexes, and every other resource keeps exactly the same inputs (so Pulumi changes nothing).
 */
import { expect } from "chai";
import { makeProgramHost, type ProgramHost } from "../support/programEnv";
import { runProgram, type ProgramRun } from "../support/runProgram";

const COUNTS = {
  dev: { "claude-code": 1, "openai-codex": 1, aider: 1, opencode: 1 },
  team: { "claude-code": 1, "openai-codex": 2, aider: 2, opencode: 1 },
  heavy: { "claude-code": 2, "openai-codex": 3, aider: 3, opencode: 2 },
};

function byKey(run: ProgramRun): Map<string, unknown> {
  return new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r.inputs]));
}

interface Diff {
  added: string[];
  removed: string[];
  changed: string[];
}

function diff(before: ProgramRun, after: ProgramRun): Diff {
  const a = byKey(before);
  const b = byKey(after);
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...a.keys()].filter((k) => b.has(k) && JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k))).sort(),
  };
}

/** The resources of one agent instance, as the program names them. */
function instanceResources(...ids: string[]): string[] {
  return ids
    .flatMap((id) => [
      `docker:index/container:Container::agent-${id}`,
      `pulumi-nodejs:dynamic/llpm:WorkspaceFolder::workspace-${id}`,
    ])
    .sort();
}

describe("program under mocks: scaling one stack", () => {
  let host: ProgramHost;
  const runs: Partial<Record<keyof typeof COUNTS, ProgramRun>> = {};

  before(async () => {
    host = makeProgramHost();
    // Same stack name every time: only the counts differ, as with `pulumi config set --path`.
    for (const preset of ["dev", "team", "heavy"] as const) {
      runs[preset] = await runProgram({ stack: "scaling", env: host.env, config: { agents: COUNTS[preset] } });
    }
  });
  after(() => host.remove());

  it("dev → team only adds the new instances", () => {
    expect(diff(runs.dev!, runs.team!)).to.deep.equal({
      added: instanceResources("openai-codex-2", "aider-2"),
      removed: [],
      changed: [],
    });
  });

  it("team → heavy only adds the new instances", () => {
    expect(diff(runs.team!, runs.heavy!)).to.deep.equal({
      added: instanceResources("claude-code-2", "openai-codex-3", "aider-3", "opencode-2"),
      removed: [],
      changed: [],
    });
  });

  it("heavy → dev only removes the highest indexes", () => {
    expect(diff(runs.heavy!, runs.dev!)).to.deep.equal({
      added: [],
      removed: instanceResources("claude-code-2", "openai-codex-2", "openai-codex-3", "aider-2", "aider-3", "opencode-2"),
      changed: [],
    });
  });

  it("a rerun with the same counts declares exactly the same inputs", async () => {
    const again = await runProgram({ stack: "scaling", env: host.env, config: { agents: COUNTS.team } });
    expect(diff(runs.team!, again)).to.deep.equal({ added: [], removed: [], changed: [] });
  });

  it("dropping a type to 0 removes its pool, instances and image, nothing else", async () => {
    const noAider = await runProgram({ stack: "scaling", env: host.env, config: { agents: { ...COUNTS.team, aider: 0 } } });
    expect(diff(runs.team!, noAider)).to.deep.equal({
      added: [],
      removed: [
        "docker:index/image:Image::image-aider",
        "llpm:fleet:AgentPool::pool-aider",
        ...instanceResources("aider-1", "aider-2"),
      ].sort(),
      changed: [],
    });
  });
});
