/**
 * The project's layering, read from the import statements of its own sources: `contract/` depends
 * on nothing, the broker takes only `contract/` from outside its package (its image holds nothing
 * else), and the program never reaches into the broker's code.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']/gm;

interface Import {
  file: string;
  specifier: string;
  /** The imported file's folder relative to the root, for relative imports; null for packages. */
  target: string | null;
}

/** TypeScript sources below `dir`, without installed or built code. */
function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : sourcesUnder(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

function importsOf(folder: string): Import[] {
  return sourcesUnder(path.join(ROOT, folder)).flatMap((file) =>
      [...fs.readFileSync(file, "utf8").matchAll(IMPORT)].map((m) => {
        const specifier = m[1] ?? m[2];
        const target = specifier.startsWith(".") ? path.relative(ROOT, path.resolve(path.dirname(file), specifier)) : null;
        return { file: path.relative(ROOT, file), specifier, target };
      }),
    );
}

const within = (target: string | null, folder: string) => target !== null && (target === folder || target.startsWith(`${folder}/`));
const show = (imports: Import[]) => imports.map((i) => `${i.file}: ${i.specifier}`);

describe("layering", () => {
  it("finds the imports it checks (the scan is not empty)", () => {
    expect(importsOf("broker/src").length).to.be.greaterThan(100);
    expect(importsOf("contract").length).to.be.greaterThan(0);
  });

  it("contract/ imports only Node built-ins and itself", () => {
    const outside = importsOf("contract").filter((i) => (i.target === null ? !i.specifier.startsWith("node:") : !within(i.target, "contract")));
    expect(show(outside)).to.deep.equal([]);
  });

  it("the broker's code imports from outside its package only contract/ (its benchmarks may use the test support)", () => {
    const outside = importsOf("broker/src").filter((i) => i.target !== null && !within(i.target, "broker") && !within(i.target, "contract"));
    expect(show(outside)).to.deep.equal([]);
  });

  it("the program (config, catalogue, components, program) never imports the broker's code", () => {
    const intoBroker = ["config", "catalogue", "components", "program"].flatMap(importsOf).filter((i) => within(i.target, "broker"));
    expect(show(intoBroker)).to.deep.equal([]);
  });
});
