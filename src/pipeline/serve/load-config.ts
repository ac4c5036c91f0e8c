/**
 * Builds a ServeConfig from defaults, a YAML file, SHELLWATCH_* environment variables and flags (each
 * overriding the one before). Environment names are the keys' paths in upper snake case:
 * SHELLWATCH_LISTEN, SHELLWATCH_DATA, SHELLWATCH_STORE_URL, SHELLWATCH_LIMITS_BODY_BYTES,
 * SHELLWATCH_PIPELINE_REORDER_WINDOW_MS, SHELLWATCH_SYSLOG_TCP … Unknown keys are errors (a typo must
 * not silently leave a default in place).
 */
import { readFileSync } from 'node:fs';
import { parseYaml } from '../../core/index.js';
import { DEFAULT_CONFIG, parseAddress, type ServeConfig } from './config.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/** Every leaf key path of the default config (plus the optional ones), with its expected type. */
const LEAVES: Record<string, 'string' | 'number' | 'boolean' | 'list'> = {
  data: 'string', listen: 'string', 'tls.cert': 'string', 'tls.key': 'string',
  'store.kind': 'string', 'store.url': 'string', 'store.schema': 'string',
  'syslog.udp': 'string', 'syslog.tcp': 'string', 'syslog.tls': 'string', 'syslog.cert': 'string', 'syslog.key': 'string',
  follow: 'list', 'rules.paths': 'list', 'rules.statuses': 'list', 'rules.builtin': 'boolean', allowlist: 'list', groups: 'string',
  'limits.bodyBytes': 'number', 'limits.ratePerMinute': 'number', 'limits.queueEvents': 'number',
  'pipeline.reorderWindowMs': 'number', 'pipeline.idleFlushMs': 'number', 'pipeline.maxSkewMs': 'number', 'pipeline.maxHosts': 'number', 'pipeline.snapshotEvery': 'number',
  retentionDays: 'number',
};

const envName = (path: string) => `SHELLWATCH_${path.replace(/\./g, '_').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;

function coerce(path: string, v: unknown, from: string): unknown {
  const t = LEAVES[path];
  if (!t) throw new Error(`${from}: unknown setting ${JSON.stringify(path)}`);
  if (t === 'list') return Array.isArray(v) ? v.map(String) : String(v).split(',').map((s) => s.trim()).filter(Boolean);
  if (t === 'number') {
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isFinite(n) || n < 0) throw new Error(`${from}: ${path} must be a non-negative number, not ${JSON.stringify(v)}`);
    return n;
  }
  if (t === 'boolean') {
    if (typeof v === 'boolean') return v;
    if (/^(true|1|yes)$/i.test(String(v))) return true;
    if (/^(false|0|no)$/i.test(String(v))) return false;
    throw new Error(`${from}: ${path} must be true or false`);
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`${from}: ${path} must be a string`);
  return String(v);
}

function set(into: Obj, path: string, v: unknown): void {
  const parts = path.split('.');
  let o = into;
  for (const p of parts.slice(0, -1)) {
    if (!isObj(o[p])) o[p] = {};
    o = o[p] as Obj;
  }
  o[parts[parts.length - 1]] = v;
}

function flatten(o: Obj, prefix = ''): [string, unknown][] {
  return Object.entries(o).flatMap(([k, v]) => (isObj(v) && !LEAVES[prefix + k] ? flatten(v, `${prefix}${k}.`) : [[prefix + k, v] as [string, unknown]]));
}

/**
 * The configuration: `file` (YAML) if given, then the environment, then `flags` (dotted key paths, as
 * the CLI maps them). Throws an Error naming the setting on anything invalid.
 */
export function loadServeConfig(file: string | undefined, flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): ServeConfig {
  const c = structuredClone(DEFAULT_CONFIG) as unknown as Obj;
  if (file) {
    const doc = parseYaml(readFileSync(file, 'utf8'));
    if (doc !== null && doc !== undefined && !isObj(doc)) throw new Error(`${file}: expected a map of settings`);
    for (const [k, v] of flatten((doc ?? {}) as Obj)) set(c, k, coerce(k, v, file));
  }
  for (const k of Object.keys(LEAVES)) {
    const v = env[envName(k)];
    if (v !== undefined && v !== '') set(c, k, coerce(k, v, envName(k)));
  }
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) set(c, k, coerce(k, v, `--${k}`));
  return validate(c as unknown as ServeConfig);
}

function validate(c: ServeConfig): ServeConfig {
  parseAddress(c.listen);
  for (const k of ['udp', 'tcp', 'tls'] as const) if (c.syslog[k]) parseAddress(c.syslog[k]!);
  const store = c.store as { kind: string; url?: string };
  if (store.kind !== 'sqlite' && store.kind !== 'postgres') throw new Error(`store.kind must be sqlite or postgres, not ${JSON.stringify(store.kind)}`);
  if (store.kind === 'postgres' && !store.url) throw new Error('store.kind postgres needs store.url');
  if (store.kind === 'sqlite' && store.url) c.store = { kind: 'postgres', url: store.url };
  if (c.tls && (!c.tls.cert || !c.tls.key)) throw new Error('tls needs both tls.cert and tls.key');
  if (c.limits.bodyBytes < 1024) throw new Error('limits.bodyBytes must be at least 1024');
  if (c.limits.queueEvents < 1) throw new Error('limits.queueEvents must be at least 1');
  return c;
}
