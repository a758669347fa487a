// Pure mapping: a recorded `docker:index/volume:Volume` → Docker's volume create options.
import { asLabelMap, asString, asStringMap, assertKnownFields } from "./inputFields";

export interface VolumeCreateSpec {
  Name: string;
  Driver: string;
  DriverOpts: Record<string, string>;
  Labels: Record<string, string>;
}

export function volumeSpec(resourceName: string, inputs: Record<string, unknown>): VolumeCreateSpec {
  const where = `Volume "${resourceName}"`;
  assertKnownFields(inputs, ["name", "driver", "driverOpts", "labels"], where);
  return {
    Name: asString(inputs.name, `${where}.name`) ?? resourceName,
    Driver: asString(inputs.driver, `${where}.driver`) ?? "local",
    DriverOpts: asStringMap(inputs.driverOpts, `${where}.driverOpts`) ?? {},
    Labels: asLabelMap(inputs.labels, `${where}.labels`) ?? {},
  };
}
