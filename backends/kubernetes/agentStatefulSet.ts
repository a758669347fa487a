import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AgentType } from "../../catalogue/agentTypes";
import { AGENT_CREDENTIALS_ENV, AGENT_CREDENTIALS_PATH, agentLabels, LABEL } from "../../catalogue/naming";
import { WORKSPACE_DIR } from "../../contract/workspace";
import type { FleetConfig } from "../../config/fleetConfig";
import type { HostUser } from "../../config/hostUser";
import { agentTemplateEnv, POD_IDENTITY_ENV } from "./agentTemplateEnv";
import { agentStatefulSetName, WORKSPACE_CLAIM_TEMPLATE } from "./objectNames";
import { imagePullSecrets } from "./registryPullSecret";
import { agentResources, nonRootPod, restrictedContainer } from "./podSecurity";
import { claimSpec, RETAIN_CLAIMS } from "./claims";
import { plainEnv, podFieldEnv } from "./containerEnv";

export interface AgentStatefulSetArgs {
  config: FleetConfig;
  type: AgentType;
  namespace: pulumi.Input<string>;
  image: pulumi.Input<string>;
  agentUser: HostUser;
  /** The type's AgentCredentials Secret. */
  credentialsSecret: pulumi.Input<string>;
  /** The registry pull secret, when the image is pushed there by this stack. */
  pullSecret?: pulumi.Input<string>;
}

const ALL_CREDENTIALS = "/run/llpm/all-credentials";
const VOLUME = { credentials: "credentials", allCredentials: "all-credentials" };

/** Labels of every pod of the type (the per-instance ones, id and index, cannot be in a shared template). */
export function agentTypeLabels(config: FleetConfig, type: AgentType): Record<string, string> {
  const { [LABEL.agentId]: _id, [LABEL.agentIndex]: _index, ...typeLabels } = agentLabels(config.stack, type, 1, config.authMode);
  return typeLabels;
}

/** What the pods are selected by: fixed for the StatefulSet's life (Kubernetes refuses to change it). */
export function agentSelector(config: FleetConfig, type: AgentType): Record<string, string> {
  const labels = agentTypeLabels(config, type);
  return { [LABEL.stack]: labels[LABEL.stack], [LABEL.role]: labels[LABEL.role], [LABEL.agentType]: labels[LABEL.agentType] };
}

// The init container copies this pod's own entries (`<pod>.<VARIABLE>`) out of the type's Secret,
// as files the agent's uid alone can read; the agent container never sees the other instances'.
const COPY_OWN_CREDENTIALS = [
  "set -eu",
  "umask 077",
  `for f in ${ALL_CREDENTIALS}/"$POD_NAME".*; do cp "$f" ${AGENT_CREDENTIALS_PATH}/"\${f##*/$POD_NAME.}"; done`,
].join("\n");

/**
 * All instances of one agent type: replicas = the count, pod names = the instance ids (ordinals
 * start at 1), each with its own workspace claim that outlives scaling down and deletion, so a
 * scaled-up instance finds its workspace again.
 */
export class AgentStatefulSet extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: AgentStatefulSetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llpm:kubernetes:AgentStatefulSet", name, {}, opts);
    const { config, type } = args;
    const env = agentTemplateEnv(config, type);
    const templateEnv: Record<string, string> = { ...env.plain, [AGENT_CREDENTIALS_ENV]: AGENT_CREDENTIALS_PATH };
    const labels = agentTypeLabels(config, type);
    const setName = agentStatefulSetName(type);
    // A StatefulSet needs a governing Service; headless, it gives each pod a stable DNS name.
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      { metadata: { name: setName, namespace: args.namespace, labels }, spec: { clusterIP: "None", selector: agentSelector(config, type) } },
      { parent: this },
    );
    const credentialsMount = { name: VOLUME.credentials, mountPath: AGENT_CREDENTIALS_PATH };
    const set = new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: { name: setName, namespace: args.namespace, labels },
        spec: {
          serviceName: service.metadata.name,
          replicas: config.agents[type],
          ordinals: { start: 1 },
          // Instances are independent: start and stop them all at once, not one after the other.
          podManagementPolicy: "Parallel",
          persistentVolumeClaimRetentionPolicy: RETAIN_CLAIMS,
          selector: { matchLabels: agentSelector(config, type) },
          template: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false,
              // Service links would put every Service's address in the env: not part of the agent interface.
              enableServiceLinks: false,
              ...imagePullSecrets(args.pullSecret),
              terminationGracePeriodSeconds: 10,
              securityContext: nonRootPod(args.agentUser),
              initContainers: [
                {
                  name: "credentials",
                  image: args.image,
                  command: ["sh", "-c", COPY_OWN_CREDENTIALS],
                  env: [podFieldEnv("POD_NAME", "metadata.name")],
                  volumeMounts: [credentialsMount, { name: VOLUME.allCredentials, mountPath: ALL_CREDENTIALS, readOnly: true }],
                  securityContext: restrictedContainer(),
                  resources: { limits: { memory: "64Mi", cpu: "100m" }, requests: { memory: "64Mi", cpu: "100m" } },
                },
              ],
              containers: [
                {
                  name: "agent",
                  image: args.image,
                  env: [
                    ...Object.entries(POD_IDENTITY_ENV).map(([variable, fieldPath]) => podFieldEnv(variable, fieldPath)),
                    ...plainEnv(templateEnv),
                  ],
                  volumeMounts: [
                    { name: WORKSPACE_CLAIM_TEMPLATE, mountPath: WORKSPACE_DIR },
                    { ...credentialsMount, readOnly: true },
                  ],
                  // `kubectl port-forward pod/<id> <port>` reaches the CLI's login callback.
                  readinessProbe: { exec: { command: ["llpm-healthcheck"] }, periodSeconds: 2, timeoutSeconds: 10, failureThreshold: 3 },
                  securityContext: restrictedContainer(),
                  resources: agentResources(config.resources[type]),
                },
              ],
              volumes: [
                { name: VOLUME.credentials, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
                { name: VOLUME.allCredentials, secret: { secretName: args.credentialsSecret, defaultMode: 0o440 } },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: WORKSPACE_CLAIM_TEMPLATE, labels },
              spec: claimSpec(config.kubernetes, config.kubernetes.workspaceSize),
            },
          ],
        },
      },
      { parent: this },
    );
    this.name = set.metadata.name;
    this.registerOutputs({ name: this.name });
  }
}
