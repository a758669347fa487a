import { createBroker } from "./app";
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./log";
import { createRuntime } from "./runtime/createRuntime";
import type { AgentRuntime } from "./runtime/runtime";

async function main(): Promise<void> {
  let config;
  let log;
  let runtime: AgentRuntime;
  try {
    config = loadConfig(process.env);
    log = createLogger(config.logLevel, config.stack);
    runtime = createRuntime(config, log);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`llpm broker: ${err.message}\n`);
    process.exit(2);
  }
  const broker = createBroker(config, runtime, log);
  // Listening first: a dashboard reconnecting after a restart sees the jobs reconciliation finishes.
  const server = broker.app.listen(config.port, config.host, () => {
    log.info({ host: config.host, port: config.port, db: config.dbPath }, "broker listening");
  });
  await broker.start();
  const shutdown = (signal: string) => {
    log.info({ signal }, "shutting down; running jobs continue in their containers and are reconciled on restart");
    server.close();
    server.closeAllConnections();
    broker.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err) => {
  process.stderr.write(`llpm broker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
