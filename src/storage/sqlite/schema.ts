// The SQLite layout of the embedded datastore (sqlite-store.ts), kine's with two differences:
// one process owns the file (locking_mode EXCLUSIVE: a second server on the same data dir is
// refused), so the store checks revisions in memory and hands out row ids itself, and there is no
// UNIQUE(name, prev_revision) index and no AUTOINCREMENT bookkeeping, which made every write touch
// two more B-tree pages (about 30 % of a write's CPU). Databases of the earlier layout open as
// they are.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** How long opening the database waits for another process (a server still stopping) to let go of it. */
const lockWaitMs = 5_000;

/** The columns a write checks before it inserts. */
export interface RowHead {
  id: number;
  deleted: number;
  create_revision: number;
}

export interface Row {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
}

/** Opens (creating if need be) the database at `path`, or ":memory:", with the store's settings and tables. */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  // WAL: readers never block the writer; NORMAL sync: a committed write is in the WAL file
  // before the call returns, so it survives the process being killed (not a power loss).
  // Set first: a server restarting on the same directory waits this long for the old one's lock.
  db.pragma(`busy_timeout = ${lockWaitMs}`);
  // EXCLUSIVE: this process is the only one using the file; the WAL index then lives in memory
  // and commits skip the file locking calls. Another process opening it finds it busy.
  if (path !== ':memory:') db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Databases written by earlier versions keep their AUTOINCREMENT table (explicit ids work
  // there too); their unique index is dropped as unused.
  db.exec(`
    DROP INDEX IF EXISTS kine_name_prev_revision;
    CREATE TABLE IF NOT EXISTS kine (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      created INTEGER NOT NULL,
      deleted INTEGER NOT NULL,
      create_revision INTEGER NOT NULL,
      prev_revision INTEGER NOT NULL,
      value TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS kine_name_id ON kine (name, id);
    CREATE TABLE IF NOT EXISTS kine_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  `);
  return db;
}

export type Statements = ReturnType<typeof prepareStatements>;

/** The store's statements, prepared once. */
export function prepareStatements(db: Database.Database) {
  return {
    latest: db.prepare<[string], Row>('SELECT * FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1'),
    // What a create or update checks, without copying the (large) value out of SQLite.
    latestHead: db.prepare<[string], RowHead>('SELECT id, deleted, create_revision FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1'),
    insert: db.prepare('INSERT INTO kine (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    listAt: db.prepare<[string, string, number, number], Row>(`
      SELECT k.* FROM kine k JOIN (
        SELECT name, MAX(id) AS id FROM kine WHERE name >= ? AND name < ? AND id <= ? GROUP BY name
      ) latest ON k.id = latest.id
      WHERE k.deleted = 0 ORDER BY k.name LIMIT ?`),
    count: db.prepare<[string, string], { n: number }>(`
      SELECT COUNT(*) AS n FROM kine k JOIN (
        SELECT name, MAX(id) AS id FROM kine WHERE name >= ? AND name < ? GROUP BY name
      ) latest ON k.id = latest.id WHERE k.deleted = 0`),
    changesAfter: db.prepare<[number, string, string, number], Row>(
      'SELECT * FROM kine WHERE id > ? AND name >= ? AND name < ? ORDER BY id LIMIT ?',
    ),
    byId: db.prepare<[number], Row>('SELECT * FROM kine WHERE id = ?'),
    getMeta: db.prepare<[string], { value: number }>('SELECT value FROM kine_meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO kine_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    // Rows superseded by a newer row written in (from, to], and tombstones in that window.
    compactSuperseded: db.prepare<[number, number]>(
      'DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE id > ? AND id <= ? AND prev_revision != 0)',
    ),
    compactTombstones: db.prepare<[number, number]>('DELETE FROM kine WHERE deleted = 1 AND id > ? AND id <= ?'),
  };
}

/**
 * The newest revision written. Compaction may have removed its row (a tombstone), but never a
 * row above the compaction mark `compacted`; an AUTOINCREMENT table of an earlier version also
 * remembers it in sqlite_sequence.
 */
export function newestRevision(db: Database.Database, compacted: number): number {
  const hasSequence = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get() !== undefined;
  const sequence = hasSequence ? ((db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'kine'").get() as { seq: number } | undefined)?.seq ?? 0) : 0;
  const newestRow = (db.prepare('SELECT MAX(id) AS rev FROM kine').get() as { rev: number | null }).rev ?? 0;
  return Math.max(sequence, newestRow, compacted);
}
