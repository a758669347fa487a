import type Docker from "dockerode";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

/** `<repo>:<hash of the files>`: a tag that changes exactly when the image's inputs do. */
export function contentTag(repo: string, dir: string, files: string[]): string {
  const hash = createHash("sha256");
  for (const f of files) hash.update(f).update(readFileSync(path.join(dir, f)));
  return `${repo}:${hash.digest("hex").slice(0, 12)}`;
}

/**
 * Builds `tag` from `dir` unless it exists, then drops the repo's older tags so reruns after edits
 * do not pile up images on the shared engine.
 */
export async function buildOnce(
  docker: Docker,
  tag: string,
  dir: string,
  src: string[],
  buildargs: Record<string, string> = {},
  dockerfile = "Dockerfile",
): Promise<string> {
  const repo = tag.split(":")[0];
  if ((await docker.listImages({ filters: { reference: [tag] } })).length > 0) return tag;
  const stream = await docker.buildImage({ context: dir, src }, { t: tag, rm: true, forcerm: true, buildargs, dockerfile });
  const output = await new Promise<{ error?: string; stream?: string }[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (err, res) => (err ? reject(err) : resolve(res as { error?: string }[]))),
  );
  const failed = output.find((o) => o.error);
  if (failed) {
    const tail = output.map((o) => o.stream ?? "").join("").slice(-3000);
    throw new Error(`building ${tag} failed: ${failed.error}\n${tail}`);
  }
  for (const image of await docker.listImages({ filters: { reference: [repo] } })) {
    for (const old of image.RepoTags ?? []) {
      if (old !== tag) await docker.getImage(old).remove().catch(() => {});
    }
  }
  return tag;
}
