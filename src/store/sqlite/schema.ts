/**
 * SQLite schema, as kysely migrations over the store's own better-sqlite3 connection. Command-line
 * search uses FTS5 external-content tables with the trigram tokenizer (substring match, case folded),
 * kept in sync with their content tables by triggers, so no write path can forget to index.
 */
import { Kysely, SqliteDialect, sql, type Migration, type SqliteDatabase } from 'kysely';
import type Database from 'better-sqlite3';
import { ZERO_HASH } from '../chain.js';
import { migrateToLatest } from '../migrations/run.js';
import { createAudit, createStateTables, SQLITE_TYPES } from '../migrations/tables.js';

/**
 * FTS5 index `<table>_fts` over `<table>.command_line`, rowid = `rowid` column, with its triggers.
 * WHEN clauses keep the append path cheap: events arrive without a command line (setNormalized adds it).
 */
function ftsStatements(table: string, rowid: string): string[] {
  const fts = `${table}_fts`;
  const remove = `INSERT INTO ${fts}(${fts}, rowid, command_line) SELECT 'delete', old.${rowid}, old.command_line`;
  const add = `INSERT INTO ${fts}(rowid, command_line) SELECT new.${rowid}, new.command_line`;
  return [
    `CREATE VIRTUAL TABLE ${fts} USING fts5(command_line, content='${table}', content_rowid='${rowid}', tokenize='trigram')`,
    `CREATE TRIGGER ${fts}_ai AFTER INSERT ON ${table} WHEN new.command_line IS NOT NULL BEGIN ${add}; END`,
    `CREATE TRIGGER ${fts}_ad AFTER DELETE ON ${table} WHEN old.command_line IS NOT NULL BEGIN ${remove}; END`,
    // one trigger, so the old text leaves the index before the new one enters (shared trigrams must survive)
    `CREATE TRIGGER ${fts}_au AFTER UPDATE OF command_line ON ${table} BEGIN
      ${remove} WHERE old.command_line IS NOT NULL;
      ${add} WHERE new.command_line IS NOT NULL; END`,
  ];
}

async function createEvents(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('events')
    // appendEvents assigns seqs from a high-water mark in `locks` (one read and one write per batch,
    // where AUTOINCREMENT costs two per row): a seq is never reused, even after retention emptied the table
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    // BLOB affinity: lower-case hex keys are stored packed, any other key as TEXT (events.ts)
    .addColumn('key', 'blob', (c) => c.notNull().unique())
    .addColumn('received_ms', 'integer', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('sender', 'text')
    .addColumn('host', 'text')
    .addColumn('host_lc', 'text')
    .addColumn('time_ms', 'integer')
    .addColumn('kind', 'text')
    .addColumn('user_name', 'text')
    .addColumn('command_line', 'text')
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('normalized', 'text')
    .execute();
  await db.schema.createIndex('events_host').on('events').columns(['host_lc', 'seq']).execute();
  // partial: kind is set by setNormalized, so appends do not pay for an index entry of NULL
  await db.schema.createIndex('events_kind').on('events').columns(['kind', 'seq']).where(sql.ref('kind'), 'is not', null).execute();
  await db.schema.createIndex('events_received').on('events').column('received_ms').execute();
  for (const s of ftsStatements('events', 'seq')) await sql.raw(s).execute(db);
}

async function createAlerts(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('alerts')
    // an explicit integer rowid: FTS5 external content needs one that VACUUM cannot renumber
    .addColumn('n', 'integer', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('time_ms', 'integer', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('level_rank', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('command_line', 'text')
    .addColumn('created_ms', 'integer', (c) => c.notNull())
    .addColumn('updated_ms', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('alert', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_time').on('alerts').columns(['time_ms desc', 'id']).execute();
  for (const [name, col] of [['host', 'host'], ['rule', 'rule_id'], ['status', 'status'], ['assignee', 'assignee']]) {
    await db.schema.createIndex(`alerts_${name}`).on('alerts').columns([col, 'time_ms']).execute();
  }
  await db.schema.createIndex('alerts_group').on('alerts').column('group_key').execute();
  for (const s of ftsStatements('alerts', 'n')) await sql.raw(s).execute(db);
}

const initial: Migration = {
  async up(db) {
    await createEvents(db);
    await createAlerts(db);
    await createAudit(db, SQLITE_TYPES);
    await createStateTables(db, SQLITE_TYPES);
    await sql`INSERT INTO locks (name, value) VALUES ('audit', ${ZERO_HASH}), ('events', '0')`.execute(db);
  },
};

/**
 * Events' command lines are indexed in bulk (events.ts indexEvents, from Store.maintain), not by a
 * trigger per insert: FTS5 flushes a segment per transaction, and with one small transaction per
 * delivery the trigger's upkeep cost more than the rest of the append (measured under serve-latency:
 * ~6,800 events/s taken without it, ~4,300 with). `locks.events_fts` is the seq up to which the index
 * is complete; search scans the rows above it directly, so nothing appended is ever unsearchable.
 */
const deferredEventIndex: Migration = {
  async up(db) {
    for (const t of ['events_fts_ai', 'events_fts_ad', 'events_fts_au']) await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
    await sql`INSERT OR IGNORE INTO locks (name, value) SELECT 'events_fts', CAST(coalesce(max(seq), 0) AS TEXT) FROM events`.execute(db);
    const indexed = (col: string) => `${col}.seq <= (SELECT CAST(value AS INTEGER) FROM locks WHERE name = 'events_fts')`;
    const remove = `INSERT INTO events_fts(events_fts, rowid, command_line) SELECT 'delete', old.seq, old.command_line`;
    const add = 'INSERT INTO events_fts(rowid, command_line) SELECT new.seq, new.command_line';
    await sql.raw(`CREATE TRIGGER events_fts_ad AFTER DELETE ON events WHEN old.command_line IS NOT NULL AND ${indexed('old')} BEGIN ${remove}; END`).execute(db);
    await sql.raw(`CREATE TRIGGER events_fts_au AFTER UPDATE OF command_line ON events BEGIN
      ${remove} WHERE old.command_line IS NOT NULL AND ${indexed('old')};
      ${add} WHERE new.command_line IS NOT NULL AND ${indexed('new')}; END`).execute(db);
  },
};

export const SQLITE_MIGRATIONS: Record<string, Migration> = { '0001_initial': initial, '0002_deferred_event_index': deferredEventIndex };

/** Migrates through kysely on the same connection; kysely's destroy() must not close it. */
export async function migrateSqlite(raw: Database.Database): Promise<void> {
  const database: SqliteDatabase = { prepare: (s) => raw.prepare(s) as unknown as ReturnType<SqliteDatabase['prepare']>, close: () => undefined };
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) });
  try {
    await migrateToLatest(db, SQLITE_MIGRATIONS);
  } finally {
    await db.destroy();
  }
}
