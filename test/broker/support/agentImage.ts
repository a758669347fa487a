import type Docker from "dockerode";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildOnce, contentTag } from "./imageTags";

const REPO_ROOT = path.join(__dirname, "../../..");
const FIXTURE = "test/broker/fixtures/agent-image";
/** The real job commands of every agent image (running, cancelling, snapshots and diffs), so the broker is tested against them. */
const REAL_COMMANDS = ["llpm-run-job", "llpm-cancel-job", "llpm-git-snapshot", "llpm-job-diff"].map((c) => `images/base/bin/${c}`);

/**
 * The fake agent image, built once per content of its inputs, from a copy of just those files in
 * their repository layout: the root's .dockerignore (the broker image's) sends neither test/ nor images/.
 */
export async function ensureAgentImage(docker: Docker): Promise<string> {
  const files = [...readdirSync(path.join(REPO_ROOT, FIXTURE)).sort().map((f) => `${FIXTURE}/${f}`), ...REAL_COMMANDS];
  const context = mkdtempSync(path.join(os.tmpdir(), "llpmt-agent-context-"));
  try {
    for (const f of files) cpSync(path.join(REPO_ROOT, f), path.join(context, f));
    return await buildOnce(docker, contentTag("llpmt-brk-agent", REPO_ROOT, files), context, files, {}, `${FIXTURE}/Dockerfile`);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}
