/** Queries over a ProgramRun of the kubernetes backend, shared by its program tests. */
import type { ProgramRun, RecordedResource } from "./runProgram";

export const K8S = {
  provider: "pulumi:providers:kubernetes",
  namespace: "kubernetes:core/v1:Namespace",
  secret: "kubernetes:core/v1:Secret",
  configMap: "kubernetes:core/v1:ConfigMap",
  service: "kubernetes:core/v1:Service",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  claim: "kubernetes:core/v1:PersistentVolumeClaim",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  deployment: "kubernetes:apps/v1:Deployment",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
  clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
} as const;

export function kubernetesOfType(run: ProgramRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one object of `type` whose Kubernetes name is `name`. */
export function objectNamed(run: ProgramRun, type: string, name: string): RecordedResource {
  const found = kubernetesOfType(run, type).filter((r) => r.inputs.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
}

/** Every workload (Deployment, StatefulSet) with its pod template's spec. */
export function workloads(run: ProgramRun): { resource: RecordedResource; pod: any }[] {
  return [...kubernetesOfType(run, K8S.statefulSet), ...kubernetesOfType(run, K8S.deployment)].map((resource) => ({
    resource,
    pod: resource.inputs.spec.template.spec,
  }));
}

/** A container's env as name -> value, or `{ from: ... }` for a valueFrom reference. */
export function containerEnv(container: any): Record<string, unknown> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? { from: e.valueFrom }]));
}
