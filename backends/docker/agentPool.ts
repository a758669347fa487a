import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { agentToken } from "../../contract/agentToken";
import type { AgentType } from "../../catalogue/agentTypes";
import { agentInstances, type AgentInstance } from "../../catalogue/instances";
import { agentLabels } from "../../catalogue/naming";
import { WORKSPACE_DIR } from "../../contract/workspace";
import type { FleetConfig } from "../../config/fleetConfig";
import type { HostUser } from "../../config/hostUser";
import { agentEnv } from "../../core/agentEnv";
import { agentLimits } from "./agentLimits";
import { gatewayKey } from "../../core/gatewayKey";
import { AGENT_HEALTHCHECK, dockerLabels, envList, fleetContainerBasics, REPLACE_BY_DELETING_FIRST } from "./containerSettings";
import { WorkspaceFolder } from "./workspaceFolder";

const AGENT_HOME = "/home/agent";

export interface AgentPoolArgs {
  config: FleetConfig;
  type: AgentType;
  image: pulumi.Output<string>;
  /** Internal (no route out): agents reach LiteLLM, the broker and the egress proxy only. */
  agentsNetwork: pulumi.Input<string>;
  /** Each agent's own gateway key is derived from it (never LiteLLM's master key). */
  gatewayKeySecret: pulumi.Output<string>;
  brokerToken: pulumi.Output<string>;
  agentUser: HostUser;
  homeDir: string;
}

/** The user's own files agents may read (opt-in, read-only), so agents can use git remotes. */
export function hostFileMounts(config: FleetConfig, homeDir: string): docker.types.input.ContainerMount[] {
  const mounts: docker.types.input.ContainerMount[] = [];
  if (config.hostMounts.ssh)
    mounts.push({ type: "bind", source: path.join(homeDir, ".ssh"), target: `${AGENT_HOME}/.ssh`, readOnly: true });
  if (config.hostMounts.gitconfig) {
    mounts.push({ type: "bind", source: path.join(homeDir, ".gitconfig"), target: `${AGENT_HOME}/.gitconfig`, readOnly: true });
  }
  return mounts;
}

/**
 * N instances of one agent type. Resource names come from the instance index, so raising the
 * count only adds resources and lowering it only removes the highest indexes.
 */
export class AgentPool extends pulumi.ComponentResource {
  readonly instances: AgentInstance[];

  constructor(name: string, args: AgentPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:fleet:AgentPool", name, {}, opts);
    this.instances = agentInstances(args.config, args.type);
    for (const agent of this.instances) this.declareAgent(agent, args);
    this.registerOutputs({ agents: this.instances.map((a) => a.id) });
  }

  private declareAgent(agent: AgentInstance, args: AgentPoolArgs): void {
    const { config } = args;
    const { uid, gid } = args.agentUser;
    const folder = new WorkspaceFolder(`workspace-${agent.id}`, { path: agent.workspacePath, uid, gid }, { parent: this });
    const envs = pulumi
      .all([args.gatewayKeySecret, args.brokerToken])
      .apply(([gatewayKeySecret, brokerToken]) =>
        envList(
          agentEnv(config, agent, {
            gatewayKey: gatewayKey(gatewayKeySecret, agent.id),
            agentToken: agentToken(brokerToken, agent.id),
          }),
        ),
      );
    new docker.Container(
      `agent-${agent.id}`,
      {
        name: agent.containerName,
        hostname: agent.id,
        image: args.image,
        labels: dockerLabels(agentLabels(config.stack, agent.type, agent.index, config.authMode)),
        user: `${uid}:${gid}`,
        envs: pulumi.secret(envs),
        networksAdvanced: [{ name: args.agentsNetwork }],
        mounts: [{ type: "bind", source: agent.workspacePath, target: WORKSPACE_DIR }, ...hostFileMounts(config, args.homeDir)],
        // No published port: Docker publishes nothing of a container that sits only on internal
        // networks. Codex logs in by device code instead (images/openai-codex/llpm-login).
        // Reaps the zombies CLIs leave behind (killed jobs, tool subprocesses).
        init: true,
        ...agentLimits(config.resources[agent.type], config.processLimit),
        ...fleetContainerBasics(["llpm-healthcheck"], [], AGENT_HEALTHCHECK),
      },
      { parent: this, dependsOn: [folder], ...REPLACE_BY_DELETING_FIRST },
    );
  }
}
