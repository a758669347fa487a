/** A kubernetes stack's config for program runs: every fleet secret, a kubeconfig file and prebuilt images for everything. */
import * as fs from "node:fs";
import * as path from "node:path";
import { AGENT_TYPES } from "../../catalogue/agentTypes";
import { GENERATED_SECRET_KEYS } from "../../config/secretKeys";
import type { ProgramHost } from "./programEnv";

export const SECRETS = Object.fromEntries(GENERATED_SECRET_KEYS.map((k) => [k, `given-${k}-0123456789abcdef`]));
export const PROVIDER_KEY = { anthropicApiKey: "sk-ant-k8s-test-0001" };
export const AGENT_IMAGE = "registry.example/llpm/agent:1.0.0";
export const BROKER_IMAGE = "registry.example/llpm/broker:1.0.0";
export const PROXY_IMAGE = "registry.example/llpm/egress-proxy:1.0.0";
export const KUBECONFIG_TEXT = "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user: {token: kubeconfig-secret-token-0001}\n";

export function k8sConfig(host: ProgramHost, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const kubeconfig = path.join(host.dir, "kubeconfig");
  fs.writeFileSync(kubeconfig, KUBECONFIG_TEXT);
  return {
    backend: "kubernetes",
    kubernetes: { kubeconfig, storageClass: "fast", workspaceSize: "5Gi" },
    images: { refs: { ...Object.fromEntries(AGENT_TYPES.map((t) => [t, AGENT_IMAGE])), broker: BROKER_IMAGE, "egress-proxy": PROXY_IMAGE } },
    ...SECRETS,
    ...PROVIDER_KEY,
    ...extra,
  };
}
