import type Docker from "dockerode";
import { readdirSync } from "node:fs";
import path from "node:path";
import { buildOnce, contentTag } from "./imageTags";

const ROOT = path.join(__dirname, "../../..");
const FIXTURE = "test/broker/fixtures/agent-image";
/** The real images' commands the fake image carries (the workspace snapshot and diff). */
const BASE_COMMANDS = ["images/base/bin/llpm-git-snapshot", "images/base/bin/llpm-job-diff"];

/** The fake agent image, built once per content of its folder and of the base commands it copies. */
export async function ensureAgentImage(docker: Docker): Promise<string> {
  const files = [...readdirSync(path.join(ROOT, FIXTURE)).sort().map((f) => `${FIXTURE}/${f}`), ...BASE_COMMANDS];
  return buildOnce(docker, contentTag("llpmt-brk-agent", ROOT, files), ROOT, files, {}, `${FIXTURE}/Dockerfile`);
}
