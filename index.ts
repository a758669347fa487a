/**
 * llpm-fleet: reads and validates the stack config (nothing is declared when it is invalid), then
 * declares the fleet and exports its URLs, agents and secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as os from "node:os";
import { Fleet } from "./components/fleet";
import { dockerSocketGroup, dockerSocketPath } from "./components/dockerHost";
import { validateFleetConfig } from "./config/fleetConfig";
import { agentUser } from "./config/hostUser";
import { plainStackConfig, stackSecrets } from "./config/readStackConfig";

const homeDir = os.homedir();
const config = validateFleetConfig(plainStackConfig(pulumi.runtime.allConfig()), pulumi.getStack(), {
  env: process.env,
  homeDir,
  readFile: (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined),
});
const socketPath = dockerSocketPath(process.env);

const fleet = new Fleet("fleet", {
  config,
  secrets: stackSecrets(new pulumi.Config()),
  agentUser: agentUser(process.getuid, process.getgid),
  homeDir,
  projectRoot: __dirname,
  dockerSocket: { path: socketPath, gid: dockerSocketGroup(socketPath, fs.statSync) },
});

export const brokerUrl = fleet.brokerUrl;
export const dashboardUrl = `${fleet.brokerUrl}/ui/agents`;
export const apiDocsUrl = `${fleet.brokerUrl}/docs`;
export const litellmUrl = fleet.litellmUrl;
export const litellmUiUrl = `${fleet.litellmUrl}/ui`;
export const agents = fleet.agents;
export const brokerToken = pulumi.secret(fleet.brokerToken);
export const litellmMasterKey = pulumi.secret(fleet.litellmMasterKey);
