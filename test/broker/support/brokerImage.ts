import Docker from "dockerode";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const BROKER_DIR = path.join(__dirname, "../../../broker");
const CONTEXT = ["Dockerfile", ".dockerignore", "package.json", "package-lock.json", "tsconfig.json", "src", "ui"];
// Only the machine's extra CAs: a build arg becomes an environment variable in every RUN step, and
// Linux refuses one over 128 KiB ("argument list too long"), which the whole system bundle exceeds.
const LOCAL_CA_DIR = "/usr/local/share/ca-certificates";

function extraCertificates(): string {
  if (!existsSync(LOCAL_CA_DIR)) return "";
  return readdirSync(LOCAL_CA_DIR)
    .filter((f) => f.endsWith(".crt"))
    .sort()
    .map((f) => readFileSync(path.join(LOCAL_CA_DIR, f), "utf8"))
    .join("\n");
}

function filesUnder(entry: string): string[] {
  const full = path.join(BROKER_DIR, entry);
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full).sort().flatMap((child) => filesUnder(path.join(entry, child)));
}

/**
 * Builds the broker's own Dockerfile the way the program does (NODE_IMAGE and the CA bundle as
 * build args), once per content: the tag hashes every file in the build context.
 */
export async function ensureBrokerImage(docker: Docker): Promise<string> {
  const hash = createHash("sha256");
  for (const f of CONTEXT.flatMap(filesUnder)) hash.update(f).update(readFileSync(path.join(BROKER_DIR, f)));
  const tag = `llpmt-brk-broker:${hash.digest("hex").slice(0, 12)}`;
  if ((await docker.listImages({ filters: { reference: [tag] } })).length > 0) return tag;
  const stream = await docker.buildImage(
    { context: BROKER_DIR, src: CONTEXT },
    {
      t: tag,
      rm: true,
      forcerm: true,
      buildargs: {
        NODE_IMAGE: "llpm-local/node:20-bookworm",
        EXTRA_CA_CERTIFICATES: extraCertificates(),
      },
    },
  );
  const output = await new Promise<{ error?: string; stream?: string }[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (err, res) => (err ? reject(err) : resolve(res as { error?: string }[]))),
  );
  const failed = output.find((o) => o.error);
  if (failed) {
    const tail = output.map((o) => o.stream ?? "").join("").slice(-3000);
    throw new Error(`building ${tag} failed: ${failed.error}\n${tail}`);
  }
  return tag;
}
