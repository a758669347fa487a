/**
 * The fleet as a Pulumi program: reads and validates the stack config (nothing is declared when
 * it is invalid), declares the fleet on the configured backend and returns its outputs. `index.ts` calls it for
 * `pulumi up` of the project; the Automation API (scripts/fleet.ts) passes it as an inline program.
 */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as os from "node:os";
import { Fleet } from "../backends/docker/fleet";
import { dockerSocketGroup, dockerSocketPath } from "../backends/docker/dockerHost";
import { registrySecretProblems } from "../config/backendChecks";
import { validateFleetConfig } from "../config/fleetConfig";
import { ConfigError } from "../config/problems";
import { REGISTRY_PASSWORD_KEY } from "../config/secretKeys";
import { agentUser } from "../config/hostUser";
import { plainStackConfig, stackSecrets } from "../config/readStackConfig";
import { kubernetesProgram } from "./kubernetesProgram";

export interface FleetProgramArgs {
  /** The folder holding `images/` and `broker/`, the build contexts of the fleet's images. */
  projectRoot: string;
}

export function fleetProgram({ projectRoot }: FleetProgramArgs) {
  const homeDir = os.homedir();
  const config = validateFleetConfig(plainStackConfig(pulumi.runtime.allConfig()), pulumi.getStack(), {
    env: process.env,
    homeDir,
    readFile: (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined),
  });
  const secrets = stackSecrets(new pulumi.Config());
  const secretProblems = registrySecretProblems(config, secrets[REGISTRY_PASSWORD_KEY] !== undefined);
  if (secretProblems.length > 0) throw new ConfigError(secretProblems);
  if (config.backend === "kubernetes") {
    const k8s = kubernetesProgram(config, secrets, projectRoot);
    return {
      ...k8s,
      dashboardUrl: pulumi.interpolate`${k8s.brokerUrl}/ui/agents`,
      apiDocsUrl: pulumi.interpolate`${k8s.brokerUrl}/docs`,
      litellmUiUrl: pulumi.interpolate`${k8s.litellmUrl}/ui`,
    };
  }
  const socketPath = dockerSocketPath(process.env);

  const fleet = new Fleet("fleet", {
    config,
    secrets,
    agentUser: agentUser(process.getuid, process.getgid),
    homeDir,
    projectRoot,
    dockerSocket: { path: socketPath, gid: dockerSocketGroup(socketPath, fs.statSync) },
  });

  return {
    brokerUrl: fleet.brokerUrl,
    dashboardUrl: `${fleet.brokerUrl}/ui/agents`,
    apiDocsUrl: `${fleet.brokerUrl}/docs`,
    litellmUrl: fleet.litellmUrl,
    litellmUiUrl: `${fleet.litellmUrl}/ui`,
    agents: fleet.agents,
    brokerToken: pulumi.secret(fleet.brokerToken),
    litellmMasterKey: pulumi.secret(fleet.litellmMasterKey),
  };
}
