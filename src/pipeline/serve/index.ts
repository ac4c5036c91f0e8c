/**
 * `serve`, wired: the store, the engine, the receivers (syslog, file follow) and the context the API
 * face is given. Startup and teardown are explicit ordered steps (open store → engine → receivers;
 * close in reverse), so a signal stops it cleanly: nothing accepted is left undetected.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Diagnostic } from '../../core/index.js';
import { openStore } from '../../store/index.js';
import type { Store, StoreConfig } from '../../store/contract.js';
import { startSyslog, type SyslogServer } from '../../ingest/syslog/server.js';
import { startFollow, type Follower } from '../../ingest/follow/follower.js';
import { parseAddress, type ServeConfig } from './config.js';
import type { ServeContext } from './context.js';
import { Engine } from './engine.js';
import { retroHunt, ruleInfos, testRule } from './rules.js';
import { alertTree } from './tree.js';

export { DEFAULT_CONFIG, parseAddress, type ServeConfig } from './config.js';
export type * from './context.js';
export { loadServeConfig } from './load-config.js';

export interface Serve {
  engine: Engine;
  context: ServeContext;
  store: Store;
  syslog?: SyslogServer;
  follower?: Follower;
  /** closes receivers, finishes detection of what was accepted, closes the store */
  close(): Promise<void>;
}

/** The store a config names: SQLite in the data folder unless PostgreSQL is configured. */
export function storeConfigOf(c: ServeConfig): StoreConfig {
  if (c.store.kind === 'postgres') return { kind: 'postgres', url: c.store.url, schema: c.store.schema };
  mkdirSync(c.data, { recursive: true, mode: 0o700 });
  return { kind: 'sqlite', path: join(c.data, 'shellwatch.db') };
}

/** Opens the store a config names (for companions such as `token create`). */
export function openConfiguredStore(c: ServeConfig): Promise<Store> {
  return openStore(storeConfigOf(c));
}

export async function startServe(c: ServeConfig, onDiagnostic?: (d: Diagnostic) => void): Promise<Serve> {
  const sc = storeConfigOf(c);
  // the writing connection never stalls on a WAL checkpoint: the detection thread's connection does them
  const store = await openStore(sc.kind === 'sqlite' ? { ...sc, autoCheckpoint: false } : sc);
  // detection on a thread of its own, with its own connection: it never holds up acknowledgements
  const engine = await Engine.open(store, c, { thread: sc });
  const context = contextOf(engine);
  let syslog: SyslogServer | undefined;
  let follower: Follower | undefined;
  try {
    if (c.syslog.udp || c.syslog.tcp || c.syslog.tls) syslog = await startSyslog(engine, syslogOptions(c));
    if (c.follow.length) follower = await startFollow(c.follow, engine, { get: (n) => store.getPosition(`follow:${n}`), set: (n, v) => store.setPosition(`follow:${n}`, v) }, { onDiagnostic: (d) => { engine.report(d); onDiagnostic?.(d); } });
  } catch (e) {
    await syslog?.close();
    await engine.close();
    await store.close();
    throw e;
  }
  const close = async () => {
    await follower?.close();
    await syslog?.close();
    await engine.close();
    await store.close();
  };
  return { engine, context, store, syslog, follower, close };
}

function syslogOptions(c: ServeConfig): Parameters<typeof startSyslog>[1] {
  const o: Parameters<typeof startSyslog>[1] = {};
  if (c.syslog.udp) o.udp = parseAddress(c.syslog.udp);
  if (c.syslog.tcp) o.tcp = parseAddress(c.syslog.tcp);
  if (c.syslog.tls) {
    const cert = c.syslog.cert ?? c.tls?.cert, key = c.syslog.key ?? c.tls?.key;
    if (!cert || !key) throw new Error('syslog.tls needs a certificate and key (syslog.cert/syslog.key or tls.cert/tls.key)');
    o.tls = { ...parseAddress(c.syslog.tls), cert: readFileSync(cert), key: readFileSync(key) };
  }
  return o;
}

/** The API's view of the engine. */
export function contextOf(engine: Engine): ServeContext {
  const store = engine.store;
  return {
    store,
    ingest: engine,
    parse: (body, name) => engine.parse(body, name),
    subscribe: (fn) => engine.subscribe(fn),
    tree: (id) => alertTree(store, id),
    rules: () => ruleInfos(engine.setup),
    testRule: (yaml, events) => testRule(yaml, events),
    reloadRules: () => engine.reloadRules(),
    retroHunt: (req) => retroHunt(engine, req),
    metrics: () => ({
      ...engine.counters, alertsStored: engine.alertsStored, queueDepth: engine.queueDepth, queueLimit: engine.config.limits.queueEvents,
      hosts: engine.hosts, evictions: engine.evictions, latency: engine.latency,
    }),
    ready: () => engine.ready(),
    health: () => ({ status: engine.ready() ? 'ok' : 'degraded', store: store.kind, uptimeS: Math.round((Date.now() - engine.started) / 1000), lagEvents: engine.queueDepth }),
  };
}

/** The name this node gives itself as a sender (file follow). */
export const nodeName = hostname();
