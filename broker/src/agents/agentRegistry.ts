import type { AgentRuntime, AgentWorkload, WorkloadChange } from "../runtime/runtime";
import type { AgentStore } from "../store/agentStore";
import type { BrokerBus } from "../events/bus";
import type { AgentView } from "./agentView";
import { deriveAgentState, externalAgentState } from "./agentState";

const EXTERNAL_STALE_MS = 90_000;

/**
 * The broker's live picture of its agents: Docker workloads (from discovery and the event stream),
 * agents registered through the compatibility routes, their auth state and their running jobs.
 */
export class AgentRegistry {
  private readonly workloads = new Map<string, AgentWorkload>();
  private readonly running = new Map<string, Set<string>>();
  private readonly auth: Map<string, boolean>;
  private stopWatch: (() => void) | null = null;
  private resyncTimer: NodeJS.Timeout | null = null;
  /** Called when an agent may have become able to take a job. */
  onCapacity: () => void = () => {};

  constructor(
    private readonly runtime: AgentRuntime,
    private readonly store: AgentStore,
    private readonly bus: BrokerBus,
  ) {
    this.auth = store.authStates();
  }

  async start(resyncSeconds: number): Promise<void> {
    this.stopWatch = this.runtime.watch((change) => this.apply(change));
    await this.resync();
    this.resyncTimer = setInterval(() => void this.resync().catch(() => {}), resyncSeconds * 1000);
    this.resyncTimer.unref();
  }

  stop(): void {
    this.stopWatch?.();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
  }

  /** Full rediscovery: covers events missed while the event stream was reconnecting. */
  async resync(): Promise<void> {
    const found = await this.runtime.discover();
    const seen = new Set(found.map((w) => w.agentId));
    for (const agentId of [...this.workloads.keys()]) {
      if (!seen.has(agentId)) this.remove(agentId);
    }
    for (const w of found) this.upsert(w);
  }

  apply(change: WorkloadChange): void {
    if (change.kind === "upsert") return this.upsert(change.workload);
    const entry = [...this.workloads.values()].find((w) => w.ref === change.ref);
    if (entry) this.remove(entry.agentId);
  }

  private upsert(w: AgentWorkload): void {
    const before = this.workloads.get(w.agentId);
    this.workloads.set(w.agentId, w);
    if (!before || JSON.stringify(before) !== JSON.stringify(w)) this.publish(w.agentId);
    if (this.canRun(w.agentId)) this.onCapacity();
  }

  private remove(agentId: string): void {
    this.workloads.delete(agentId);
    this.bus.emit("agentRemoved", agentId);
  }

  private publish(agentId: string): void {
    const view = this.view(agentId);
    if (view) this.bus.emit("agent", view);
  }

  workload(agentId: string): AgentWorkload | null {
    return this.workloads.get(agentId) ?? null;
  }

  isAuthenticated(agentId: string): boolean {
    const w = this.workloads.get(agentId);
    const mode = w?.authMode ?? this.store.external().find((e) => e.id === agentId)?.authMode;
    return mode === "api_key" || this.auth.get(agentId) === true;
  }

  setAuthenticated(agentId: string, authenticated: boolean): void {
    this.store.setAuthenticated(agentId, authenticated);
    this.auth.set(agentId, authenticated);
    this.publish(agentId);
    if (this.canRun(agentId)) this.onCapacity();
  }

  jobStarted(agentId: string, jobId: string): void {
    const set = this.running.get(agentId) ?? new Set<string>();
    set.add(jobId);
    this.running.set(agentId, set);
    this.publish(agentId);
  }

  jobEnded(agentId: string, jobId: string): void {
    this.running.get(agentId)?.delete(jobId);
    this.publish(agentId);
  }

  runningCount(agentId: string): number {
    return this.running.get(agentId)?.size ?? 0;
  }

  /** A Docker agent that is up, healthy (or has no healthcheck) and authenticated. */
  canRun(agentId: string): boolean {
    const w = this.workloads.get(agentId);
    return !!w && w.running && (w.health === "healthy" || w.health === "none") && this.isAuthenticated(agentId);
  }

  /** Docker agents of one type, in index order: the order `POST /jobs` tries them. */
  agentsOfType(type: string): AgentWorkload[] {
    return [...this.workloads.values()].filter((w) => w.agentType === type).sort((a, b) => a.agentIndex - b.agentIndex);
  }

  list(): AgentView[] {
    const ids = new Set([...this.workloads.keys(), ...this.store.external().map((e) => e.id)]);
    return [...ids].sort().map((id) => this.view(id)!);
  }

  view(agentId: string): AgentView | null {
    const w = this.workloads.get(agentId);
    const currentJobIds = [...(this.running.get(agentId) ?? [])];
    if (w) {
      return {
        id: w.agentId,
        type: w.agentType,
        index: w.agentIndex,
        source: this.runtime.kind,
        container: w.name,
        state: deriveAgentState({ running: w.running, health: w.health, busy: currentJobIds.length > 0 }),
        authMode: w.authMode,
        authenticated: this.isAuthenticated(agentId),
        currentJobIds,
        workspacePath: w.workspacePath,
        attachCommand: w.attachCommand,
        stoppedReason: w.stoppedReason,
        lastHeartbeat: null,
      };
    }
    const e = this.store.external().find((x) => x.id === agentId);
    if (!e) return null;
    return {
      id: e.id,
      type: e.type,
      index: null,
      source: "external",
      container: null,
      state: externalAgentState(e.lastHeartbeat, Date.now(), EXTERNAL_STALE_MS),
      authMode: e.authMode,
      authenticated: this.isAuthenticated(agentId),
      currentJobIds,
      workspacePath: null,
      attachCommand: null,
      stoppedReason: null,
      lastHeartbeat: e.lastHeartbeat,
    };
  }

  /** Re-announces an agent after a compatibility-route change. */
  touched(agentId: string): void {
    const view = this.view(agentId);
    if (view) this.bus.emit("agent", view);
    else this.bus.emit("agentRemoved", agentId);
  }
}
