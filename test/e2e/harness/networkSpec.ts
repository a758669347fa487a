// Pure mapping: a recorded `docker:index/network:Network` → Docker's network create options.
import type { NetworkCreateOptions } from "dockerode";
import { asBoolean, asLabelMap, asString, asStringMap, assertKnownFields } from "./inputFields";

const KNOWN_NETWORK_FIELDS = ["name", "driver", "internal", "attachable", "ipv6", "labels", "options"];

export function networkSpec(resourceName: string, inputs: Record<string, unknown>): NetworkCreateOptions {
  const where = `Network "${resourceName}"`;
  assertKnownFields(inputs, KNOWN_NETWORK_FIELDS, where);
  const spec: NetworkCreateOptions = {
    // The provider names an unnamed network after the resource.
    Name: asString(inputs.name, `${where}.name`) ?? resourceName,
    Driver: asString(inputs.driver, `${where}.driver`) ?? "bridge",
    Internal: asBoolean(inputs.internal, `${where}.internal`) ?? false,
    Attachable: asBoolean(inputs.attachable, `${where}.attachable`) ?? false,
    EnableIPv6: asBoolean(inputs.ipv6, `${where}.ipv6`) ?? false,
    CheckDuplicate: true,
    Labels: asLabelMap(inputs.labels, `${where}.labels`) ?? {},
    Options: asStringMap(inputs.options, `${where}.options`) ?? {},
  };
  return spec;
}
