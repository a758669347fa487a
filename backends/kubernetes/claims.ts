/** Persistent claims of the fleet: one node's worth of access, the configured class or the cluster's default. */
import type * as k8s from "@pulumi/kubernetes";
import type { KubernetesSettings } from "../../config/fleetConfig";

export function claimSpec(settings: KubernetesSettings, size: string): k8s.types.input.core.v1.PersistentVolumeClaimSpec {
  return {
    accessModes: ["ReadWriteOnce"],
    ...(settings.storageClass !== undefined ? { storageClassName: settings.storageClass } : {}),
    resources: { requests: { storage: size } },
  };
}

/** Kept when a StatefulSet scales down or is deleted: a workspace or a database is never thrown away by a count. */
export const RETAIN_CLAIMS = { whenScaled: "Retain", whenDeleted: "Retain" };
