/**
 * The tables whose shape is the same in both stores (processes, hosts, positions, snapshots, tokens,
 * locks), written once with kysely's schema builder; `ColumnTypes` carries the dialect's spellings.
 * and the audit log. Events and alerts differ (sequence columns, full-text search) and live in each store's schema.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

export interface ColumnTypes {
  /** 64-bit integer: `integer` in SQLite, `bigint` in PostgreSQL */
  int: 'integer' | 'bigint';
  blob: 'blob' | 'bytea';
  /**
   * Text compared and ordered as keys: PostgreSQL gets `collate "C"` so ordering is by code point,
   * as in SQLite, and pagination cursors order the same in both stores.
   */
  key: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** an integer primary key the database numbers itself */
  identity: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
}

export const SQLITE_TYPES: ColumnTypes = { int: 'integer', blob: 'blob', key: (c) => c, identity: (c) => c.primaryKey().autoIncrement() };
export const POSTGRES_TYPES: ColumnTypes = { int: 'bigint', blob: 'bytea', key: (c) => c.modifyFront(sql`collate "C"`), identity: (c) => c.generatedAlwaysAsIdentity().primaryKey() };

/** The audit log, append-only and hash-chained (chain.ts): the same in both stores but for its id. */
export async function createAudit(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.createTable('audit')
    .addColumn('id', t.int, (c) => t.identity(c))
    .addColumn('time_ms', t.int, (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
}

export async function createStateTables(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.createTable('processes')
    .addColumn('host', 'text', (c) => t.key(c).notNull())
    .addColumn('key', 'text', (c) => t.key(c).notNull())
    .addColumn('parent_key', 'text', (c) => t.key(c))
    .addColumn('pid', t.int)
    .addColumn('guid', 'text')
    .addColumn('image', 'text')
    .addColumn('command_line', 'text')
    .addColumn('user_name', 'text')
    .addColumn('start_ms', t.int)
    // JSON arrays: merged in code (merge.ts), never queried inside
    .addColumn('seqs', 'text', (c) => c.notNull())
    .addColumn('sources', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('processes_pk', ['host', 'key'])
    .execute();
  await db.schema.createIndex('processes_parent').on('processes').columns(['host', 'parent_key']).execute();

  await db.schema.createTable('hosts')
    .addColumn('name', 'text', (c) => t.key(c).primaryKey())
    .addColumn('first_seen_ms', t.int)
    .addColumn('last_seen_ms', t.int)
    .addColumn('events', t.int, (c) => c.notNull().defaultTo(0))
    .addColumn('alerts', t.int, (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema.createTable('positions')
    .addColumn('name', 'text', (c) => t.key(c).primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('snapshots')
    .addColumn('name', 'text', (c) => t.key(c).primaryKey())
    .addColumn('seq', t.int, (c) => c.notNull())
    .addColumn('data', t.blob, (c) => c.notNull())
    .execute();

  await createTokenTables(db, t);
}

async function createTokenTables(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.createTable('tokens')
    .addColumn('id', 'text', (c) => t.key(c).primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_ms', t.int, (c) => c.notNull())
    .addColumn('revoked_ms', t.int)
    .addColumn('last_used_ms', t.int)
    .execute();

  // Rows taken FOR UPDATE (PostgreSQL) to serialise writers, and the audit chain's head hash.
  await db.schema.createTable('locks')
    .addColumn('name', 'text', (c) => t.key(c).primaryKey())
    .addColumn('value', 'text')
    .execute();
}
