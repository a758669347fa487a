/**
 * Content tags for the fleet's own images: a hash of the build context's files and the build
 * args. A changed Dockerfile, script or arg gives a new tag, so Pulumi rebuilds that image and
 * replaces exactly the containers that use it; unchanged inputs keep the tag, so nothing moves.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { contextFiles } from "./buildContext";

export function contentTag(contextDir: string, buildArgs: Record<string, string>, dockerfile = path.join(contextDir, "Dockerfile")): string {
  if (!fs.existsSync(dockerfile)) {
    throw new Error(`No Dockerfile at ${dockerfile}: every image folder needs one`);
  }
  const hash = createHash("sha256");
  for (const file of contextFiles(contextDir)) {
    hash.update(file).update("\0").update(fs.readFileSync(path.join(contextDir, file))).update("\0");
  }
  for (const key of Object.keys(buildArgs).sort()) hash.update(`${key}=${buildArgs[key]}\0`);
  return hash.digest("hex").slice(0, 16);
}
