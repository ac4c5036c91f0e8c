/**
 * PostgreSQL schema, as kysely migrations over the store's pool. Command-line search uses pg_trgm GIN
 * indexes on lower(command_line); without the extension (no permission) search still works, unindexed.
 */
import { Kysely, PostgresDialect, sql, type Migration } from 'kysely';
import type pg from 'pg';
import { ZERO_HASH } from '../chain.js';
import { migrateToLatest } from '../migrations/run.js';
import { createAudit, createStateTables, POSTGRES_TYPES } from '../migrations/tables.js';

const key = POSTGRES_TYPES.key;

async function createEvents(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('events')
    .addColumn('seq', 'bigint', (c) => c.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('key', 'text', (c) => key(c).notNull().unique())
    .addColumn('received_ms', 'bigint', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('sender', 'text')
    .addColumn('host', 'text')
    .addColumn('host_lc', 'text', (c) => key(c))
    .addColumn('time_ms', 'bigint')
    .addColumn('kind', 'text', (c) => key(c))
    .addColumn('user_name', 'text')
    .addColumn('command_line', 'text')
    // text, not jsonb: jsonb cannot hold \u0000 and would reorder keys; the record is never queried inside
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('normalized', 'text')
    .execute();
  await db.schema.createIndex('events_host').on('events').columns(['host_lc', 'seq']).execute();
  // partial: kind is set by setNormalized, so appends do not pay for an index entry of NULL
  await db.schema.createIndex('events_kind').on('events').columns(['kind', 'seq']).where(sql.ref('kind'), 'is not', null).execute();
  await db.schema.createIndex('events_received').on('events').column('received_ms').execute();
}

async function createAlerts(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('alerts')
    .addColumn('id', 'text', (c) => key(c).primaryKey())
    .addColumn('time_ms', 'bigint', (c) => c.notNull())
    .addColumn('host', 'text', (c) => key(c).notNull())
    .addColumn('user_name', 'text', (c) => key(c))
    .addColumn('rule_id', 'text', (c) => key(c).notNull())
    .addColumn('level_rank', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => key(c).notNull())
    .addColumn('assignee', 'text', (c) => key(c))
    .addColumn('group_key', 'text', (c) => key(c).notNull())
    .addColumn('command_line', 'text')
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .addColumn('updated_ms', 'bigint', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('alert', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_time').on('alerts').columns(['time_ms desc', 'id']).execute();
  for (const [name, col] of [['host', 'host'], ['rule', 'rule_id'], ['status', 'status'], ['assignee', 'assignee']]) {
    await db.schema.createIndex(`alerts_${name}`).on('alerts').columns([col, 'time_ms']).execute();
  }
  await db.schema.createIndex('alerts_group').on('alerts').column('group_key').execute();
}

const initial: Migration = {
  async up(db) {
    await createEvents(db);
    await createAlerts(db);
    await createAudit(db, POSTGRES_TYPES);
    await createStateTables(db, POSTGRES_TYPES);
    await sql`INSERT INTO locks (name, value) VALUES ('audit', ${ZERO_HASH}), ('events', NULL), ('processes', NULL)`.execute(db);
  },
};

/**
 * pg_trgm lives in `public` (a per-run test schema must not own a database-wide extension), and its
 * operator class is named with its schema, wherever an administrator installed it. A failure (no
 * permission, no contrib package) rolls back to the savepoint and leaves the store unindexed.
 */
const trigram: Migration = {
  async up(db) {
    await sql`SAVEPOINT sw_trgm`.execute(db);
    try {
      await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`.execute(db);
      const r = await sql<{ nspname: string }>`SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'`.execute(db);
      const ops = sql.id(r.rows[0].nspname, 'gin_trgm_ops');
      for (const table of ['events', 'alerts']) {
        // partial: events arrive without a command line, and NULLs would still cost a GIN entry each
        await db.schema.createIndex(`${table}_cmd_trgm`).on(table).using('gin').expression(sql`lower(command_line) ${ops}`)
          .where(sql.ref('command_line'), 'is not', null).execute();
      }
      await sql`RELEASE SAVEPOINT sw_trgm`.execute(db);
    } catch {
      await sql`ROLLBACK TO SAVEPOINT sw_trgm`.execute(db);
    }
  },
};

export const POSTGRES_MIGRATIONS: Record<string, Migration> = { '0001_initial': initial, '0002_trigram': trigram };

/** Creates the schema if configured, then migrates; kysely's destroy() must not end the store's pool. */
export async function migratePostgres(pool: pg.Pool, schema: string | undefined): Promise<void> {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: { connect: () => pool.connect(), end: async () => undefined } }) });
  try {
    if (schema) await db.schema.createSchema(schema).ifNotExists().execute();
    await migrateToLatest(db, POSTGRES_MIGRATIONS, schema);
  } finally {
    await db.destroy();
  }
}
