// Measures the figures in the README's images section: each image's size, its cold build time
// (no layer cache), its warm rebuild time (nothing changed), and the rebuild after a change in one
// agent folder. Run: npx tsx test/images/measure-builds.ts   (several minutes; prints a Markdown table)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { AGENT_TYPES, REPO_ROOT, TEST_TOOLCHAINS, buildAgent, buildBase, imageSizeBytes, imageTag } from "./support/image-builds";

async function main(): Promise<void> {
  const rows: Array<{ image: string; cold: number; warm: number; size: number }> = [];
  const coldBase = await buildBase({ noCache: true });
  const coldAgents = [];
  for (const type of AGENT_TYPES) coldAgents.push(await buildAgent(type, { noCache: true }));
  const warmBase = await buildBase();
  rows.push({ image: `base (${TEST_TOOLCHAINS})`, cold: coldBase.seconds, warm: warmBase.seconds, size: await imageSizeBytes(imageTag("base")) });
  for (const [index, type] of AGENT_TYPES.entries()) {
    const warm = await buildAgent(type);
    rows.push({ image: type, cold: coldAgents[index].seconds, warm: warm.seconds, size: await imageSizeBytes(imageTag(type)) });
  }

  const changed = fs.mkdtempSync(path.join(os.tmpdir(), "llpmt-img-measure-"));
  fs.cpSync(path.join(REPO_ROOT, "images/opencode"), changed, { recursive: true });
  fs.appendFileSync(path.join(changed, "configure-agent"), "// changed\n");
  const changedTag = imageTag("opencode-changed");
  const rebuilt = await buildAgent("opencode", { contextDir: changed, tag: changedTag });
  fs.rmSync(changed, { recursive: true, force: true });
  await new Docker().getImage(changedTag).remove();

  console.log("| image | size | cold build | warm rebuild |");
  console.log("|---|---|---|---|");
  for (const row of rows) {
    console.log(`| ${row.image} | ${(row.size / 1e9).toFixed(2)} GB | ${row.cold.toFixed(0)} s | ${row.warm.toFixed(1)} s |`);
  }
  console.log(`\nRebuild after changing one file in images/opencode: ${rebuilt.seconds.toFixed(1)} s (that image only).`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
