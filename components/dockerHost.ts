/**
 * Facts about the deploying host's Docker engine the Docker API filter's container needs: where the
 * socket is and which group may use it (the filter runs non-root and gets that group added).
 */
export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

/** `DOCKER_HOST=unix:///path` moves the socket; any other DOCKER_HOST is not a local socket we can mount. */
export function dockerSocketPath(env: Record<string, string | undefined>): string {
  const host = env.DOCKER_HOST;
  if (host === undefined || host === "") return DEFAULT_DOCKER_SOCKET;
  if (host.startsWith("unix://")) return host.slice("unix://".length);
  throw new Error(
    `DOCKER_HOST=${host}: the Docker API filter needs the engine's local unix socket to mount; allowed: unset, or unix:///path/to/docker.sock`,
  );
}

export function dockerSocketGroup(socketPath: string, stat: (path: string) => { gid: number }): number {
  try {
    return stat(socketPath).gid;
  } catch (err) {
    throw new Error(
      `Cannot read the Docker socket ${socketPath} (${(err as Error).message}): is the Docker daemon running on this host?`,
    );
  }
}
