/**
 * PostgresStore: for deployments that share one database between serve instances or want
 * PostgreSQL's tooling. A pg.Pool per store; optional `schema` (every connection's search_path).
 */
import type pg from 'pg';
import type {
  AlertFilter, AlertInput, AlertPatch, DetectionCommit, AuditEntry, EventFilter, EventInput, HostInfo, NormalizedFields, Page, ProcessNode,
  StoredAlert, StoredAuditEntry, StoredEvent, Store, TokenRecord,
} from '../contract.js';
import { closedStore } from '../errors.js';
import * as alerts from './alerts.js';
import * as audit from './audit.js';
import * as events from './events.js';
import { checkSchema, createPool } from './pool.js';
import { migratePostgres } from './schema.js';
import * as state from './state.js';

export interface PostgresOptions { url: string; schema?: string }

export class PostgresStore implements Store {
  readonly kind = 'postgres';
  private closed = false;

  /** The pool itself: for tests and maintenance only (the contract suite tampers with the audit log through it). */
  readonly raw: pg.Pool;

  constructor(pool: pg.Pool, readonly schema: string | undefined) {
    this.raw = pool;
  }

  private async run<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
    if (this.closed) throw closedStore(this.kind);
    return fn(this.raw);
  }

  migrate(): Promise<void> { return this.run((pool) => migratePostgres(pool, this.schema)); }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.raw.end();
  }

  commitDetection(r: DetectionCommit): Promise<string[]> {
    return this.run(async (p) => {
      const fresh = await alerts.putAlerts(p, r.alerts);
      if (r.nodes.length) await state.putProcesses(p, r.nodes);
      if (r.hosts.length) await state.touchHosts(p, r.hosts);
      // the cursor last: it never runs ahead of what it covers
      for (const [name, value] of r.positions) await state.setPosition(p, name, value);
      return fresh;
    });
  }

  appendEvents(e: EventInput[]) { return this.run((p) => events.appendEvents(p, e)); }
  readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]> { return this.run((p) => events.readEvents(p, afterSeq, limit)); }
  getEvent(seq: number): Promise<StoredEvent | null> { return this.run((p) => events.getEvent(p, seq)); }
  setNormalized(fields: NormalizedFields[]): Promise<void> { return this.run((p) => events.setNormalized(p, fields)); }
  searchEvents(f: EventFilter, limit: number, cursor?: string): Promise<Page<StoredEvent>> { return this.run((p) => events.searchEvents(p, f, limit, cursor)); }
  purgeEvents(beforeMs: number): Promise<number> { return this.run((p) => events.purgeEvents(p, beforeMs)); }
  lastSeq(): Promise<number> { return this.run((p) => events.lastSeq(p)); }
  /** pg_trgm's index is kept by PostgreSQL itself: nothing to do. */
  maintain(): Promise<number> { return this.run(async () => 0); }
  checkpoint(): Promise<void> { return this.run(async () => undefined); }

  putAlerts(a: AlertInput[]): Promise<string[]> { return this.run((p) => alerts.putAlerts(p, a)); }
  getAlert(id: string): Promise<StoredAlert | null> { return this.run((p) => alerts.getAlert(p, id)); }
  listAlerts(f: AlertFilter, limit: number, cursor?: string): Promise<Page<StoredAlert>> { return this.run((p) => alerts.listAlerts(p, f, limit, cursor)); }
  countAlerts(f: AlertFilter): Promise<number> { return this.run((p) => alerts.countAlerts(p, f)); }
  updateAlerts(ids: string[], patch: AlertPatch, actor: string, nowMs: number): Promise<StoredAlert[]> {
    return this.run((p) => alerts.updateAlerts(p, ids, patch, actor, nowMs));
  }

  putProcesses(nodes: ProcessNode[]): Promise<void> { return this.run((p) => state.putProcesses(p, nodes)); }
  getProcess(host: string, key: string): Promise<ProcessNode | null> { return this.run((p) => state.getProcess(p, host, key)); }
  childrenOf(host: string, key: string, limit: number): Promise<ProcessNode[]> { return this.run((p) => state.childrenOf(p, host, key, limit)); }

  touchHosts(h: { name: string; timeMs: number; events: number; alerts: number }[]): Promise<void> { return this.run((p) => state.touchHosts(p, h)); }
  listHosts(limit: number, cursor?: string): Promise<Page<HostInfo>> { return this.run((p) => state.listHosts(p, limit, cursor)); }

  getPosition(name: string): Promise<string | null> { return this.run((p) => state.getPosition(p, name)); }
  setPosition(name: string, value: string): Promise<void> { return this.run((p) => state.setPosition(p, name, value)); }
  putSnapshot(name: string, seq: number, data: Buffer): Promise<void> { return this.run((p) => state.putSnapshot(p, name, seq, data)); }
  getSnapshot(name: string): Promise<{ seq: number; data: Buffer } | null> { return this.run((p) => state.getSnapshot(p, name)); }

  createToken(t: TokenRecord): Promise<void> { return this.run((p) => state.createToken(p, t)); }
  findToken(hash: string): Promise<TokenRecord | null> { return this.run((p) => state.findToken(p, hash)); }
  listTokens(): Promise<TokenRecord[]> { return this.run((p) => state.listTokens(p)); }
  revokeToken(id: string, nowMs: number): Promise<boolean> { return this.run((p) => state.revokeToken(p, id, nowMs)); }
  touchToken(id: string, nowMs: number): Promise<void> { return this.run((p) => state.touchToken(p, id, nowMs)); }

  audit(entry: AuditEntry): Promise<void> { return this.run((p) => audit.appendAudit(p, entry)); }
  listAudit(limit: number, cursor?: string): Promise<Page<StoredAuditEntry>> { return this.run((p) => audit.listAudit(p, limit, cursor)); }
  verifyAudit(): Promise<number | null> { return this.run((p) => audit.verifyAudit(p)); }
}

/** Creates the pool (connections open lazily); call migrate() before use (openStore does). */
export async function openPostgres(o: PostgresOptions): Promise<PostgresStore> {
  const schema = checkSchema(o.schema);
  return new PostgresStore(createPool(o.url, schema), schema);
}
