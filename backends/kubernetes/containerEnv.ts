/** Container env entries in the form Kubernetes takes them, in a stable order so an unchanged env never shows as a diff. */
import type * as k8s from "@pulumi/kubernetes";

export function plainEnv(values: Record<string, string>): k8s.types.input.core.v1.EnvVar[] {
  return Object.keys(values)
    .sort()
    .map((name) => ({ name, value: values[name] }));
}

/** A value the pod knows about itself (its name, namespace, labels). */
export function podFieldEnv(name: string, fieldPath: string): k8s.types.input.core.v1.EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}
