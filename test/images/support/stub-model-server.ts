// Starts the stub model server (test/support/stub-model-server) on a private Docker network
// under the alias `litellm`, port 4000, so agent containers use the fleet's env unchanged.
// Its control routes are reached from the host through a port published on 127.0.0.1.
import path from "node:path";
import { docker, dockerOk, randomName } from "./docker-cli";
import { REPO_ROOT, imageTag } from "./image-builds";
import { StubModelClient, type StubProxyRequest, type StubRequest } from "../../support/stubModelClient";

export interface StubModelServer {
  network: string;
  alias: string;
  requests(): Promise<StubRequest[]>;
  proxyRequests(): Promise<StubProxyRequest[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStubModelServer(): Promise<StubModelServer> {
  const tag = imageTag("stub-model-server");
  await dockerOk(["build", "-q", "-t", tag, path.join(REPO_ROOT, "test/support/stub-model-server")], { timeoutMs: 300_000 });
  const network = randomName("net");
  const container = randomName("stub");
  await dockerOk(["network", "create", network]);
  try {
    await dockerOk(["run", "-d", "--name", container, "--network", network, "--network-alias", "litellm",
      "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "-p", "127.0.0.1::4000", tag]);
  } catch (error) {
    await docker(["network", "rm", network]);
    throw error;
  }
  const port = (await dockerOk(["port", container, "4000/tcp"])).trim().split(":").pop();
  const client = new StubModelClient(`http://127.0.0.1:${port}`);
  await client.waitUntilAnswering();
  return {
    network,
    alias: "litellm",
    requests: () => client.requests(),
    proxyRequests: () => client.proxyRequests(),
    clear: () => client.clear(),
    async stop() {
      await docker(["rm", "-f", container]);
      await docker(["network", "rm", network]);
    },
  };
}
