// Builds the images under images/ the way the program does (same build args), through the Engine
// API (dockerode) as the Pulumi provider does, with stable test tags so Docker's layer cache makes
// repeated runs cheap.
import path from "node:path";
import Docker from "dockerode";
import { filesUnder } from "../../support/filesUnder";
import { extraCaCertificates } from "../../support/hostCaCertificates";

export const REPO_ROOT = path.resolve(__dirname, "../../..");
export const AGENT_TYPES = ["claude-code", "openai-codex", "aider", "opencode"] as const;
export type AgentType = (typeof AGENT_TYPES)[number];

/** The toolchains the tests build: the full list needs downloads this machine cannot reach. */
export const TEST_TOOLCHAINS = "node,python,cpp";
export const TEST_BASE_IMAGE = "llpm-local/debian:bookworm";
/** Like the program: the deploying user's uid, or 1000 when root deploys. */
export const AGENT_UID = process.getuid && process.getuid() !== 0 ? process.getuid() : 1000;

export const imageTag = (name: string): string => `llpmt-img/${name}:test`;

const docker = new Docker();

export interface BuildResult {
  tag: string;
  imageId: string;
  seconds: number;
  /** The builder's log: "Using cache" lines show which steps were reused. */
  log: string;
}

export async function buildImage(
  contextDir: string,
  tag: string,
  buildArgs: Record<string, string>,
  options: { noCache?: boolean } = {},
): Promise<BuildResult> {
  const started = Date.now();
  const stream = await docker.buildImage(
    { context: contextDir, src: filesUnder(contextDir) },
    { t: tag, buildargs: buildArgs, nocache: options.noCache ?? false, rm: true, forcerm: true },
  );
  const events: Array<{ stream?: string; error?: string }> = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (error, output) => (error ? reject(error) : resolve(output))),
  );
  const log = events.map((e) => e.stream ?? "").join("");
  const failure = events.find((e) => e.error);
  if (failure) throw new Error(`building ${tag} failed: ${failure.error}\n${log.slice(-3000)}`);
  const imageId = (await docker.getImage(tag).inspect()).Id;
  return { tag, imageId, seconds: (Date.now() - started) / 1000, log };
}

export const BASE_CONTEXT = path.join(REPO_ROOT, "images/base");

export function baseBuildArgs(): Record<string, string> {
  return {
    BASE_IMAGE: TEST_BASE_IMAGE,
    TOOLCHAINS: TEST_TOOLCHAINS,
    AGENT_UID: String(AGENT_UID),
    AGENT_GID: String(AGENT_UID),
    EXTRA_CA_CERTIFICATES: extraCaCertificates(),
  };
}

export function buildBase(options: { noCache?: boolean } = {}): Promise<BuildResult> {
  return buildImage(BASE_CONTEXT, imageTag("base"), baseBuildArgs(), options);
}

export function buildAgent(type: AgentType, options: { noCache?: boolean; contextDir?: string; tag?: string } = {}): Promise<BuildResult> {
  return buildImage(
    options.contextDir ?? path.join(REPO_ROOT, "images", type),
    options.tag ?? imageTag(type),
    { LLPM_BASE_IMAGE: imageTag("base") },
    options,
  );
}

export async function imageSizeBytes(tag: string): Promise<number> {
  return (await docker.getImage(tag).inspect()).Size;
}
