/** Small pieces every fleet container shares, as @pulumi/docker input shapes. */
import type * as docker from "@pulumi/docker";
import { canonicalCapability } from "./providerReadBack";

type Label = docker.types.input.ContainerLabel;
type Port = docker.types.input.ContainerPort;

export function dockerLabels(labels: Record<string, string>): Label[] {
  return Object.entries(labels).map(([label, value]) => ({ label, value }));
}

export function publishedPort(bindAddress: string, hostPort: number, containerPort: number): Port {
  return { ip: bindAddress, external: hostPort, internal: containerPort, protocol: "tcp" };
}

/** `NAME=value` lines, in a stable order so an unchanged env never shows as a diff. */
export function envList(env: Record<string, string>): string[] {
  return Object.keys(env)
    .sort()
    .map((k) => `${k}=${env[k]}`);
}

/** Go durations, in the form the docker provider reads back (Duration.String: "30s", "1m30s"). */
export interface HealthcheckTiming {
  interval: string;
  timeout: string;
  startPeriod: string;
  retries: number;
}

/** Core services' checks do real work (a query, an HTTP call), so they run seldom. */
export const SERVICE_HEALTHCHECK: HealthcheckTiming = { interval: "30s", timeout: "30s", startPeriod: "20s", retries: 3 };
/**
 * An agent's llpm-healthcheck runs no CLI (its entrypoint made the CLI answer once), so it can run
 * every 2 s: Docker 20.10 has no start interval, and the first check comes one interval after start.
 */
export const AGENT_HEALTHCHECK: HealthcheckTiming = { interval: "2s", timeout: "10s", startPeriod: "1m0s", retries: 3 };

/**
 * What every fleet container runs with: no capabilities unless listed, no privilege gain through
 * setuid, a healthcheck, and a restart policy that brings it back after a crash or a reboot but
 * leaves it down when someone stopped it.
 */
export function fleetContainerBasics(healthcheckCommand: string[], keepCapabilities: string[] = [], timing: HealthcheckTiming = SERVICE_HEALTHCHECK) {
  return {
    capabilities: { drops: ["ALL"], ...(keepCapabilities.length > 0 ? { adds: keepCapabilities.map(canonicalCapability) } : {}) },
    securityOpts: ["no-new-privileges:true"],
    healthcheck: { tests: ["CMD", ...healthcheckCommand], ...timing },
    restart: "unless-stopped",
  };
}

/** A named container with a fixed host port cannot exist twice: replace means delete first. */
export const REPLACE_BY_DELETING_FIRST = { deleteBeforeReplace: true };
