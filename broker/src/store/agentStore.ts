import type { AuthMode } from "../../../contract/agentTypes";
import type Database from "better-sqlite3";

export interface ExternalAgentRecord {
  id: string;
  type: string;
  authMode: AuthMode;
  url: string | null;
  registeredAt: string;
  lastHeartbeat: string;
}

interface ExternalRow {
  id: string;
  type: string;
  auth_mode: AuthMode;
  url: string | null;
  registered_at: string;
  last_heartbeat: string;
}

const now = () => new Date().toISOString();

/** What the broker must remember about agents across restarts: auth state and registrations. */
export class AgentStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      setAuth: db.prepare(
        `INSERT INTO agent_auth (agent_id, authenticated, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(agent_id) DO UPDATE SET authenticated = excluded.authenticated, updated_at = excluded.updated_at`,
      ),
      allAuth: db.prepare(`SELECT agent_id, authenticated FROM agent_auth`),
      register: db.prepare(
        `INSERT INTO external_agents (id, type, auth_mode, url, registered_at, last_heartbeat) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET type = excluded.type, auth_mode = excluded.auth_mode, url = excluded.url,
           last_heartbeat = excluded.last_heartbeat`,
      ),
      heartbeat: db.prepare(`UPDATE external_agents SET last_heartbeat = ? WHERE id = ?`),
      unregister: db.prepare(`DELETE FROM external_agents WHERE id = ?`),
      allExternal: db.prepare(`SELECT * FROM external_agents ORDER BY id`),
    };
  }

  setAuthenticated(agentId: string, authenticated: boolean): void {
    this.stmt.setAuth.run(agentId, authenticated ? 1 : 0, now());
  }

  authStates(): Map<string, boolean> {
    const rows = this.stmt.allAuth.all() as { agent_id: string; authenticated: number }[];
    return new Map(rows.map((r) => [r.agent_id, r.authenticated === 1]));
  }

  register(agent: Omit<ExternalAgentRecord, "registeredAt" | "lastHeartbeat">): ExternalAgentRecord {
    const at = now();
    this.stmt.register.run(agent.id, agent.type, agent.authMode, agent.url, at, at);
    return this.external().find((a) => a.id === agent.id)!;
  }

  heartbeat(id: string): boolean {
    return this.stmt.heartbeat.run(now(), id).changes === 1;
  }

  unregister(id: string): boolean {
    return this.stmt.unregister.run(id).changes === 1;
  }

  external(): ExternalAgentRecord[] {
    return (this.stmt.allExternal.all() as ExternalRow[]).map((r) => ({
      id: r.id,
      type: r.type,
      authMode: r.auth_mode,
      url: r.url,
      registeredAt: r.registered_at,
      lastHeartbeat: r.last_heartbeat,
    }));
  }
}
