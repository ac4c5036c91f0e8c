/**
 * `serve`'s configuration: flags, a YAML file with the same keys, and SHELLWATCH_* environment
 * overrides, in that order of precedence (flag > environment > file > default). A job is data: this
 * object is all a node needs to run the same pipeline.
 */
export interface ServeConfig {
  /** data folder: the SQLite store, follow positions (default ./shellwatch-data) */
  data: string;
  /** HTTP listen address HOST:PORT (default 127.0.0.1:8844) */
  listen: string;
  /** TLS for the HTTP API: PEM file paths */
  tls?: { cert: string; key: string };
  /** the store: embedded SQLite in `data` (default), or PostgreSQL */
  store: { kind: 'sqlite' } | { kind: 'postgres'; url: string; schema?: string };
  syslog: {
    /** HOST:PORT to listen on, each optional */
    udp?: string;
    tcp?: string;
    tls?: string;
    /** PEM paths for syslog over TLS (RFC 5425); default: the HTTP TLS pair */
    cert?: string;
    key?: string;
  };
  /** files to follow (tail with rotation), positions kept in the store */
  follow: string[];
  /** Sigma rule files or folders, and statuses to report */
  rules: { paths: string[]; statuses?: string[]; builtin: boolean };
  /** site allowlists and groups */
  allowlist: string[];
  groups?: string;
  limits: {
    /** largest accepted request body in bytes (after gzip: the inflated size limit is 8× this) */
    bodyBytes: number;
    /** requests per minute per token (or per address when unauthenticated) */
    ratePerMinute: number;
    /** events committed but not yet through detection before ingest answers 429 */
    queueEvents: number;
  };
  pipeline: {
    /** per-host reorder window in event time (0: release each delivery in time order at once) */
    reorderWindowMs: number;
    /** a quiet host's buffered events are released after this much wall time */
    idleFlushMs: number;
    /** an event stamped more than this ahead of its receive time cannot advance its host's watermark */
    maxSkewMs: number;
    /** hosts whose state is kept before the least recently active is evicted */
    maxHosts: number;
    /** events between snapshots of the detection state (a restart restores the last and replays only what came after) */
    snapshotEvery: number;
  };
  /** raw events older than this (by receive time) are deleted; alerts are kept (0: keep forever) */
  retentionDays: number;
}

export const DEFAULT_CONFIG: ServeConfig = {
  data: './shellwatch-data',
  listen: '127.0.0.1:8844',
  store: { kind: 'sqlite' },
  syslog: {},
  follow: [],
  rules: { paths: [], builtin: true },
  allowlist: [],
  limits: { bodyBytes: 32 * 1024 * 1024, ratePerMinute: 60_000, queueEvents: 200_000 },
  pipeline: { reorderWindowMs: 0, idleFlushMs: 1000, maxSkewMs: 5 * 60_000, maxHosts: 10_000, snapshotEvery: 100_000 },
  retentionDays: 30,
};

/** Splits `HOST:PORT` (IPv6 in brackets); throws on a malformed address. */
export function parseAddress(s: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`not a HOST:PORT address: ${JSON.stringify(s)}`);
  return { host: m[1] ?? m[2], port };
}
