// Pure mapping: a recorded `docker:index/image:Image` → a local `docker build`, with pulled base
// images swapped for the local stand-ins. Nothing is pushed: the harness's engine is the registry.
import * as path from "node:path";
import { type ImageSubstitutions, substituteBuildArgs } from "./imageSubstitution";
import { asBoolean, asRecord, asString, asStringMap, assertKnownFields, UnsupportedInputError } from "./inputFields";

export interface ImageBuildSpec {
  tag: string;
  context: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  target?: string;
}

const KNOWN_IMAGE_FIELDS = ["imageName", "build", "skipPush", "buildOnPreview"];
// `platform` and `builderVersion` are left out on purpose: the harness builds for this host with
// the classic builder only, so a program that sets them must fail here rather than be ignored.
const KNOWN_BUILD_FIELDS = ["context", "dockerfile", "args", "target"];

/**
 * @param programDir the Pulumi program's folder: the provider resolves a relative context, and a
 *   relative dockerfile, against it (pulumi-docker 4.1+), not against the context.
 */
export function imageBuildSpec(
  resourceName: string,
  inputs: Record<string, unknown>,
  programDir: string,
  substitutions: ImageSubstitutions,
): ImageBuildSpec {
  const where = `Image "${resourceName}"`;
  assertKnownFields(inputs, KNOWN_IMAGE_FIELDS, where);
  const tag = asString(inputs.imageName, `${where}.imageName`);
  if (!tag) throw new UnsupportedInputError(`${where}.imageName is missing`);
  if (asBoolean(inputs.skipPush, `${where}.skipPush`) === false) {
    throw new UnsupportedInputError(`${where}.skipPush: pushing to a registry cannot be materialised here`);
  }
  const build = asRecord(inputs.build ?? {}, `${where}.build`);
  assertKnownFields(build, KNOWN_BUILD_FIELDS, `${where}.build`);
  const context = path.resolve(programDir, asString(build.context, `${where}.build.context`) ?? ".");
  const dockerfile = asString(build.dockerfile, `${where}.build.dockerfile`);
  const target = asString(build.target, `${where}.build.target`);
  return {
    tag,
    context,
    dockerfile: dockerfile === undefined ? path.join(context, "Dockerfile") : path.resolve(programDir, dockerfile),
    buildArgs: substituteBuildArgs(asStringMap(build.args, `${where}.build.args`) ?? {}, substitutions),
    ...(target === undefined ? {} : { target }),
  };
}

/** Images in an order where every image comes after the images its build args or FROM lines name. */
export function imageBuildOrder(specs: ImageBuildSpec[], fromImagesOf: (spec: ImageBuildSpec) => string[]): ImageBuildSpec[] {
  const byTag = new Map(specs.map((spec) => [spec.tag, spec]));
  const ordered: ImageBuildSpec[] = [];
  const visiting = new Set<string>();
  const visit = (spec: ImageBuildSpec) => {
    if (ordered.includes(spec)) return;
    if (visiting.has(spec.tag)) throw new Error(`images depend on each other in a cycle through ${spec.tag}`);
    visiting.add(spec.tag);
    for (const name of [...Object.values(spec.buildArgs), ...fromImagesOf(spec)]) {
      const dependency = byTag.get(name);
      if (dependency && dependency !== spec) visit(dependency);
    }
    visiting.delete(spec.tag);
    ordered.push(spec);
  };
  specs.forEach(visit);
  return ordered;
}

/** The images a Dockerfile's FROM lines name (stage names and ARG-expanded images excluded). */
export function fromImages(dockerfile: string, buildArgs: Record<string, string>): string[] {
  const declaredArgs = new Map<string, string>();
  for (const match of dockerfile.matchAll(/^\s*ARG\s+(\w+)(?:=(\S+))?/gim)) declaredArgs.set(match[1], match[2] ?? "");
  const stages = new Set<string>();
  const images: string[] = [];
  for (const match of dockerfile.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    const image = match[1].replace(/\$\{?(\w+)\}?/g, (_all, name: string) => buildArgs[name] ?? declaredArgs.get(name) ?? "");
    if (!stages.has(image)) images.push(image);
    if (match[2]) stages.add(match[2]);
  }
  return images;
}
