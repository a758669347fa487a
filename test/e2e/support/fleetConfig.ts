// The stack config the e2e run deploys with: the dev preset as shipped, plus what this machine
// needs (a temporary workspace root, its extra CA, a small toolchain selection, free host ports)
// and LiteLLM's upstreams pointed at the stub model server.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { TEST_TOOLCHAINS } from "../../images/support/image-builds";
import { extraCaCertificates } from "../../support/hostCaCertificates";
import { STUB_ALIAS, STUB_PORT } from "./stubModelServer";

export const UPSTREAM_KEYS = {
  anthropicApiKey: "sk-e2e-upstream-anthropic",
  openaiApiKey: "sk-e2e-upstream-openai",
} as const;

export interface HostPorts {
  broker: number;
  litellm: number;
}

/**
 * Writes this machine's extra CA (what a user behind a proxy would point `extraCaCertificates`
 * at) into `dir`; the same PEM as the images tier uses, so both share the build cache.
 */
export function writeExtraCaFile(dir: string): string {
  const file = path.join(dir, "extra-ca.pem");
  writeFileSync(file, `${extraCaCertificates()}\n`);
  return file;
}

/**
 * What the fleet's images are built with here: this machine's extra CA and the toolchains the
 * images tier builds too, so every tier shares the base image's build cache.
 */
export function e2eImageConfig(extraCaFile: string): Record<string, unknown> {
  return { extraCaCertificates: extraCaFile, toolchains: TEST_TOOLCHAINS.split(",") };
}

/** LiteLLM's upstreams, every model at the stub model server (by its alias, from inside the fleet). */
export function stubUpstreams(): Record<string, { apiBase: string }> {
  const stub = `http://${STUB_ALIAS}:${STUB_PORT}`;
  return {
    "claude-sonnet-4-5": { apiBase: stub },
    "gpt-5.5": { apiBase: `${stub}/v1` },
    "gpt-5": { apiBase: `${stub}/v1` },
  };
}

export function e2eStackConfig(workspaceRoot: string, ports: HostPorts, extraCaFile: string): Record<string, unknown> {
  return {
    workspaceRoot,
    ...e2eImageConfig(extraCaFile),
    ports,
    litellm: { upstream: stubUpstreams() },
    ...UPSTREAM_KEYS,
  };
}
