/**
 * What the API face sees of a running `serve`: the store, the ingest port, the live alert stream and
 * the operations behind the routes. The engine (engine.ts) implements it; the API (src/api) only calls it,
 * so the routes can be tested over a store with a stand-in for the rest.
 */
import type { Diagnostic, IngestPort, RawRecord } from '../../core/index.js';
import type { Store, StoredAlert, StoredEvent } from '../../store/contract.js';

export type * from '../../store/contract.js';
// values the API validates against (added for src/api, which may not import src/store)
export { ALERT_STATUSES, ROLES } from '../../store/contract.js';

/** A Sigma rule as `rules list` reports it. */
export interface RuleInfo { id: string; title: string; level: string | null; status: string | null; path: string; loaded: boolean; problems: string[] }

/** What running a rule over events gave. */
export interface RuleTestResult { rule: RuleInfo | null; diagnostics: Diagnostic[]; matches: { index: number; title: string; level: string }[] }

export interface RetroHuntRequest {
  /** Sigma rule YAML texts to run (one rule or a multi-document file each) */
  rules: string[];
  fromMs?: number;
  toMs?: number;
  host?: string;
  /** most events to scan (default 100,000, at most 1,000,000) */
  limit?: number;
  /** store the alerts it finds (default false: only return them) */
  store?: boolean;
}
export interface RetroHuntResult { scanned: number; alerts: import('../../core/index.js').Alert[]; diagnostics: Diagnostic[]; truncated: boolean }

/** Counters and gauges the /metrics route renders in the Prometheus text format. */
export interface ServeMetrics {
  eventsIn: number;
  eventsDuplicate: number;
  /** records refused or dropped, by stream and reason */
  dropped: Record<string, number>;
  diagnostics: Record<string, number>;
  alertsStored: number;
  /** events committed but not yet through detection */
  queueDepth: number;
  queueLimit: number;
  hosts: number;
  evictions: number;
  /** ingest-to-stored-alert latency in seconds: cumulative bucket counts (upper bound → count), sum, count */
  latency: { buckets: [number, number][]; sum: number; count: number };
}

export interface ServeContext {
  readonly store: Store;
  readonly ingest: IngestPort;
  /** Parses a delivered body with whichever reader recognises it (gzip inflated first). */
  parse(body: Buffer, name: string): Promise<{ records: RawRecord[]; diagnostics: Diagnostic[]; reader: string | null }>;
  /** Calls `fn` with each alert once stored (new ids only); returns the unsubscribe function. */
  subscribe(fn: (a: StoredAlert) => void): () => void;
  /** The process tree around an alert: ancestors (nearest first), the node, its siblings and children. */
  tree(alertId: string): Promise<ProcessTree | null>;
  rules(): RuleInfo[];
  testRule(yaml: string, events: Record<string, unknown>[]): Promise<RuleTestResult>;
  /** Reloads the Sigma rules from their paths without a restart; the old set stays when the new one fails to load. */
  reloadRules(): Promise<{ loaded: number; failed: number; diagnostics: Diagnostic[] }>;
  retroHunt(req: RetroHuntRequest): Promise<RetroHuntResult>;
  metrics(): ServeMetrics;
  /** ready once the store is open and the backlog from before a restart has been replayed */
  ready(): boolean;
  health(): { status: 'ok' | 'degraded'; store: string; uptimeS: number; lagEvents: number };
}

export interface ProcessTree {
  host: string;
  node: import('../../store/contract.js').ProcessNode | null;
  ancestors: import('../../store/contract.js').ProcessNode[];
  siblings: import('../../store/contract.js').ProcessNode[];
  children: import('../../store/contract.js').ProcessNode[];
  /** the events the node was built from */
  events: StoredEvent[];
}
