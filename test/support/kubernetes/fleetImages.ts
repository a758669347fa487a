/**
 * The fleet's own images for the cluster (the agent images with their real CLIs, the broker and the egress proxy),
 * built from the program's own build specs: the docker backend's images of the same config,
 * recorded under mocks (runProgram) and built by the e2e harness's build loop, with the local
 * stand-ins of the pulled bases, as the Docker e2e tier builds them. So the cluster runs what
 * `npm run up` builds, and shares that tier's layer cache. Backend kubernetes builds images
 * itself only with `images.registry`, and this cluster has none: the test names these tags in `images.refs`.
 */
import type Docker from "dockerode";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AGENT_TYPES } from "../../../catalogue/agentTypes";
import { imageRepository } from "../../../catalogue/naming";
import { SERVICE_IMAGE_NAMES } from "../../../config/defaults";
import { buildImagesInOrder } from "../../e2e/harness/imageBuilds";
import { imageBuildSpec } from "../../e2e/harness/imageBuildSpec";
import { LOCAL_STAND_INS } from "../../e2e/harness/imageSubstitution";
import { kindOf } from "../../e2e/harness/plan";
import { e2eImageConfig, writeExtraCaFile } from "../../e2e/support/fleetConfig";
import { PROJECT_ROOT, runProgram } from "../runProgram";

/**
 * The stack the images are recorded for: fixed, so their tags (`llpm-<stack>/<image>:<content>`)
 * stay the same while their content does, and the cluster's containerd keeps them loaded.
 */
const IMAGES_STACK = "k8s-images";

/** Builds (layer-cached) the images of every agent type, the broker and the egress proxy; returns their tags by `images.refs` name. */
export async function buildFleetImages(docker: Docker, log: (line: string) => void): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(tmpdir(), "llpm-k8s-images-"));
  try {
    const run = await runProgram({
      stack: IMAGES_STACK,
      config: { ...e2eImageConfig(writeExtraCaFile(dir)), workspaceRoot: path.join(dir, "workspaces"), agents: Object.fromEntries(AGENT_TYPES.map((t) => [t, 1])) },
    });
    const specs = run.resources.filter((r) => kindOf(r) === "image").map((r) => imageBuildSpec(r.name, r.inputs, PROJECT_ROOT, LOCAL_STAND_INS));
    await buildImagesInOrder(docker, specs, LOCAL_STAND_INS, (spec, seconds) => log(`built ${spec.tag} in ${seconds.toFixed(1)} s`));
    await dropOlderTags(docker, specs.map((s) => s.tag));
    return Object.fromEntries(
      [...AGENT_TYPES, ...SERVICE_IMAGE_NAMES].map((name) => {
        const spec = specs.find((s) => s.tag.startsWith(`${imageRepository(IMAGES_STACK, name)}:`));
        if (!spec) throw new Error(`the program declared no ${name} image: ${specs.map((s) => s.tag).join(", ")}`);
        return [name, spec.tag];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Tags of earlier contents go, so reruns after edits do not pile up images on the shared engine (agents first: a base with children stays). */
async function dropOlderTags(docker: Docker, current: string[]): Promise<void> {
  for (const tag of [...current].reverse()) {
    const repository = tag.slice(0, tag.lastIndexOf(":"));
    for (const image of await docker.listImages({ filters: { reference: [repository] } })) {
      for (const old of image.RepoTags ?? []) {
        if (!current.includes(old)) await docker.getImage(old).remove().catch(() => undefined);
      }
    }
  }
}
