/** The config is documented in three places; these keep them from drifting apart. */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { DEFAULT_BASE_IMAGE } from "../../config/defaults";
import { stackConfigSchema } from "../../config/schema";
import { SECRET_KEYS } from "../../config/secretKeys";
import { PROJECT_ROOT } from "../support/runProgram";

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
const ALL_KEYS = [...Object.keys(stackConfigSchema.shape), ...SECRET_KEYS];

describe("config documentation", () => {
  it("Pulumi.yaml declares defaults equal to the program's", () => {
    const project = parseYaml(read("Pulumi.yaml"));
    expect(project.name).to.equal("llpm-fleet");
    expect(project.config.authMode.default).to.equal("api_key");
    expect(project.config.baseImage.default).to.equal(DEFAULT_BASE_IMAGE);
  });

  it("Pulumi.yaml documents every key", () => {
    const text = read("Pulumi.yaml");
    for (const key of ALL_KEYS) expect(text, key).to.match(new RegExp(`\\b${key}\\b`));
  });

  it("README's config section has a row for every key", () => {
    const readme = read("README.md");
    const section = readme.slice(
      readme.indexOf("<!-- section: config (owner: program) -->"),
      readme.indexOf("<!-- section: images"),
    );
    for (const key of ALL_KEYS) expect(section, key).to.contain(`\`${key}`);
  });
});
