// Pure: a whole recording → the Docker objects to create, each with the exact API options, in
// creation order. References between resources (a container naming a network or an image by its
// mock id or name) are resolved from the full recording, so a diff's additions can point at
// objects created by an earlier apply.
import type { NetworkCreateOptions } from "dockerode";
import { containerSpec, type ContainerSpec } from "./containerSpec";
import { imageBuildSpec, type ImageBuildSpec } from "./imageBuildSpec";
import { type ImageSubstitutions, substituteImage } from "./imageSubstitution";
import { asString, assertKnownFields } from "./inputFields";
import { networkSpec } from "./networkSpec";
import { applyOrder, kindOf } from "./plan";
import type { RecordedResource } from "./recordedResource";
import { volumeSpec, type VolumeCreateSpec } from "./volumeSpec";

export interface MaterialisationOptions {
  /** The Pulumi program's folder: build contexts resolve against it. */
  programDir: string;
  substitutions: ImageSubstitutions;
}

export type Step =
  | { kind: "network"; resource: RecordedResource; spec: NetworkCreateOptions }
  | { kind: "volume"; resource: RecordedResource; spec: VolumeCreateSpec }
  | { kind: "remoteImage"; resource: RecordedResource; image: string }
  | { kind: "image"; resource: RecordedResource; spec: ImageBuildSpec }
  | { kind: "dynamic"; resource: RecordedResource }
  | { kind: "container"; resource: RecordedResource; spec: ContainerSpec };

const KNOWN_REMOTE_IMAGE_FIELDS = ["name", "keepLocally", "forceRemove", "platform"];

function remoteImageName(resource: RecordedResource, substitutions: ImageSubstitutions): string {
  const where = `RemoteImage "${resource.name}"`;
  assertKnownFields(resource.inputs, KNOWN_REMOTE_IMAGE_FIELDS, where);
  return substituteImage(asString(resource.inputs.name, `${where}.name`) ?? "", substitutions);
}

/** Mock id → engine name for every network, volume and image of the recording. */
export function engineNames(recording: RecordedResource[], options: MaterialisationOptions): Map<string, string> {
  const names = new Map<string, string>();
  for (const resource of recording) {
    const kind = kindOf(resource);
    if (kind === "network") names.set(resource.id, networkSpec(resource.name, resource.inputs).Name as string);
    if (kind === "volume") names.set(resource.id, volumeSpec(resource.name, resource.inputs).Name);
    if (kind === "remoteImage") names.set(resource.id, remoteImageName(resource, options.substitutions));
    if (kind === "image") names.set(resource.id, imageBuildSpec(resource.name, resource.inputs, options.programDir, options.substitutions).tag);
  }
  return names;
}

/**
 * The steps that create `resources` (all of `recording`, or the part a diff adds). Throws, naming
 * resource and field, on anything the harness cannot materialise faithfully.
 */
export function materialisationSteps(
  resources: RecordedResource[],
  recording: RecordedResource[],
  options: MaterialisationOptions,
): Step[] {
  const references = engineNames(recording, options);
  const { programDir, substitutions } = options;
  return applyOrder(resources).map(({ kind, resource }): Step => {
    switch (kind) {
      case "network":
        return { kind, resource, spec: networkSpec(resource.name, resource.inputs) };
      case "volume":
        return { kind, resource, spec: volumeSpec(resource.name, resource.inputs) };
      case "remoteImage":
        return { kind, resource, image: remoteImageName(resource, substitutions) };
      case "image":
        return { kind, resource, spec: imageBuildSpec(resource.name, resource.inputs, programDir, substitutions) };
      case "dynamic":
        return { kind, resource };
      case "container":
        return { kind, resource, spec: containerSpec(resource.name, resource.inputs, references, substitutions) };
    }
  });
}
