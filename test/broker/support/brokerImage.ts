import type Docker from "dockerode";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { buildOnce, contentTag } from "./imageTags";

const BROKER_DIR = path.join(__dirname, "../../../broker");
const CONTEXT = ["Dockerfile", ".dockerignore", "package.json", "package-lock.json", "tsconfig.json", "src", "ui"];
// Only the machine's extra CAs: a build arg becomes an environment variable in every RUN step, and
// Linux refuses one over 128 KiB ("argument list too long"), which the whole system bundle exceeds.
const LOCAL_CA_DIR = "/usr/local/share/ca-certificates";

function filesUnder(entry: string): string[] {
  const full = path.join(BROKER_DIR, entry);
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full).sort().flatMap((child) => filesUnder(path.join(entry, child)));
}

function extraCertificates(): string {
  if (!existsSync(LOCAL_CA_DIR)) return "";
  return readdirSync(LOCAL_CA_DIR)
    .filter((f) => f.endsWith(".crt"))
    .sort()
    .map((f) => readFileSync(path.join(LOCAL_CA_DIR, f), "utf8"))
    .join("\n");
}

/** The broker's own Dockerfile, built as the program builds it (NODE_IMAGE and extra CAs as build args). */
export async function ensureBrokerImage(docker: Docker): Promise<string> {
  const tag = contentTag("llpmt-brk-broker", BROKER_DIR, CONTEXT.flatMap(filesUnder));
  return buildOnce(docker, tag, BROKER_DIR, CONTEXT, {
    NODE_IMAGE: "llpm-local/node:20-bookworm",
    EXTRA_CA_CERTIFICATES: extraCertificates(),
  });
}
