import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import supertest from "supertest";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createBroker, type Broker } from "../../../broker/src/app";
import { loadConfig, type BrokerConfig } from "../../../broker/src/config";
import { createRuntime } from "../../../broker/src/runtime/createRuntime";
import { createLogger } from "../../../broker/src/log";
import { startDockerFilter, type RunningDockerFilter } from "./dockerFilter";

export const TOKEN = "test-broker-token-0123456789abcdef";

export interface RunningBroker {
  broker: Broker;
  /** The Docker API filter this broker reaches the engine through, as in the fleet. */
  dockerFilter: RunningDockerFilter;
  config: BrokerConfig;
  server: Server;
  url: string;
  api: supertest.Agent;
  stop(): Promise<void>;
}

/** A temporary folder for a broker database that outlives one broker (restart tests). */
export function tempDbPath(): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "llpmt-brk-db-"));
  return { path: path.join(dir, "broker.db"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface StartOptions {
  /** Receives every log line (JSON), whatever BROKER_TEST_LOG says. */
  logLines?: string[];
  /** Runs once the broker listens, before it discovers agents and reconciles jobs (as main.ts does). */
  beforeStart?: (url: string) => Promise<void>;
}

/**
 * The real broker on 127.0.0.1 (random port) against the real Docker engine, reaching it only
 * through its own Docker API filter (scoped to the same stack), as the fleet runs it; or through
 * the runtime `env` selects (an AgentFleet's brokerEnv). The runtime is built as main.ts builds it.
 */
export async function startBroker(stack: string, dbPath: string, env: Record<string, string> = {}, opts: StartOptions = {}): Promise<RunningBroker> {
  const dockerFilter = await startDockerFilter(stack);
  const config = loadConfig({
    BROKER_TOKEN: TOKEN,
    LLPM_STACK: stack,
    BROKER_DB: dbPath,
    BROKER_PORT: "0",
    BROKER_RESYNC_SECONDS: "2",
    DOCKER_HOST: dockerFilter.dockerHost,
    ...env,
  });
  const lines = opts.logLines;
  const log = lines
    ? createLogger("info", stack, { write: (line: string) => void lines.push(line) })
    : createLogger(process.env.BROKER_TEST_LOG ?? "silent", stack);
  const broker = createBroker(config, createRuntime(config, log), log);
  const server = await new Promise<Server>((resolve) => {
    const s = broker.app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await opts.beforeStart?.(url);
  await broker.start();
  const api = supertest.agent(url).set("Authorization", `Bearer ${TOKEN}`);
  return {
    broker,
    dockerFilter,
    config,
    server,
    url,
    api,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      broker.close();
      await dockerFilter.stop();
    },
  };
}
