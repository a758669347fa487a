/**
 * The fleet's own images for a cluster (`images.refs.<name>`), built exactly as the Docker
 * backend's program declares them: the program is recorded under mocks for one fixed stack and
 * the e2e harness builds the chosen images, with the images they build FROM, swapping pulled
 * bases for the local stand-ins as the Docker e2e tier does. Tags are content-derived and the
 * stack is fixed, so a warm rerun builds nothing new and loading into the cluster is skipped.
 */
import type Docker from "dockerode";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DockerFleet } from "../../e2e/harness/dockerFleet";
import { LOCAL_STAND_INS } from "../../e2e/harness/imageSubstitution";
import { e2eStackConfig, writeExtraCaFile } from "../../e2e/support/fleetConfig";
import { AGENT_TYPES } from "../../../catalogue/agentTypes";
import { IMAGE } from "../recordedFleet";
import { PROJECT_ROOT, runProgram, type RecordedResource } from "../runProgram";

/** The stack the images are recorded for: part of their names (`llpm-<stack>/<name>:<tag>`). */
const IMAGES_STACK = "cluster-images";
/** A cold build of the agent images (CLIs from npm and PyPI) takes minutes. */
export const PROGRAM_IMAGES_TIMEOUT_MS = 30 * 60_000;

/** `image-<name>` and every image whose name its build args hold, transitively. */
function withBaseImages(images: RecordedResource[], names: string[]): RecordedResource[] {
  const chosen = new Set(images.filter((r) => names.some((n) => r.name === `image-${n}`)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const image of images) {
      if (chosen.has(image)) continue;
      if ([...chosen].some((c) => Object.values(c.inputs.build?.args ?? {}).includes(image.inputs.imageName))) {
        chosen.add(image);
        grew = true;
      }
    }
  }
  return [...chosen];
}

/** Builds `names` (agent types, `broker`, `egress-proxy`) and returns each one's tag. */
export async function buildProgramImages(docker: Docker, names: string[]): Promise<Record<string, string>> {
  const runDir = mkdtempSync(path.join(tmpdir(), "llpm-cluster-images-"));
  try {
    const config = {
      ...e2eStackConfig(path.join(runDir, "workspaces"), { broker: 1, litellm: 2 }, writeExtraCaFile(runDir)),
      agents: Object.fromEntries(AGENT_TYPES.map((t) => [t, 1])),
    };
    const run = await runProgram({ stack: IMAGES_STACK, config });
    const images = run.resources.filter((r) => r.type === IMAGE);
    const missing = names.filter((n) => !images.some((r) => r.name === `image-${n}`));
    if (missing.length > 0) throw new Error(`the program declares no image for ${missing.join(", ")}`);
    const chosen = new Set(withBaseImages(images, names));
    const harness = new DockerFleet({ docker, programDir: PROJECT_ROOT, substitutions: LOCAL_STAND_INS });
    await harness.apply(run.resources, PROGRAM_IMAGES_TIMEOUT_MS, (r) => chosen.has(r));
    return Object.fromEntries(names.map((n) => [n, images.find((r) => r.name === `image-${n}`)!.inputs.imageName as string]));
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}
