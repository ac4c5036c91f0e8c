/**
 * SqliteStore: the embedded default. One better-sqlite3 connection per store; every method runs
 * synchronously inside it, so calls are serialised and each write is one fsynced transaction.
 */
import type Database from 'better-sqlite3';
import type {
  AlertFilter, AlertInput, DetectionCommit, AlertPatch, AuditEntry, EventFilter, EventInput, HostInfo, NormalizedFields, Page, ProcessNode,
  StoredAlert, StoredAuditEntry, StoredEvent, Store, TokenRecord,
} from '../contract.js';
import { closedStore } from '../errors.js';
import * as alerts from './alerts.js';
import * as audit from './audit.js';
import { Sql, openDatabase } from './db.js';
import * as events from './events.js';
import { migrateSqlite } from './schema.js';
import * as state from './state.js';

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  private readonly q: Sql;
  private closed = false;
  /** migrate() goes through kysely's async driver on the same connection: nothing else may run meanwhile. */
  private ready: Promise<void> = Promise.resolve();

  /** The connection itself: for tests and maintenance only (the contract suite tampers with the audit log through it). */
  readonly raw: Database.Database;

  constructor(db: Database.Database) {
    this.raw = db;
    this.q = new Sql(db);
  }

  private async run<T>(fn: (q: Sql) => T): Promise<T> {
    await this.ready;
    if (this.closed) throw closedStore(this.kind);
    return fn(this.q);
  }

  migrate(): Promise<void> {
    const step = this.ready.then(() => {
      if (this.closed) throw closedStore(this.kind);
      return migrateSqlite(this.raw);
    });
    this.ready = step.catch(() => undefined);
    return step;
  }

  async close(): Promise<void> {
    await this.ready;
    if (this.closed) return;
    this.closed = true;
    this.raw.close();
  }

  appendEvents(e: EventInput[]) { return this.run((q) => events.appendEvents(q, e)); }
  readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]> { return this.run((q) => events.readEvents(q, afterSeq, limit)); }
  getEvent(seq: number): Promise<StoredEvent | null> { return this.run((q) => events.getEvent(q, seq)); }
  setNormalized(fields: NormalizedFields[]): Promise<void> { return this.run((q) => events.setNormalized(q, fields)); }
  searchEvents(f: EventFilter, limit: number, cursor?: string): Promise<Page<StoredEvent>> { return this.run((q) => events.searchEvents(q, f, limit, cursor)); }
  purgeEvents(beforeMs: number): Promise<number> { return this.run((q) => events.purgeEvents(q, beforeMs)); }
  lastSeq(): Promise<number> { return this.run((q) => events.lastSeq(q)); }
  maintain(): Promise<number> { return this.run((q) => events.indexEvents(q)); }
  checkpoint(): Promise<void> { return this.run(() => { this.raw.pragma('wal_checkpoint(PASSIVE)'); }); }

  putAlerts(a: AlertInput[]): Promise<string[]> { return this.run((q) => alerts.putAlerts(q, a)); }
  getAlert(id: string): Promise<StoredAlert | null> { return this.run((q) => alerts.getAlert(q, id)); }
  listAlerts(f: AlertFilter, limit: number, cursor?: string): Promise<Page<StoredAlert>> { return this.run((q) => alerts.listAlerts(q, f, limit, cursor)); }
  countAlerts(f: AlertFilter): Promise<number> { return this.run((q) => alerts.countAlerts(q, f)); }
  updateAlerts(ids: string[], patch: AlertPatch, actor: string, nowMs: number): Promise<StoredAlert[]> {
    return this.run((q) => alerts.updateAlerts(q, ids, patch, actor, nowMs));
  }

  commitDetection(r: DetectionCommit): Promise<string[]> {
    // the parts' own transactions nest as savepoints inside this one
    return this.run((q) => q.tx(() => {
      const fresh = alerts.putAlerts(q, r.alerts);
      if (r.nodes.length) state.putProcesses(q, r.nodes);
      if (r.hosts.length) state.touchHosts(q, r.hosts);
      for (const [name, value] of r.positions) state.setPosition(q, name, value);
      return fresh;
    }));
  }

  putProcesses(nodes: ProcessNode[]): Promise<void> { return this.run((q) => state.putProcesses(q, nodes)); }
  getProcess(host: string, key: string): Promise<ProcessNode | null> { return this.run((q) => state.getProcess(q, host, key)); }
  childrenOf(host: string, key: string, limit: number): Promise<ProcessNode[]> { return this.run((q) => state.childrenOf(q, host, key, limit)); }

  touchHosts(h: { name: string; timeMs: number; events: number; alerts: number }[]): Promise<void> { return this.run((q) => state.touchHosts(q, h)); }
  listHosts(limit: number, cursor?: string): Promise<Page<HostInfo>> { return this.run((q) => state.listHosts(q, limit, cursor)); }

  getPosition(name: string): Promise<string | null> { return this.run((q) => state.getPosition(q, name)); }
  setPosition(name: string, value: string): Promise<void> { return this.run((q) => state.setPosition(q, name, value)); }
  putSnapshot(name: string, seq: number, data: Buffer): Promise<void> { return this.run((q) => state.putSnapshot(q, name, seq, data)); }
  getSnapshot(name: string): Promise<{ seq: number; data: Buffer } | null> { return this.run((q) => state.getSnapshot(q, name)); }

  createToken(t: TokenRecord): Promise<void> { return this.run((q) => state.createToken(q, t)); }
  findToken(hash: string): Promise<TokenRecord | null> { return this.run((q) => state.findToken(q, hash)); }
  listTokens(): Promise<TokenRecord[]> { return this.run((q) => state.listTokens(q)); }
  revokeToken(id: string, nowMs: number): Promise<boolean> { return this.run((q) => state.revokeToken(q, id, nowMs)); }
  touchToken(id: string, nowMs: number): Promise<void> { return this.run((q) => state.touchToken(q, id, nowMs)); }

  audit(entry: AuditEntry): Promise<void> { return this.run((q) => audit.appendAudit(q, entry)); }
  listAudit(limit: number, cursor?: string): Promise<Page<StoredAuditEntry>> { return this.run((q) => audit.listAudit(q, limit, cursor)); }
  verifyAudit(): Promise<number | null> { return this.run((q) => audit.verifyAudit(q)); }
}

/** Opens (creating if needed) the database file at `path`; call migrate() before use (openStore does). */
export async function openSqlite(path: string, opts: { autoCheckpoint?: boolean } = {}): Promise<SqliteStore> {
  const db = openDatabase(path);
  if (opts.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
  return new SqliteStore(db);
}
