// A resource as the program declared it under Pulumi mocks: test/support/runProgram.ts records
// them (type token, logical name, inputs with secrets unwrapped, mock id); the harness needs only these.
export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  id: string;
}

export const RESOURCE_TYPES = {
  container: "docker:index/container:Container",
  network: "docker:index/network:Network",
  volume: "docker:index/volume:Volume",
  image: "docker:index/image:Image",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  /** `pulumi-nodejs:dynamic/<module>:<Type>` (or `pulumi-nodejs:dynamic:Resource` without a name). */
  dynamicPrefix: "pulumi-nodejs:dynamic",
} as const;
