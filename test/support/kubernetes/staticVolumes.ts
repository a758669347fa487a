/**
 * The test cluster has no volume provisioner: a test that deploys claims creates, beforehand, one
 * hostPath PersistentVolume per claim, pre-bound to it by claimRef. hostPath ignores fsGroup, so
 * each folder is made with the uid that will write in it.
 */
import type { CoreV1Api } from "@kubernetes/client-node";
import * as fs from "node:fs";
import * as path from "node:path";

export interface StaticClaim {
  claim: string;
  uid: number;
}

export interface StaticVolumes {
  /** The host folder behind a claim. */
  folderOf(claim: string): string;
  remove(): Promise<void>;
}

export async function createStaticVolumes(
  core: CoreV1Api,
  opts: { namespace: string; storageClass: string; hostDir: string; claims: StaticClaim[]; size?: string },
): Promise<StaticVolumes> {
  const pvName = (claim: string) => `${opts.namespace}-${claim}`;
  const folderOf = (claim: string) => path.join(opts.hostDir, claim);
  for (const { claim, uid } of opts.claims) {
    fs.mkdirSync(folderOf(claim), { recursive: true });
    fs.chownSync(folderOf(claim), uid, uid);
    await core.createPersistentVolume({
      body: {
        metadata: { name: pvName(claim) },
        spec: {
          capacity: { storage: opts.size ?? "10Gi" },
          accessModes: ["ReadWriteOnce"],
          persistentVolumeReclaimPolicy: "Retain",
          storageClassName: opts.storageClass,
          claimRef: { namespace: opts.namespace, name: claim },
          hostPath: { path: folderOf(claim), type: "Directory" },
        },
      },
    });
  }
  return {
    folderOf,
    remove: async () => {
      for (const { claim } of opts.claims) await core.deletePersistentVolume({ name: pvName(claim) }).catch(() => undefined);
    },
  };
}
