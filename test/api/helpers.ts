/**
 * A test ServeContext over the real SQLite store: accept() appends to it (content-keyed, so duplicates
 * are stored once), parse() is the readers' readBuffer, and the rest are small stand-ins the tests
 * steer (busy, ready, published alerts).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { BusyError, type Alert, type IngestPort, type RawRecord } from '../../src/core/index.js';
import { readBuffer } from '../../src/ingest/bytes.js';
import type { Role, ServeContext, ServeMetrics, Store, StoredAlert } from '../../src/pipeline/serve/context.js';
import { openStore } from '../../src/pipeline/serve/store.js';
import { buildApi, type ApiOptions } from '../../src/api/server.js';
import { createToken } from '../../src/api/tokens.js';

/** A fixed time for what the stand-in port and publisher stamp (tests never read the clock). */
const RECEIVED_MS = 1_700_000_000_000;

export interface Harness {
  app: FastifyInstance;
  ctx: ServeContext;
  store: Store;
  tokens: Record<Role, string>;
  accepted: { records: RawRecord[]; stream: string; sender?: string }[];
  state: { busy: boolean; ready: boolean };
  publish(a: Alert & { id: string }): Promise<StoredAlert>;
  /** live SSE subscriptions */
  subscribers(): number;
  close(): Promise<void>;
}

export const ROLE_LIST: Role[] = ['ingest', 'viewer', 'analyst', 'responder', 'admin'];

export function metrics(): ServeMetrics {
  return {
    eventsIn: 10, eventsDuplicate: 1, dropped: { 'syslog-udp|queue full': 3, 'bulk:we"ird\\idx\nx|parse': 1 }, diagnostics: { SW1003: 2 },
    alertsStored: 4, queueDepth: 0, queueLimit: 200000, hosts: 2, evictions: 0,
    latency: { buckets: [[0.005, 1], [0.01, 2], [0.05, 3]], sum: 0.04, count: 3 },
  };
}

function testContext(store: Store, accepted: Harness['accepted'], state: Harness['state'], subscribers: Set<(a: StoredAlert) => void>): ServeContext {
  const ingest: IngestPort = {
    async accept(records, from) {
      if (state.busy) throw new BusyError(7);
      accepted.push({ records, stream: from.stream, sender: from.sender });
      const events = records.map((record) => ({ key: createHash('sha256').update(JSON.stringify([record.system, record.data])).digest('hex'), receivedMs: from.receivedMs ?? RECEIVED_MS, stream: from.stream, sender: from.sender, record }));
      const r = await store.appendEvents(events);
      return { accepted: records.length, duplicates: r.duplicates, seqs: r.seqs };
    },
    report() {},
    dropped() {},
  };
  const rule = { id: 'r1', title: 'Rule one', level: 'high', status: 'test', path: 'rules/r1.yml', loaded: true, problems: [] };
  return {
    store, ingest,
    parse: (body, name) => readBuffer(body, name, { maxInflated: 64 * 1024 * 1024 }),
    subscribe(fn) { subscribers.add(fn); return () => { subscribers.delete(fn); }; },
    async tree(id) {
      const a = await store.getAlert(id);
      return a ? { host: a.alert.host, node: null, ancestors: [], siblings: [], children: [], events: [] } : null;
    },
    rules: () => [rule],
    testRule: async (_yaml, events) => ({ rule, diagnostics: [], matches: events.map((_e, index) => ({ index, title: rule.title, level: rule.level })) }),
    reloadRules: async () => ({ loaded: 1, failed: 0, diagnostics: [] }),
    retroHunt: async () => ({ scanned: 0, alerts: [], diagnostics: [], truncated: false }),
    metrics,
    ready: () => state.ready,
    health: () => ({ status: 'ok', store: store.kind, uptimeS: 1, lagEvents: 0 }),
  };
}

export async function harness(opts: Partial<ApiOptions> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-api-'));
  const store: Store = await openStore({ kind: 'sqlite', path: join(dir, 'store.db') });
  await store.migrate();
  const accepted: Harness['accepted'] = [];
  const state = { busy: false, ready: true };
  const subscribers = new Set<(a: StoredAlert) => void>();
  const ctx = testContext(store, accepted, state, subscribers);
  const app = await buildApi(ctx, { bodyBytes: 1024 * 1024, ratePerMinute: 100_000, version: '0.0.0-test', ...opts });
  const tokens = {} as Record<Role, string>;
  for (const role of ROLE_LIST) tokens[role] = (await createToken(store, { name: `t-${role}`, role, actor: 'test' })).token;
  return {
    app, ctx, store, tokens, accepted, state,
    subscribers: () => subscribers.size,
    async publish(a) {
      await store.putAlerts([{ alert: a, groupKey: `${a.rule.id}|${a.host}`, createdMs: RECEIVED_MS }]);
      const s = (await store.getAlert(a.id)) as StoredAlert;
      for (const fn of subscribers) fn(s);
      return s;
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plausible alert, ordered in time by `i`. */
export function makeAlert(i: number, over: Partial<Alert> = {}): Alert & { id: string } {
  const proc = { pid: 100 + i, guid: null, image: 'C:\\Windows\\System32\\cmd.exe', commandLine: `cmd.exe /c whoami & echo ${i}` };
  return {
    id: `a${String(i).padStart(5, '0')}`,
    rule: { id: i % 2 ? 'chained-commands' : 'encoded-obfuscated-cli', title: 'Test rule', level: i % 3 ? 'medium' : 'high', source: 'builtin', techniques: ['T1059.003'] },
    time: new Date(Date.UTC(2026, 2, 1, 0, 0, i)).toISOString(),
    host: i % 2 ? 'WEB01' : 'DB01', user: 'CORP\\alice',
    process: proc, parent: { pid: 99, guid: null, image: 'C:\\Windows\\explorer.exe', commandLine: null },
    ancestors: [], session: null, baseline: null, reason: 'test', decoded: [],
    event: { file: 'http', record: i, channel: 'Security', eventId: 4688 }, evidence: { k: i },
    ...over,
  };
}

export const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
