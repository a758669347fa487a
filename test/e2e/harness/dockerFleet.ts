// Materialises a recorded Pulumi program on a real Docker engine, the way `pulumi up` with the
// docker provider would: networks, volumes, images, dynamic resources (workspace folders), then
// containers (Postgres, LiteLLM, broker, agents). It can apply a second recording as a diff, and
// removes everything it created on teardown, also after a failed apply.
import type Docker from "dockerode";
import { endpointConfig, type ContainerSpec, type References } from "./containerSpec";
import { dynamicProviderFor } from "./dynamicProviders";
import { waitUntilReady } from "./health";
import { buildImagesInOrder } from "./imageBuilds";
import type { ImageBuildSpec } from "./imageBuildSpec";
import type { ImageSubstitutions } from "./imageSubstitution";
import { engineNames, materialisationSteps, type Step } from "./materialisation";
import { APPLY_ORDER, diffResources, type ResourceDiff, type ResourceKind } from "./plan";
import { readBackDifferences, type ReadBackDifference } from "./readBack";
import type { RecordedResource } from "./recordedResource";
import { uploadArchive } from "./uploadArchive";

export interface DockerFleetOptions {
  docker: Docker;
  /** The Pulumi program's folder: build contexts resolve against it. */
  programDir: string;
  substitutions: ImageSubstitutions;
  /**
   * Built images are re-tagged `<imageCache>/<name>:latest` on teardown before their per-stack
   * tag goes, so their layers stay as the next run's build cache.
   */
  imageCache?: string;
  log?: (line: string) => void;
}

interface Materialised {
  kind: ResourceKind;
  resource: RecordedResource;
  /** The object's name on the engine (container, network, volume, image tag), or a dynamic resource's id. */
  engineName: string;
  stopGraceSeconds?: number;
  dynamic?: { type: string; outs: Record<string, unknown> };
}

export class DockerFleet {
  private readonly created = new Map<string, Materialised>();
  private readonly docker: Docker;
  /** Mock id → engine name of the recording applied last. */
  private references: References = new Map();

  constructor(private readonly options: DockerFleetOptions) {
    this.docker = options.docker;
  }

  /**
   * Creates every resource of the recording (or those `only` selects, which must not need the
   * others), in dependency order, and waits for the containers.
   */
  async apply<R extends RecordedResource>(recording: R[], readyTimeoutMs: number, only: (resource: R) => boolean = () => true): Promise<void> {
    this.references = engineNames(recording, this.options);
    await this.create(materialisationSteps(recording.filter(only), recording, this.options), readyTimeoutMs);
  }

  /**
   * What the docker provider would read back from each container this fleet created, against the
   * recorded inputs (readBack.ts): empty when a `pulumi up` right after would plan nothing.
   */
  async readBackDifferences(): Promise<ReadBackDifference[]> {
    const differences: ReadBackDifference[] = [];
    for (const item of this.created.values()) {
      if (item.kind !== "container") continue;
      const inspect = await this.docker.getContainer(item.engineName).inspect();
      differences.push(...readBackDifferences(item.resource, inspect, this.references));
    }
    return differences;
  }

  /**
   * Applies `next` over the fleet created from `previous`: creates what is new, removes what is
   * gone, leaves the rest untouched. The harness does no updates: a kept resource whose inputs
   * changed (an update or replacement for Pulumi) stops the apply before anything is touched.
   */
  async applyDiff(previous: RecordedResource[], next: RecordedResource[], readyTimeoutMs: number): Promise<ResourceDiff> {
    const diff = diffResources(previous, next);
    if (diff.changed.length > 0) {
      const changes = diff.changed.map((c) => `${c.type} "${c.name}": ${c.fields.join(", ")}`).join("\n");
      throw new Error(`the new recording changes inputs of resources it keeps (Pulumi would update or replace them):\n${changes}`);
    }
    this.references = engineNames(next, this.options);
    const additions = materialisationSteps(diff.added, next, this.options);
    for (const step of materialisationSteps(diff.removed, previous, this.options).reverse()) {
      const key = keyOf(step.resource);
      const item = this.created.get(key);
      if (!item) throw new Error(`${step.resource.type} "${step.resource.name}" was never created by this fleet`);
      await this.removeObject(item);
      this.created.delete(key);
    }
    await this.create(additions, readyTimeoutMs);
    return diff;
  }

  /** Removes, last-created kind first, everything this fleet created; built images are kept as cache. */
  async teardown(): Promise<void> {
    const errors: string[] = [];
    for (const kind of [...APPLY_ORDER].reverse()) {
      for (const [key, item] of [...this.created.entries()].filter(([, value]) => value.kind === kind)) {
        try {
          await this.removeObject(item);
          this.created.delete(key);
        } catch (error) {
          errors.push(`${item.kind} ${item.engineName}: ${(error as Error).message}`);
        }
      }
    }
    if (errors.length > 0) throw new Error(`teardown left objects behind:\n${errors.join("\n")}`);
  }

  private async create(steps: Step[], readyTimeoutMs: number): Promise<void> {
    const containers: string[] = [];
    await this.buildImages(steps.flatMap((step) => (step.kind === "image" ? [step] : [])));
    for (const step of steps) {
      switch (step.kind) {
        case "network":
          await this.docker.createNetwork(step.spec);
          this.record({ resource: step.resource, kind: step.kind, engineName: step.spec.Name as string });
          break;
        case "volume":
          await this.docker.createVolume(step.spec);
          this.record({ resource: step.resource, kind: step.kind, engineName: step.spec.Name });
          break;
        case "remoteImage":
          // Nothing can be pulled here: the image (or its stand-in) must already be on the engine.
          await this.docker.getImage(step.image).inspect();
          this.record({ resource: step.resource, kind: step.kind, engineName: step.image });
          break;
        case "dynamic": {
          const { id, outs } = await dynamicProviderFor(step.resource.type, step.resource.name).create(step.resource.inputs);
          this.record({ resource: step.resource, kind: step.kind, engineName: id, dynamic: { type: step.resource.type, outs: outs ?? {} } });
          break;
        }
        case "container":
          containers.push(await this.createContainer(step.resource, step.spec));
          break;
        case "image":
          break;
      }
    }
    if (containers.length === 0) return;
    this.log(`waiting for ${containers.length} container(s) to be ready`);
    await waitUntilReady(this.docker, containers, readyTimeoutMs);
  }

  private async buildImages(steps: Extract<Step, { kind: "image" }>[]): Promise<void> {
    const resourceOf = new Map<ImageBuildSpec, RecordedResource>(steps.map((step) => [step.spec, step.resource]));
    await buildImagesInOrder(this.docker, [...resourceOf.keys()], this.options.substitutions, (spec, seconds) => {
      this.log(`built ${spec.tag} in ${seconds.toFixed(1)} s`);
      this.record({ resource: resourceOf.get(spec) as RecordedResource, kind: "image", engineName: spec.tag });
    });
  }

  private async createContainer(resource: RecordedResource, spec: ContainerSpec): Promise<string> {
    const name = spec.create.name ?? resource.name;
    const container = await this.docker.createContainer({ ...spec.create, name });
    // Recorded before anything else can fail, so teardown removes a half-made container too.
    this.record({ resource, kind: "container", engineName: name, stopGraceSeconds: spec.stopGraceSeconds });
    for (const attachment of spec.extraNetworks) {
      await this.docker.getNetwork(attachment.network).connect({ Container: container.id, EndpointConfig: endpointConfig(attachment) });
    }
    if (spec.uploads.length > 0) await container.putArchive(await uploadArchive(spec.uploads), { path: "/" });
    if (spec.start) await container.start();
    return name;
  }

  private async removeObject(item: Materialised): Promise<void> {
    switch (item.kind) {
      case "container": {
        const container = this.docker.getContainer(item.engineName);
        await container.stop({ t: item.stopGraceSeconds ?? 10 }).catch(ignoreStatus(304, 404));
        await container.remove({ force: true, v: true }).catch(ignoreStatus(404));
        return;
      }
      case "network":
        await this.docker.getNetwork(item.engineName).remove().catch(ignoreStatus(404));
        return;
      case "volume":
        await this.docker.getVolume(item.engineName).remove().catch(ignoreStatus(404));
        return;
      case "dynamic":
        await dynamicProviderFor(item.dynamic?.type ?? "", item.engineName).delete?.(item.engineName, item.dynamic?.outs ?? {});
        return;
      case "image":
        await this.keepAsCache(item.engineName);
        return;
      case "remoteImage":
        return;
    }
  }

  private async keepAsCache(tag: string): Promise<void> {
    if (!this.options.imageCache) return;
    const name = tag.slice(0, tag.lastIndexOf(":")).split("/").at(-1);
    await this.docker.getImage(tag).tag({ repo: `${this.options.imageCache}/${name}`, tag: "latest" });
    // Only the tag goes: the image stays under its cache name.
    await this.docker.getImage(tag).remove({ noprune: true }).catch(ignoreStatus(404));
  }

  private record(item: Materialised): void {
    this.created.set(keyOf(item.resource), item);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

function keyOf(resource: RecordedResource): string {
  return `${resource.type}::${resource.name}`;
}

/** Docker answers 304 (already stopped) or 404 (already gone): both mean the goal is reached. */
function ignoreStatus(...statuses: number[]) {
  return (error: { statusCode?: number }) => {
    if (!statuses.includes(error.statusCode ?? 0)) throw error;
  };
}

/**
 * Safety net after a crashed run: removes every container, network and volume of a stack, found
 * by the `llpm.stack` label the program puts on them or by the `llpm-<stack>` name prefix.
 */
export async function sweepStack(docker: Docker, stack: string): Promise<string[]> {
  const byLabel = { label: [`llpm.stack=${stack}`] };
  const byName = { name: [`llpm-${stack}`] };
  const removed: string[] = [];
  const containers = [...(await docker.listContainers({ all: true, filters: byLabel })), ...(await docker.listContainers({ all: true, filters: byName }))];
  for (const id of new Set(containers.map((c) => c.Id))) {
    await docker.getContainer(id).remove({ force: true, v: true }).catch(ignoreStatus(404));
    removed.push(`container ${id.slice(0, 12)}`);
  }
  const networks = [...(await docker.listNetworks({ filters: byLabel })), ...(await docker.listNetworks({ filters: byName }))];
  for (const name of new Set(networks.map((n) => n.Name))) {
    await docker.getNetwork(name).remove().catch(ignoreStatus(404));
    removed.push(`network ${name}`);
  }
  const volumes = [...((await docker.listVolumes({ filters: byLabel })).Volumes ?? []), ...((await docker.listVolumes({ filters: byName })).Volumes ?? [])];
  for (const name of new Set(volumes.map((v) => v.Name))) {
    await docker.getVolume(name).remove().catch(ignoreStatus(404));
    removed.push(`volume ${name}`);
  }
  return removed;
}
