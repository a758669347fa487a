import Database from "better-sqlite3";

const MIGRATIONS: string[] = [
  `CREATE TABLE jobs (
     n INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     agent_id TEXT,
     agent_type TEXT NOT NULL,
     state TEXT NOT NULL,
     prompt TEXT NOT NULL,
     timeout_seconds INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     started_at TEXT,
     finished_at TEXT,
     exit_code INTEGER,
     result TEXT,
     reason TEXT,
     exec_id TEXT,
     log_bytes INTEGER NOT NULL DEFAULT 0,
     log_truncated INTEGER NOT NULL DEFAULT 0,
     cancel_requested INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX jobs_state ON jobs(state, n);
   CREATE INDEX jobs_agent ON jobs(agent_id, n);
   CREATE TABLE job_events (
     job_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     kind TEXT NOT NULL,
     stream TEXT,
     data TEXT NOT NULL,
     at TEXT NOT NULL,
     PRIMARY KEY (job_id, seq)
   ) WITHOUT ROWID;
   CREATE TABLE agent_auth (
     agent_id TEXT PRIMARY KEY,
     authenticated INTEGER NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE external_agents (
     id TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     auth_mode TEXT NOT NULL,
     url TEXT,
     registered_at TEXT NOT NULL,
     last_heartbeat TEXT NOT NULL
   );`,
  // Jobs are followed through their record in the agent (llpm-run-job --attach), not a Docker exec.
  `ALTER TABLE jobs DROP COLUMN exec_id;
   ALTER TABLE jobs ADD COLUMN output_offset INTEGER NOT NULL DEFAULT 0;`,
  `ALTER TABLE jobs ADD COLUMN branch TEXT;`,
  // Tokens and cost as the CLI reported them (null: not reported); timeline entries are job_events
  // of kind 'timeline', so they replay after Last-Event-ID like the log. The index serves the
  // overview's jobs-per-minute series.
  `ALTER TABLE jobs ADD COLUMN input_tokens INTEGER;
   ALTER TABLE jobs ADD COLUMN output_tokens INTEGER;
   ALTER TABLE jobs ADD COLUMN cost_usd REAL;
   CREATE INDEX jobs_finished ON jobs(finished_at);`,
];

/** Opens (creating if needed) the broker's database and applies pending migrations in order. */
export function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // WAL + NORMAL keeps every committed job across a broker crash; only an OS crash can lose the
  // last transactions, which is the accepted trade for thousands of small log writes.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  const version = db.pragma("user_version", { simple: true }) as number;
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
  return db;
}
