/** Queries over a ProgramRun's recorded resources, shared by the program tests. */
import type { ProgramRun, RecordedResource } from "./runProgram";
import type { Role } from "../../catalogue/naming";

export const CONTAINER = "docker:index/container:Container";
export const IMAGE = "docker:index/image:Image";
export const VOLUME = "docker:index/volume:Volume";
export const WORKSPACE_FOLDER = "pulumi-nodejs:dynamic/llpm:WorkspaceFolder";
export const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";

export function ofType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function labelsOf(container: RecordedResource): Record<string, string> {
  return Object.fromEntries((container.inputs.labels ?? []).map((l: { label: string; value: string }) => [l.label, l.value]));
}

export function envOf(container: RecordedResource): Record<string, string> {
  return Object.fromEntries(
    (container.inputs.envs ?? []).map((line: string) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

export function containersWithRole(run: ProgramRun, role: string): RecordedResource[] {
  return ofType(run, CONTAINER).filter((c) => labelsOf(c)["llpm.role"] === role);
}

export function agentContainers(run: ProgramRun, agentType?: string): RecordedResource[] {
  return containersWithRole(run, "agent").filter((c) => agentType === undefined || labelsOf(c)["llpm.agent.type"] === agentType);
}

export function coreContainer(run: ProgramRun, role: Exclude<Role, "agent">): RecordedResource {
  const [container, ...more] = containersWithRole(run, role);
  if (!container || more.length > 0) throw new Error(`expected exactly one ${role} container`);
  return container;
}

export function resourceNamed(run: ProgramRun, type: string, name: string): RecordedResource {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
}
