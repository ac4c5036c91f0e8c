/**
 * The Store contract: what `serve` keeps. Two implementations (sqlite/ embedded default, postgres/),
 * one contract suite (test/contracts/store.test.ts) that both pass. Every method is async (PostgreSQL
 * is); a write resolves only once it is committed, which is what lets a receiver acknowledge its
 * sender after it. Every id, cursor and text here may come from an attacker: implementations bind
 * parameters, never build SQL from values.
 */
import type { Alert, RawRecord } from '../core/index.js';

/** One record to keep, as a receiver delivered it. */
export interface EventInput {
  /** content identity (hex): the same record delivered twice is stored once */
  key: string;
  receivedMs: number;
  /** the delivery's stream (`http`, `bulk:INDEX`, `syslog-tcp`, `follow:PATH`…) and sender */
  stream: string;
  sender?: string;
  record: RawRecord;
  /**
   * The searchable fields of the normalized event, when the caller normalized it before storing (serve
   * does: written with the record, so no update per event after detection). Take precedence over the
   * system header's host and time.
   */
  fields?: { kind: string; host: string; timeMs: number | null; user: string | null; commandLine: string | null };
}

/** A kept record: the raw record, and once detection has run the normalized event's searchable fields. */
export interface StoredEvent {
  seq: number;
  key: string;
  receivedMs: number;
  stream: string;
  sender: string | null;
  /** from the record's system header, for filtering */
  host: string | null;
  timeMs: number | null;
  record: RawRecord;
  /** set by setNormalized(): the normalized event without its raw fields (kind, process, parent…) */
  normalized: Record<string, unknown> | null;
  /** the command line (or script text) searched by `text` queries */
  commandLine: string | null;
}

/** What setNormalized() records for one event once the pipeline has normalized it. */
export interface NormalizedFields {
  seq: number;
  kind: string;
  host: string;
  timeMs: number | null;
  user: string | null;
  commandLine: string | null;
  normalized: Record<string, unknown>;
}

export type AlertStatus = 'new' | 'acknowledged' | 'in_progress' | 'closed' | 'false_positive';
export const ALERT_STATUSES: readonly AlertStatus[] = ['new', 'acknowledged', 'in_progress', 'closed', 'false_positive'];

export interface AlertNote { timeMs: number; actor: string; text: string }

/** An alert as the store keeps it: the documented alert format (with its stable id) plus triage state. */
export interface StoredAlert {
  id: string;
  alert: Alert & { id: string };
  /** repeats of one rule on one host (and parent→child chains) share it: the console groups by it */
  groupKey: string;
  status: AlertStatus;
  assignee: string | null;
  notes: AlertNote[];
  /** when the store first saw it / last changed its triage state, ms since the epoch */
  createdMs: number;
  updatedMs: number;
}

export interface AlertInput { alert: Alert & { id: string }; groupKey: string; createdMs: number }

export interface AlertFilter {
  /** alert time (the event's), ms since the epoch, inclusive from / exclusive to */
  fromMs?: number;
  toMs?: number;
  host?: string;
  user?: string;
  /** rule id */
  rule?: string;
  /** minimum level */
  minLevel?: Alert['rule']['level'];
  status?: AlertStatus[];
  assignee?: string;
  /** substring of the process command line (case-insensitive) */
  text?: string;
}

export interface AlertPatch { status?: AlertStatus; assignee?: string | null; note?: string }

/** One page of a listing; `next` is an opaque cursor for the following page, null at the end. */
export interface Page<T> { items: T[]; next: string | null }

export interface EventFilter {
  fromMs?: number;
  toMs?: number;
  host?: string;
  kind?: string;
  /** substring of the command line (case-insensitive; SQLite FTS5 trigram, PostgreSQL pg_trgm) */
  text?: string;
  /** events stored after this sequence number */
  afterSeq?: number;
}

/** A process as the lineage stage built it, kept so the tree around an alert survives restarts. */
export interface ProcessNode {
  host: string;
  /** stable within a host: `g:GUID`, or `p:PID:STARTMS` when the source has no GUID */
  key: string;
  parentKey: string | null;
  pid: number | null;
  guid: string | null;
  image: string | null;
  commandLine: string | null;
  user: string | null;
  startMs: number | null;
  /** the store sequence numbers of the events this node was built from (Sysmon 1, 4688, auditd…) */
  seqs: number[];
  /** the sources that reported it, e.g. `Microsoft-Windows-Sysmon/Operational:1`, `auditd:execve` */
  sources: string[];
}

export interface DetectionCommit {
  alerts: AlertInput[];
  nodes: ProcessNode[];
  hosts: { name: string; timeMs: number; events: number; alerts: number }[];
  positions: [name: string, value: string][];
}

export interface HostInfo { name: string; firstSeenMs: number; lastSeenMs: number; events: number; alerts: number }

export type Role = 'ingest' | 'viewer' | 'analyst' | 'responder' | 'admin';
export const ROLES: readonly Role[] = ['ingest', 'viewer', 'analyst', 'responder', 'admin'];

/** An API token: only its hash is kept. */
export interface TokenRecord { id: string; name: string; role: Role; hash: string; createdMs: number; revokedMs: number | null; lastUsedMs: number | null }

export interface AuditEntry {
  timeMs: number;
  /** token name or `cli:USER` */
  actor: string;
  /** e.g. `alert.update`, `token.create`, `rules.reload` */
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}
/** Kept append-only and hash-chained: `hash` = sha256 hex of `prevHash` and the entry's canonical JSON. */
export interface StoredAuditEntry extends AuditEntry { id: number; prevHash: string; hash: string }

export interface Store {
  /** `sqlite` or `postgres` */
  readonly kind: string;
  /** Creates or upgrades the schema (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Appends a delivery in one transaction. Records whose key is already stored are not stored again:
   * their earlier seq is returned. Resolves once committed.
   */
  appendEvents(events: EventInput[]): Promise<{ seqs: number[]; inserted: number; duplicates: number }>;
  /** Events with seq > afterSeq in seq order (the detection loop's replay after a restart). */
  readEvents(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  getEvent(seq: number): Promise<StoredEvent | null>;
  setNormalized(fields: NormalizedFields[]): Promise<void>;
  /** Newest first. */
  searchEvents(filter: EventFilter, limit: number, cursor?: string): Promise<Page<StoredEvent>>;
  /** Deletes events received before `beforeMs` (retention); returns how many. Alerts are kept. */
  purgeEvents(beforeMs: number): Promise<number>;
  /** Highest seq stored, 0 when empty. */
  lastSeq(): Promise<number>;
  /**
   * Background upkeep, called every few hundred ms by serve: SQLite adds the command lines appended since
   * the last call to its search index in one transaction (search finds them before that too, by a scan
   * of the rows not yet indexed). Returns how many rows it covered; cheap when there is nothing to do.
   */
  maintain(): Promise<number>;
  /**
   * SQLite: copies the write-ahead log into the database without blocking writers (a passive
   * checkpoint), so the connection that writes need not stall on it; PostgreSQL: nothing to do.
   */
  checkpoint(): Promise<void>;

  /** Inserts alerts idempotently by id; returns the ids that were new (in input order). */
  putAlerts(alerts: AlertInput[]): Promise<string[]>;
  getAlert(id: string): Promise<StoredAlert | null>;
  /** Newest alert time first, ties by id; `cursor` from an earlier page. */
  listAlerts(filter: AlertFilter, limit: number, cursor?: string): Promise<Page<StoredAlert>>;
  countAlerts(filter: AlertFilter): Promise<number>;
  /** Applies `patch` (and writes one audit entry per alert changed, in the same transaction). */
  updateAlerts(ids: string[], patch: AlertPatch, actor: string, nowMs: number): Promise<StoredAlert[]>;

  /**
   * One pass of detection's results: alerts (idempotent, as putAlerts), process nodes, host counts and
   * named positions (the detection cursor). SQLite commits them in one transaction (one fsync, and the
   * cursor never runs ahead of what it covers); PostgreSQL in one per part. Returns the new alert ids.
   */
  commitDetection(r: DetectionCommit): Promise<string[]>;

  /** Upserts process nodes by (host, key): later reports fill in what earlier ones lacked, seqs and sources accumulate. */
  putProcesses(nodes: ProcessNode[]): Promise<void>;
  getProcess(host: string, key: string): Promise<ProcessNode | null>;
  childrenOf(host: string, key: string, limit: number): Promise<ProcessNode[]>;

  /** Adds to each host's counts and widens its seen range. */
  touchHosts(hosts: { name: string; timeMs: number; events: number; alerts: number }[]): Promise<void>;
  listHosts(limit: number, cursor?: string): Promise<Page<HostInfo>>;

  /** Small named values: follow positions, the detection cursor. */
  getPosition(name: string): Promise<string | null>;
  setPosition(name: string, value: string): Promise<void>;
  /** Named state snapshots (pipeline state at a seq). */
  putSnapshot(name: string, seq: number, data: Buffer): Promise<void>;
  getSnapshot(name: string): Promise<{ seq: number; data: Buffer } | null>;

  createToken(t: TokenRecord): Promise<void>;
  /** The live (not revoked) token with this hash. */
  findToken(hash: string): Promise<TokenRecord | null>;
  listTokens(): Promise<TokenRecord[]>;
  revokeToken(id: string, nowMs: number): Promise<boolean>;
  touchToken(id: string, nowMs: number): Promise<void>;

  audit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  listAudit(limit: number, cursor?: string): Promise<Page<StoredAuditEntry>>;
  /** Re-computes the chain; the id of the first entry whose hash does not match, or null when intact. */
  verifyAudit(): Promise<number | null>;
}

/** How to open a store: `sqlite` in a data folder (the embedded default) or a PostgreSQL URL. */
export type StoreConfig =
  /** `autoCheckpoint: false`: this connection never checkpoints the WAL itself (another calls checkpoint()) */
  | { kind: 'sqlite'; path: string; autoCheckpoint?: boolean }
  | { kind: 'postgres'; url: string; schema?: string };
