/**
 * Host and user groups (rules/groups.example.yaml): a host group is a list of patterns over host
 * names, a user group a list of patterns over user names. A name belongs to every group with a
 * matching pattern; a host in no group belongs to `default`, a user in no group to none.
 * Baselines learn per group and allowlist entries are scoped by host group.
 */
import { readFileSync } from 'node:fs';
import { diag, type Diagnostic, parseYaml } from '../../core/index.js';
import { compilePattern, MAX_NAME, type NamePattern } from './patterns.js';

/** The host group of hosts no configured pattern matches. */
export const DEFAULT_HOST_GROUP = 'default';

/** Groups as configured: name → patterns (names sorted, patterns as written). */
export interface GroupsConfig {
  hostGroups: Record<string, string[]>;
  userGroups: Record<string, string[]>;
}

export interface GroupsLoad { groups: Groups; diagnostics: Diagnostic[] }

type Compiled = { name: string; match: NamePattern[] }[];
/** Memoised memberships per name; bounded so a flood of distinct names cannot grow it forever. */
const MEMO_MAX = 65_536;

/** Resolves host and user names to their groups. Immutable after construction. */
export class Groups {
  readonly config: GroupsConfig;
  private readonly hosts: Compiled;
  private readonly users: Compiled;
  private readonly hostMemo = new Map<string, readonly string[]>();
  private readonly userMemo = new Map<string, readonly string[]>();

  /** Patterns must already be valid (use parseGroups for configuration text). */
  constructor(config: GroupsConfig = { hostGroups: {}, userGroups: {} }) {
    this.config = { hostGroups: sortedGroups(config.hostGroups), userGroups: sortedGroups(config.userGroups) };
    this.hosts = compileAll(this.config.hostGroups);
    this.users = compileAll(this.config.userGroups);
  }

  /** The host groups of a host; `['default']` when no group claims it. */
  hostGroups(host: string): readonly string[] {
    return memo(this.hostMemo, host, () => {
      const gs = member(this.hosts, host);
      return gs.length ? gs : [DEFAULT_HOST_GROUP];
    });
  }

  /** The user groups of a user (possibly none). */
  userGroups(user: string | undefined): readonly string[] {
    if (!user) return [];
    return memo(this.userMemo, user, () => member(this.users, user));
  }
}

function memo(m: Map<string, readonly string[]>, key: string, f: () => readonly string[]): readonly string[] {
  const k = key.slice(0, MAX_NAME).toLowerCase();
  let v = m.get(k);
  if (v) return v;
  v = f();
  if (m.size >= MEMO_MAX) m.clear();
  m.set(k, v);
  return v;
}

const member = (groups: Compiled, name: string): string[] => groups.filter((g) => g.match.some((f) => f(name))).map((g) => g.name);

function sortedGroups(g: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.keys(g).sort().map((k) => [k, [...g[k]]]));
}

function compileAll(g: Record<string, string[]>): Compiled {
  return Object.entries(g).map(([name, pats]) => ({ name, match: pats.map((p) => compilePattern(p)).filter((f): f is NamePattern => typeof f === 'function') }));
}

/** Reads one `hostGroups:` or `userGroups:` section; invalid groups and patterns become diagnostics. */
function readSection(raw: unknown, what: string, file: string, diags: Diagnostic[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    diags.push(diag('SW4004', `groups configuration: ${what} must be a mapping of group name to patterns`, { file }));
    return out;
  }
  for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
    const list = Array.isArray(v) ? v : [v];
    const ok: string[] = [];
    for (const p of list) {
      const f = typeof p === 'string' && p ? compilePattern(p) : 'not a non-empty string';
      if (typeof f === 'string') diags.push(diag('SW4004', `groups configuration: ${what}.${name}: pattern ${JSON.stringify(p)} refused: ${f}`, { file }));
      else ok.push(p as string);
    }
    if (name === DEFAULT_HOST_GROUP && what === 'hostGroups') diags.push(diag('SW4004', `groups configuration: '${DEFAULT_HOST_GROUP}' is reserved for hosts in no group`, { file }));
    else out[name] = ok;
  }
  return out;
}

/** Parses groups configuration text (YAML); problems are collected, valid groups kept. */
export function parseGroups(text: string, file = '<groups>'): GroupsLoad {
  const diagnostics: Diagnostic[] = [];
  let doc: unknown;
  try { doc = parseYaml(text); } catch (e) {
    diagnostics.push(diag('SW4004', `groups configuration: not valid YAML: ${(e as Error).message}`, { file }));
    return { groups: new Groups(), diagnostics };
  }
  const d = (doc ?? {}) as Record<string, unknown>;
  if (d.version !== undefined && d.version !== 1) diagnostics.push(diag('SW4004', `groups configuration: unsupported version ${String(d.version)}`, { file }));
  const config = { hostGroups: readSection(d.hostGroups, 'hostGroups', file, diagnostics), userGroups: readSection(d.userGroups, 'userGroups', file, diagnostics) };
  return { groups: new Groups(config), diagnostics };
}

/** Reads a groups configuration file. */
export function loadGroups(path: string): GroupsLoad {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) {
    return { groups: new Groups(), diagnostics: [diag('SW4004', `groups configuration cannot be read: ${(e as Error).message}`, { file: path })] };
  }
  return parseGroups(text, path);
}
