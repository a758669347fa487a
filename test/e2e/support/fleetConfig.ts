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

export function e2eStackConfig(workspaceRoot: string, ports: HostPorts, extraCaFile: string): Record<string, unknown> {
  const stub = `http://${STUB_ALIAS}:${STUB_PORT}`;
  return {
    workspaceRoot,
    extraCaCertificates: extraCaFile,
    // The images tier builds the same selection, so the two share the base image's build cache.
    toolchains: TEST_TOOLCHAINS.split(","),
    ports,
    litellm: {
      upstream: {
        "claude-sonnet-4-5": { apiBase: stub },
        "gpt-5.5": { apiBase: `${stub}/v1` },
        "gpt-5": { apiBase: `${stub}/v1` },
      },
    },
    ...UPSTREAM_KEYS,
  };
}
