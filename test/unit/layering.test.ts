/**
 * The project's layering, read from the import statements of its own sources and followed file by
 * file: `contract/` depends on nothing; the broker takes only `contract/` from outside its package
 * (its image holds nothing else); the program never reaches into the broker's code; the core
 * (config, catalogue, core) reaches no backend; the backends never reach each other; and the image
 * builds both backends share (`builds/`) reach neither backend.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']/gm;
/** Packages only the Docker backend may use (the random provider generates its secrets). */
const DOCKER_ONLY_PACKAGES = ["@pulumi/docker", "@pulumi/random", "dockerode"];
/** The image builds, the one place besides the Docker backend that uses the docker provider (a cluster's images are built on this host too). */
const BUILDS = "builds";
const CORE = ["config", "catalogue", "core"];

/** TypeScript sources below `folder`, without installed or built code; project-relative. */
function sourcesUnder(folder: string): string[] {
  return fs.readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : sourcesUnder(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

interface FileImports {
  /** Project files, project-relative. */
  files: string[];
  packages: string[];
}

function importsOf(file: string): FileImports {
  const specifiers = [...fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
  const files = specifiers
    .filter((s) => s.startsWith("."))
    .map((s) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)))
    .map((base) => [`${base}.ts`, path.join(base, "index.ts"), base].find((f) => fs.existsSync(path.join(ROOT, f)) && f.endsWith(".ts")) ?? `${base}.ts`);
  return { files, packages: specifiers.filter((s) => !s.startsWith(".")) };
}

/** Every project file reachable from the sources below `folders`, with what each imports. */
function reachableFrom(...folders: string[]): Map<string, FileImports> {
  const seen = new Map<string, FileImports>();
  const queue = folders.flatMap(sourcesUnder);
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const imports = importsOf(file);
    seen.set(file, imports);
    queue.push(...imports.files.filter((f) => fs.existsSync(path.join(ROOT, f))));
  }
  return seen;
}

const within = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);
const filesIn = (graph: Map<string, FileImports>, ...folders: string[]) => [...graph.keys()].filter((f) => folders.some((d) => within(f, d)));
/** `allowed` may use the docker provider and nothing else Docker-only. */
const dockerOnlyUses = (graph: Map<string, FileImports>, allowed = (_file: string) => false) =>
  [...graph].flatMap(([file, { packages }]) =>
    packages
      .filter((p) => DOCKER_ONLY_PACKAGES.some((d) => p === d || p.startsWith(`${d}/`)))
      .filter((p) => !(allowed(file) && (p === "@pulumi/docker" || p.startsWith("@pulumi/docker/"))))
      .map((p) => `${file} imports ${p}`),
  );

describe("layering", () => {
  it("follows imports far enough to mean something (the walks are not empty)", () => {
    expect(filesIn(reachableFrom("broker/src"), "broker/src").length).to.be.greaterThan(50);
    expect(filesIn(reachableFrom("backends/kubernetes"), "core", "config", "catalogue", "contract")).to.include.members([
      "core/agentEnv.ts",
      "core/litellmConfig.ts",
      "config/fleetConfig.ts",
      "contract/labels.ts",
    ]);
  });

  it("contract/ imports only Node built-ins and itself", () => {
    const graph = reachableFrom("contract");
    expect(filesIn(graph, ".").filter((f) => !within(f, "contract"))).to.deep.equal([]);
    expect([...graph.values()].flatMap((i) => i.packages).filter((p) => !p.startsWith("node:"))).to.deep.equal([]);
  });

  it("the broker's code reaches outside its package only contract/ (its benchmarks may use the test support)", () => {
    const graph = reachableFrom("broker/src");
    expect(filesIn(graph, ".").filter((f) => !within(f, "broker") && !within(f, "contract"))).to.deep.equal([]);
  });

  it("the program never reaches the broker's code", () => {
    expect(filesIn(reachableFrom(...CORE, "backends", "program"), "broker")).to.deep.equal([]);
  });

  it("the core (config, catalogue, core) reaches no backend, no image build and no Docker-only package", () => {
    const graph = reachableFrom(...CORE);
    expect(filesIn(graph, "backends", BUILDS, "program")).to.deep.equal([]);
    expect(dockerOnlyUses(graph)).to.deep.equal([]);
  });

  it("the kubernetes backend reaches neither the Docker backend nor the program, and the docker provider only through builds/", () => {
    const graph = reachableFrom("backends/kubernetes");
    expect(filesIn(graph, "backends/docker", "program")).to.deep.equal([]);
    expect(filesIn(graph, BUILDS), "it does build its images with builds/").to.include("builds/fleetImage.ts");
    expect(dockerOnlyUses(graph, (file) => within(file, BUILDS))).to.deep.equal([]);
  });

  it("builds/ reaches neither backend nor the program, and of the Docker-only packages only the docker provider", () => {
    const graph = reachableFrom(BUILDS);
    expect(filesIn(graph, "backends", "program")).to.deep.equal([]);
    expect(dockerOnlyUses(graph, (file) => within(file, BUILDS))).to.deep.equal([]);
  });

  it("the Docker backend reaches nothing of the kubernetes backend, nor the program", () => {
    expect(filesIn(reachableFrom("backends/docker"), "backends/kubernetes", "program")).to.deep.equal([]);
  });
});
