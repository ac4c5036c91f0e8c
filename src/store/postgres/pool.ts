/**
 * The pg.Pool a PostgresStore owns. The schema and durability are set as connection startup options,
 * so every pooled connection has them before its first query and no query can run in the wrong schema.
 */
import pg from 'pg';
import { StoreError } from '../errors.js';

/** Plain lower-case identifiers only: the schema name is written into SQL and startup options. */
const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchema(schema: string | undefined): string | undefined {
  if (schema === undefined) return undefined;
  if (!SCHEMA_RE.test(schema) || schema.startsWith('pg_')) throw new StoreError('SW6013', `invalid PostgreSQL schema name (use [a-z_][a-z0-9_]*): ${JSON.stringify(schema)}`);
  return schema;
}

export function createPool(url: string, schema: string | undefined): pg.Pool {
  if (typeof url !== 'string' || url.length === 0) throw new StoreError('SW6013', 'postgres store needs a connection URL');
  // synchronous_commit=on: COMMIT returns only once the WAL is flushed, whatever the server default.
  const options = [`-c synchronous_commit=on`, ...(schema ? [`-c search_path=${schema},public`] : [])].join(' ');
  const pool = new pg.Pool({ connectionString: url, options, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle client dropped by the server must not crash the process; the next query gets a fresh one.
  pool.on('error', () => undefined);
  return pool;
}

/** Runs `fn` in one transaction on one pooled connection; a connection that failed to roll back is discarded. */
export async function withTx<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch((r: unknown) => { broken = r instanceof Error ? r : new Error(String(r)); });
    throw e;
  } finally {
    c.release(broken);
  }
}

/** Serialises writers of one kind (`events`, `processes`, `audit`) across connections and processes. */
export async function lockRow(c: pg.PoolClient, name: 'events' | 'processes' | 'audit'): Promise<string | null> {
  const r = await c.query<{ value: string | null }>({ name: 'sw_lock', text: 'SELECT value FROM locks WHERE name = $1 FOR UPDATE', values: [name] });
  return r.rows[0]?.value ?? null;
}

/** Columns of rows, for `unnest($1::text[], …)` multi-row statements (one round trip per batch). */
export function columnsOf<T extends unknown[]>(rows: T[], width: number): unknown[][] {
  const cols: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < width; j++) cols[j][i] = rows[i][j];
  return cols;
}
