import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { createDockerFilter, listenDockerFilter } from "../../../broker/src/dockerFilter/dockerFilterServer";
import { loadDockerFilterConfig } from "../../../broker/src/dockerFilter/filterConfig";
import { createLogger } from "../../../broker/src/log";

export interface RunningDockerFilter {
  /** `unix:///…/docker.sock`: what the broker gets as DOCKER_HOST. */
  dockerHost: string;
  socketPath: string;
  server: Server;
  /** Every line the filter logged (refusals among them). */
  logLines: string[];
  stop(): Promise<void>;
}

/** The production Docker API filter, in this process, on a socket of its own, for one stack. */
export async function startDockerFilter(stack: string): Promise<RunningDockerFilter> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "llpmt-dockerfilter-"));
  const socketPath = path.join(dir, "docker.sock");
  const config = loadDockerFilterConfig({ LLPM_STACK: stack, DOCKER_FILTER_LISTEN: `unix://${socketPath}` });
  const logLines: string[] = [];
  const log = createLogger("info", stack, { write: (line: string) => void logLines.push(line) }, "llpm-docker-filter");
  const filter = createDockerFilter({ scope: { stack: config.stack }, upstream: config.upstream, log });
  await listenDockerFilter(filter.server, config.listen);
  return {
    dockerHost: `unix://${socketPath}`,
    socketPath,
    server: filter.server,
    logLines,
    async stop() {
      await filter.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
