// The stub model server (test/support/stub-model-server) as a container on a fleet's network,
// where LiteLLM reaches it by alias; its request log is read through a port published on 127.0.0.1.
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import type Docker from "dockerode";
import { StubModelClient, type StubRequest } from "../../support/stubModelClient";

export const STUB_IMAGE = "llpm-local/stub-model-server:e2e";
export const STUB_ALIAS = "stub-model";
export const STUB_PORT = 4000;

/** Builds the stub's image; the layer cache makes this a no-op when its files did not change. */
export function buildStubImage(repoDir: string): void {
  execFileSync("docker", ["build", "--quiet", "--tag", STUB_IMAGE, path.join(repoDir, "test/support/stub-model-server")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
}

export type { StubRequest };

export class StubModelServer extends StubModelClient {
  static async start(docker: Docker, name: string, network: string): Promise<StubModelServer> {
    const container = await docker.createContainer({
      name,
      Image: STUB_IMAGE,
      Labels: { "llpm.e2e": "stub-model-server" },
      ExposedPorts: { [`${STUB_PORT}/tcp`]: {} },
      HostConfig: {
        NetworkMode: network,
        PortBindings: { [`${STUB_PORT}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: "" }] },
      },
      NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [STUB_ALIAS] } } },
    });
    await container.start();
    const info = await container.inspect();
    const hostPort = info.NetworkSettings.Ports[`${STUB_PORT}/tcp`]?.[0]?.HostPort;
    const stub = new StubModelServer(`http://127.0.0.1:${hostPort}`);
    await stub.waitUntilAnswering();
    return stub;
  }

  /** The base URL LiteLLM's model list points at, from inside the fleet's network. */
  static get apiBase(): string {
    return `http://${STUB_ALIAS}:${STUB_PORT}`;
  }

  /** Removes the stub's container by name, also when `start` failed half-way. */
  static async remove(docker: Docker, name: string): Promise<void> {
    await docker.getContainer(name).remove({ force: true }).catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
    });
  }
}
