// Builds recorded images in dependency order (an image after the images its build args or FROM
// lines name), each through dockerBuild: the one build loop of the harness, also used by tiers
// that build the program's images without materialising the rest of its fleet.
import { readFile } from "node:fs/promises";
import type Docker from "dockerode";
import { dockerBuild } from "./dockerBuild";
import { fromImages, imageBuildOrder, type ImageBuildSpec } from "./imageBuildSpec";
import type { ImageSubstitutions } from "./imageSubstitution";

export async function buildImagesInOrder(
  docker: Docker,
  specs: ImageBuildSpec[],
  substitutions: ImageSubstitutions,
  onBuilt: (spec: ImageBuildSpec, seconds: number) => void,
): Promise<void> {
  const dockerfiles = new Map<ImageBuildSpec, string>();
  for (const spec of specs) dockerfiles.set(spec, await readFile(spec.dockerfile, "utf8"));
  for (const spec of imageBuildOrder(specs, (s) => fromImages(dockerfiles.get(s) ?? "", s.buildArgs))) {
    const started = Date.now();
    await dockerBuild(docker, spec, substitutions);
    onBuilt(spec, (Date.now() - started) / 1000);
  }
}
