import type { Database } from 'better-sqlite3';

/**
 * The embedded store's tables. `objects` is the current state; `history` is append-only, one row
 * per change, keyed by the resourceVersion the change produced (so it doubles as the watch log).
 * `meta` holds the revision counter and the compaction mark.
 */
const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS objects (
  kind      TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name      TEXT NOT NULL,
  uid       TEXT NOT NULL,
  rv        INTEGER NOT NULL,
  body      TEXT NOT NULL,
  PRIMARY KEY (kind, namespace, name)
) STRICT;

CREATE TABLE IF NOT EXISTS history (
  rv        INTEGER PRIMARY KEY,
  time      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  verb      TEXT NOT NULL,
  kind      TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name      TEXT NOT NULL,
  uid       TEXT NOT NULL,
  before    TEXT,
  after     TEXT
) STRICT;

CREATE INDEX IF NOT EXISTS history_by_ref ON history (kind, namespace, name, rv);
`;

export function migrate(db: Database): void {
  // WAL: readers never block the writer and a crash loses no committed change. FULL sync costs
  // little at the write rates of configuration and keeps "no data lost on restart" true.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(DDL);
  const row = db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`).get();
  if (row === undefined) {
    const init = db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`);
    db.transaction(() => {
      init.run('schema_version', String(SCHEMA_VERSION));
      init.run('revision', '0');
      init.run('compacted', '0');
    })();
  } else if (Number(row.value) > SCHEMA_VERSION) {
    throw new Error(
      `the data directory was written by a newer Trellis (store schema ${row.value}, this one knows ${SCHEMA_VERSION})`,
    );
  }
}
