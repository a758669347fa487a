import type { RuntimeKind } from "../../../broker/src/runtime/runtime";

export interface StartAgentOptions {
  authMode?: "api_key" | "subscription";
  /** Skip the image's healthcheck (the benchmark's many agents would spend the CPU on it). */
  noHealthcheck?: boolean;
}

/** What the broker shows of where an agent lives in its runtime. */
export interface AgentPlacement {
  source: RuntimeKind;
  container: string;
  workspacePath: string | null;
  attachCommand: string;
}

/**
 * Agents of the fake agent image in one runtime, under a stack of their own: what the broker's
 * HTTP suite needs to run the same tests against Docker and Kubernetes.
 */
export interface AgentFleet {
  readonly runtime: RuntimeKind;
  readonly stack: string;
  /** How long `prepare` and starting the suite's agents may take. */
  readonly setupTimeoutMs: number;
  /** How a killed agent's stopped reason begins. */
  readonly killedReason: string;
  prepare(): Promise<void>;
  startAgent(type: string, index: number, opts?: StartAgentOptions): Promise<unknown>;
  /** SIGKILLs the agent's main process, as a crash or an OOM kill would: the agent stops. */
  killAgent(agentId: string): Promise<void>;
  /** Removes the agent from the runtime altogether. */
  removeAgent(agentId: string): Promise<void>;
  /** Runs a command in the agent as its user; resolves with its stdout, rejects on a non-zero exit. */
  exec(agentId: string, cmd: string[]): Promise<string>;
  readWorkspaceFile(agentId: string, file: string): Promise<string>;
  /** The broker's environment that selects this runtime and reaches these agents. */
  brokerEnv(): Record<string, string>;
  placement(agentId: string): AgentPlacement;
  cleanup(): Promise<void>;
}
