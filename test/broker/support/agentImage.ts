import type Docker from "dockerode";
import { readdirSync } from "node:fs";
import path from "node:path";
import { buildOnce, contentTag } from "./imageTags";

const REPO_ROOT = path.join(__dirname, "../../..");
const FIXTURE = "test/broker/fixtures/agent-image";
/** The real job commands of every agent image (running, cancelling, snapshots and diffs), so the broker is tested against them. */
const REAL_COMMANDS = ["llpm-run-job", "llpm-cancel-job", "llpm-git-snapshot", "llpm-job-diff"].map((c) => `images/base/bin/${c}`);

/** The fake agent image, built once per content of its inputs. */
export async function ensureAgentImage(docker: Docker): Promise<string> {
  const files = [...readdirSync(path.join(REPO_ROOT, FIXTURE)).sort().map((f) => `${FIXTURE}/${f}`), ...REAL_COMMANDS];
  return buildOnce(docker, contentTag("llpmt-brk-agent", REPO_ROOT, files), REPO_ROOT, files, {}, `${FIXTURE}/Dockerfile`);
}
