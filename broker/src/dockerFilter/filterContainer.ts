/**
 * How the Docker API filter runs beside the broker, shared by the filter, the Pulumi program and
 * the tests. Dependency-free like agents/labels.ts, so the program can import it.
 */

/** The folder (a volume shared by the filter and the broker) holding the filter's socket. */
export const FILTER_SOCKET_DIR = "/run/llpm-docker";
export const FILTER_SOCKET_PATH = `${FILTER_SOCKET_DIR}/docker.sock`;
/** The filter's command in the broker image (the image's default command is the broker). */
export const FILTER_COMMAND = ["node", "dist/dockerFilter/main.js"];
/** The engine's socket inside the filter's container, wherever it is on the host. */
export const ENGINE_SOCKET_PATH = "/var/run/docker.sock";
/** Healthy when a ping through the filter reaches the engine. (The image's own check is the broker's.) */
export const FILTER_HEALTHCHECK = [
  "node",
  "-e",
  `require('http').get({socketPath:'${FILTER_SOCKET_PATH}',path:'/_ping'},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))`,
];
