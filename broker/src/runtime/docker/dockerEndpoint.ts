import Docker from "dockerode";

/** A Docker API endpoint as DOCKER_HOST names one: `unix:///path` or `tcp://host:port` (plain HTTP). */
export type Endpoint = { socketPath: string } | { host: string; port: number };

export function parseEndpoint(value: string): Endpoint | null {
  if (value.startsWith("unix://")) {
    const socketPath = value.slice("unix://".length);
    return socketPath.startsWith("/") ? { socketPath } : null;
  }
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):([0-9]{1,5})$/.exec(value);
  if (tcp && Number(tcp[2]) <= 65535) return { host: tcp[1].replace(/^\[|\]$/g, ""), port: Number(tcp[2]) };
  return null;
}

/** A client for that endpoint; without one, dockerode's own default (the local socket). */
export function dockerClient(endpoint: Endpoint | undefined): Docker {
  if (!endpoint) return new Docker({ socketPath: "/var/run/docker.sock" });
  return new Docker("socketPath" in endpoint ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port, protocol: "http" });
}
