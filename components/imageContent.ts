/**
 * Content tags for the fleet's own images: a hash of the build context's files and the build
 * args. A changed Dockerfile, script or arg gives a new tag, so Pulumi rebuilds that image and
 * replaces exactly the containers that use it; unchanged inputs keep the tag, so nothing moves.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

function filesBelow(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.name === "node_modules" || e.name.startsWith(".")) return [];
      return e.isDirectory() ? filesBelow(full) : e.isFile() ? [full] : [];
    })
    .sort();
}

export function contentTag(contextDir: string, buildArgs: Record<string, string>): string {
  if (!fs.existsSync(path.join(contextDir, "Dockerfile"))) {
    throw new Error(`No Dockerfile in ${contextDir}: every image folder needs one`);
  }
  const hash = createHash("sha256");
  for (const file of filesBelow(contextDir)) {
    hash.update(path.relative(contextDir, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  for (const key of Object.keys(buildArgs).sort()) hash.update(`${key}=${buildArgs[key]}\0`);
  return hash.digest("hex").slice(0, 16);
}
