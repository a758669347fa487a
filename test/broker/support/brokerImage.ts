import type Docker from "dockerode";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { extraCaCertificates } from "../../support/hostCaCertificates";
import { buildOnce, contentTag } from "./imageTags";

const BROKER_DIR = path.join(__dirname, "../../../broker");
const CONTEXT = ["Dockerfile", ".dockerignore", "package.json", "package-lock.json", "tsconfig.json", "src", "ui"];

function filesUnder(entry: string): string[] {
  const full = path.join(BROKER_DIR, entry);
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full).sort().flatMap((child) => filesUnder(path.join(entry, child)));
}

/** The broker's own Dockerfile, built as the program builds it (NODE_IMAGE and extra CAs as build args). */
export async function ensureBrokerImage(docker: Docker): Promise<string> {
  const tag = contentTag("llpmt-brk-broker", BROKER_DIR, CONTEXT.flatMap(filesUnder));
  return buildOnce(docker, tag, BROKER_DIR, CONTEXT, {
    NODE_IMAGE: "llpm-local/node:20-bookworm",
    EXTRA_CA_CERTIFICATES: extraCaCertificates(),
  });
}
