/**
 * The one better-sqlite3 connection a SqliteStore owns: opened with the durability settings, plus a
 * cache of prepared statements (the filtered listings produce a bounded set of SQL texts).
 */
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';

export class Sql {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) {}

  prep(text: string): Database.Statement {
    let s = this.cache.get(text);
    if (!s) {
      s = this.db.prepare(text);
      this.cache.set(text, s);
    }
    return s;
  }

  /**
   * Runs `fn` in one BEGIN IMMEDIATE transaction: the write lock is taken up front, so another process
   * on the same file waits (busy_timeout) instead of failing on a read-to-write upgrade.
   */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}

/**
 * WAL with synchronous=FULL: every commit is fsynced before better-sqlite3 returns, so a write whose
 * promise resolved survives kill -9 and power loss (NORMAL would only survive the process dying).
 */
export function openDatabase(path: string): Database.Database {
  if (typeof path !== 'string' || path.length === 0) throw new StoreError('SW6013', 'sqlite store needs a file path');
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 5000');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && path !== ':memory:') throw new StoreError('SW6013', `sqlite store could not enable WAL (journal_mode=${String(mode)})`);
    db.pragma('synchronous = FULL');
    // Event keys are content hashes: every append dirties random pages of the key index. A 64 MiB cache
    // keeps them in memory, and checkpointing every 16k pages (not 1k) folds repeated writes of the
    // same page into one (about +35% appends/s measured); the WAL is cut back to 64 MiB afterwards.
    db.pragma('cache_size = -65536');
    db.pragma('wal_autocheckpoint = 16384');
    db.pragma('journal_size_limit = 67108864');
    // FTS5 content tables and upserts stay consistent; no foreign keys are declared, so this is a guard only.
    db.pragma('foreign_keys = ON');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
