/**
 * The kubernetes backend stands on the backend-neutral core only: nothing it imports, directly or
 * through another file of the project, reaches a Docker-only package, a file of components/ outside
 * the shared ones (components/ still holds the Docker backend too), or the program that chooses
 * between backends.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../support/runProgram";

const BACKEND = path.join(PROJECT_ROOT, "backends/kubernetes");
/** Packages that belong to the Docker backend (or that the engine here cannot run). */
const DOCKER_ONLY_PACKAGES = ["@pulumi/docker", "@pulumi/random", "dockerode"];
/** The backend-neutral files of components/: the agent env, service names, keys, LiteLLM's config. */
const SHARED_COMPONENTS = [
  "agentEnv.ts",
  "fleetSecretValues.ts",
  "fleetServices.ts",
  "gatewayKey.ts",
  "gatewayPolicy.ts",
  "litellmConfig.ts",
  "serviceEnv.ts",
].map((f) => `components/${f}`);
const IMPORT = /(?:import|export)\s[^;]*?from\s+"([^"]+)"|require\("([^"]+)"\)/g;

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
}

/** Every project file reachable from `roots`, with the package imports each one makes. */
function reachable(roots: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const specs = importsOf(file);
    seen.set(file, specs.filter((s) => !s.startsWith(".")));
    for (const spec of specs) {
      const local = resolveLocal(file, spec);
      if (local) queue.push(local);
    }
  }
  return seen;
}

describe("kubernetes backend layering", () => {
  const files = fs.readdirSync(BACKEND).filter((f) => f.endsWith(".ts")).map((f) => path.join(BACKEND, f));
  const graph = reachable(files);

  it("reaches no Docker-only package through any file it imports", () => {
    const offending = [...graph].flatMap(([file, packages]) =>
      packages.filter((p) => DOCKER_ONLY_PACKAGES.some((d) => p === d || p.startsWith(`${d}/`))).map((p) => `${path.relative(PROJECT_ROOT, file)} imports ${p}`),
    );
    expect(offending).to.deep.equal([]);
  });

  it("imports only the shared files of components/, nothing of the program", () => {
    const files = [...graph.keys()].map((f) => path.relative(PROJECT_ROOT, f));
    expect(files.filter((f) => f.startsWith("program/") || f === "index.ts")).to.deep.equal([]);
    expect(files.filter((f) => f.startsWith("components/") && !SHARED_COMPONENTS.includes(f))).to.deep.equal([]);
    // The walk followed imports into the shared core, so the empty lists above mean something.
    expect(files).to.include.members(["components/agentEnv.ts", "components/litellmConfig.ts", "config/fleetConfig.ts"]);
  });
});
