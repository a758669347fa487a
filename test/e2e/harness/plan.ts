// Pure planning over recorded resources: what kind of Docker object each one is, the order to
// create them in, and the difference between two recordings (for scaling by diff).
import { isDeepStrictEqual } from "node:util";
import { RESOURCE_TYPES, type RecordedResource } from "./recordedResource";
import { UnsupportedInputError } from "./inputFields";

export type ResourceKind = "network" | "volume" | "image" | "remoteImage" | "dynamic" | "container";

// Created in this order; removed in the reverse.
export const APPLY_ORDER: readonly ResourceKind[] = ["network", "volume", "remoteImage", "image", "dynamic", "container"];

// Containers start dependencies first, so each finds what it talks to.
// The Docker API filter before the broker: its socket is the broker's only way to the engine.
const ROLE_ORDER = ["postgres", "litellm", "docker-filter", "broker", "agent"];

/**
 * Types with no Docker object of their own: generated values (already in the inputs that use
 * them), providers, the stack, and the program's own component resources (`llpm:fleet:*`).
 */
const NOT_MATERIALISED = [/^random:/, /^pulumi:providers:/, /^pulumi:pulumi:Stack$/, /^llpm:/];

export function kindOf(resource: RecordedResource): ResourceKind | undefined {
  switch (resource.type) {
    case RESOURCE_TYPES.container:
      return "container";
    case RESOURCE_TYPES.network:
      return "network";
    case RESOURCE_TYPES.volume:
      return "volume";
    case RESOURCE_TYPES.image:
      return "image";
    case RESOURCE_TYPES.remoteImage:
      return "remoteImage";
  }
  if (resource.type.startsWith(RESOURCE_TYPES.dynamicPrefix)) return "dynamic";
  if (NOT_MATERIALISED.some((pattern) => pattern.test(resource.type))) return undefined;
  // Any other provider's resource would be silently missing from the fleet: stop instead.
  throw new UnsupportedInputError(`resource "${resource.name}" has type ${resource.type}, which the e2e harness cannot materialise`);
}

function roleOf(resource: RecordedResource): string {
  const labels = (resource.inputs.labels as { label: string; value: string }[] | undefined) ?? [];
  return labels.find((entry) => entry.label === "llpm.role")?.value ?? "";
}

function roleRank(resource: RecordedResource): number {
  const rank = ROLE_ORDER.indexOf(roleOf(resource));
  return rank === -1 ? ROLE_ORDER.length : rank;
}

export interface PlannedResource {
  kind: ResourceKind;
  resource: RecordedResource;
}

/** The materialisable resources in creation order (a stable sort: the program's own order within a step). */
export function applyOrder(resources: RecordedResource[]): PlannedResource[] {
  return resources
    .flatMap((resource) => {
      const kind = kindOf(resource);
      return kind ? [{ kind, resource }] : [];
    })
    .map((planned, index) => ({ planned, index }))
    .sort(
      (a, b) =>
        APPLY_ORDER.indexOf(a.planned.kind) - APPLY_ORDER.indexOf(b.planned.kind) ||
        (a.planned.kind === "container" ? roleRank(a.planned.resource) - roleRank(b.planned.resource) : 0) ||
        a.index - b.index,
    )
    .map(({ planned }) => planned);
}

export interface ResourceDiff {
  added: RecordedResource[];
  removed: RecordedResource[];
  /** On the engine before and after (including the changed ones, which the harness leaves as they are). */
  kept: RecordedResource[];
  /** Same name, other inputs: Pulumi would update or replace these; scaling must cause none. */
  changed: { name: string; type: string; fields: string[] }[];
}

/** Compares two recordings by Pulumi type and logical name, as the Pulumi engine matches resources. */
export function diffResources(previous: RecordedResource[], next: RecordedResource[]): ResourceDiff {
  const key = (r: RecordedResource) => `${r.type}::${r.name}`;
  const before = new Map(previous.map((r) => [key(r), r]));
  const after = new Map(next.map((r) => [key(r), r]));
  const diff: ResourceDiff = { added: [], removed: [], kept: [], changed: [] };
  for (const resource of next) {
    const old = before.get(key(resource));
    if (!old) diff.added.push(resource);
    else {
      const fields = changedFields(old.inputs, resource.inputs);
      if (fields.length > 0) diff.changed.push({ name: resource.name, type: resource.type, fields });
      diff.kept.push(old);
    }
  }
  diff.removed = previous.filter((r) => !after.has(key(r)));
  return diff;
}

export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...fields].filter((field) => !isDeepStrictEqual(before[field], after[field])).sort();
}
