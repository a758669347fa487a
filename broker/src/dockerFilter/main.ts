import { createLogger } from "../log";
import { createDockerFilter, listenDockerFilter } from "./dockerFilterServer";
import { DockerFilterConfigError, loadDockerFilterConfig } from "./filterConfig";

/** The Docker API filter's own process (`node dist/dockerFilter/main.js`): the only one with the engine's socket. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadDockerFilterConfig(process.env);
  } catch (err) {
    if (!(err instanceof DockerFilterConfigError)) throw err;
    process.stderr.write(`llpm docker filter: ${err.message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel, config.stack, undefined, "llpm-docker-filter");
  const filter = createDockerFilter({ scope: { stack: config.stack }, upstream: config.upstream, log });
  await listenDockerFilter(filter.server, config.listen);
  log.info({ listen: config.listen, upstream: config.upstream }, "docker filter listening");
  const shutdown = (signal: string) => {
    log.info({ signal }, "shutting down");
    void filter.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err) => {
  process.stderr.write(`llpm docker filter failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
