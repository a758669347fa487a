import type Docker from "dockerode";
import { readdirSync } from "node:fs";
import path from "node:path";
import { buildOnce, contentTag } from "./imageTags";

const DIR = path.join(__dirname, "../fixtures/agent-image");

/** The fake agent image, built once per content of its folder. */
export async function ensureAgentImage(docker: Docker): Promise<string> {
  const files = readdirSync(DIR).sort();
  return buildOnce(docker, contentTag("llpmt-brk-agent", DIR, files), DIR, files);
}
