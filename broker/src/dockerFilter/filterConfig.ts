import { z } from "zod";
import { parseEndpoint, type Endpoint } from "../runtime/docker/dockerEndpoint";
import { ENGINE_SOCKET_PATH, FILTER_SOCKET_PATH } from "./filterContainer";

export interface DockerFilterConfig {
  /** The `llpm.stack` whose agent containers the broker may reach; set by the program, never by a request. */
  stack: string;
  listen: Endpoint;
  upstream: Endpoint;
  logLevel: string;
}

export class DockerFilterConfigError extends Error {}

const endpoint = (name: string) =>
  z
    .string()
    .transform((value, ctx) => {
      const parsed = parseEndpoint(value);
      if (!parsed) ctx.addIssue({ code: "custom", message: `${name}=${value}: allowed: unix:///absolute/path or tcp://host:port` });
      return parsed as Endpoint;
    });

const EnvSchema = z.object({
  LLPM_STACK: z
    .string({ error: "LLPM_STACK is required: the stack whose agent containers the broker may reach (label llpm.stack)" })
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "LLPM_STACK must be 1-64 of A-Z a-z 0-9 _ . -"),
  DOCKER_FILTER_LISTEN: endpoint("DOCKER_FILTER_LISTEN").default(() => ({ socketPath: FILTER_SOCKET_PATH })),
  DOCKER_FILTER_UPSTREAM: endpoint("DOCKER_FILTER_UPSTREAM").default(() => ({ socketPath: ENGINE_SOCKET_PATH })),
  DOCKER_FILTER_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Reads the filter's settings from the environment; each problem names the variable at fault. */
export function loadDockerFilterConfig(env: NodeJS.ProcessEnv): DockerFilterConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new DockerFilterConfigError(`invalid docker filter configuration:\n${problems.join("\n")}`);
  }
  const e = parsed.data;
  return { stack: e.LLPM_STACK, listen: e.DOCKER_FILTER_LISTEN, upstream: e.DOCKER_FILTER_UPSTREAM, logLevel: e.DOCKER_FILTER_LOG_LEVEL };
}
