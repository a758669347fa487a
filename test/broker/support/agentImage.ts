import Docker from "dockerode";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const DIR = path.join(__dirname, "../fixtures/agent-image");

/** Builds the fake agent image once per content: the tag is a hash of its files, so reruns reuse it. */
export async function ensureAgentImage(docker: Docker): Promise<string> {
  const files = readdirSync(DIR).sort();
  const hash = createHash("sha256");
  for (const f of files) hash.update(f).update(readFileSync(path.join(DIR, f)));
  const tag = `llpmt-brk-agent:${hash.digest("hex").slice(0, 12)}`;
  const existing = await docker.listImages({ filters: { reference: [tag] } });
  if (existing.length > 0) return tag;
  const stream = await docker.buildImage({ context: DIR, src: files }, { t: tag, rm: true, forcerm: true });
  const output = await new Promise<{ error?: string }[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (err, res) => (err ? reject(err) : resolve(res as { error?: string }[]))),
  );
  const failed = output.find((o) => o.error);
  if (failed) throw new Error(`building ${tag} failed: ${failed.error}`);
  return tag;
}
