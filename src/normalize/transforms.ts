import { isIP } from 'node:net';
import { parseTime } from '../core/index.js';
/**
 * Named value transforms a mapping file may use (`Field | name` or `as: name`). A transform gets the
 * raw value and returns the normalized one, or undefined when the value means "absent".
 * To add one: a function here and its name in the registry below; mapping files can then use it.
 */
export interface TransformArgs {
  /** the mapping's `domain` field value matching the chosen alternative (for `account`) */
  domain?: unknown;
}
export type Transform = (v: unknown, args: TransformArgs) => unknown;

const absent = (v: unknown): boolean => v == null || v === '' || v === '-';

function int(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^0x[0-9a-f]{1,16}$/i.test(s)) return parseInt(s, 16);
  if (/^-?\d{1,16}$/.test(s)) return parseInt(s, 10);
  return undefined;
}


const INTEGRITY: Record<string, string> = {
  'S-1-16-0': 'Untrusted', 'S-1-16-4096': 'Low', 'S-1-16-8192': 'Medium', 'S-1-16-8448': 'Medium Plus',
  'S-1-16-12288': 'High', 'S-1-16-16384': 'System', 'S-1-16-20480': 'Protected Process',
};

const XML_ENT: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const unxml = (s: string) => s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => XML_ENT[e]);

/** Scheduled-task XML: the Exec actions' Command and Arguments, one command line per action. */
function taskCommand(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length > 1 << 20) return undefined;
  const out: string[] = [];
  for (const m of v.matchAll(/<Exec>([\s\S]{0,65536}?)<\/Exec>/g)) {
    const cmd = /<Command>([\s\S]*?)<\/Command>/.exec(m[1])?.[1];
    const args = /<Arguments>([\s\S]*?)<\/Arguments>/.exec(m[1])?.[1];
    if (cmd) out.push(unxml(cmd.trim()) + (args ? ' ' + unxml(args.trim()) : ''));
  }
  return out.length ? out.join('\n') : undefined;
}

/** A `Key = value` line of PowerShell's ContextInfo block (4103). */
function contextLine(key: string): Transform {
  const re = new RegExp(`^\\s*${key}\\s*=\\s*(.*)$`, 'm');
  return (v) => (typeof v === 'string' ? re.exec(v)?.[1]?.trim() || undefined : undefined);
}

/** A literal IPv4/IPv6 address, else absent (auditd writes `?` for local logins). */
function ipAddress(v: unknown): string | undefined {
  return typeof v === 'string' && isIP(v.trim().replace(/^\[|\]$/g, '')) ? v.trim() : undefined;
}

export const TRANSFORMS: Record<string, Transform> = {
  ipAddress,
  /** `/dev/pts/1` → `pts1`, the form auditd's tty= field uses */
  devTerminal: (v) => (typeof v !== 'string' || /^(\?|\(none\)|)$/.test(v.trim()) ? undefined : v.trim().replace(/^\/dev\//, '').replace(/\//g, '')),
  /** a login's session kind from the program that made it (auditd USER_LOGIN exe) */
  loginKind: (v) => (typeof v !== 'string' ? undefined : /sshd$/.test(v) ? 'ssh' : /(login|gdm|lightdm|sddm)$/.test(v) ? 'console' : undefined),
  int,
  time: parseTime,
  nonDash: (v) => (absent(v) ? undefined : v),
  bool: (v) => (typeof v === 'boolean' ? v : typeof v === 'string' ? /^(true|1|yes)$/i.test(v.trim()) : undefined),
  yesno: (v) => (v === '%%1842' || /^yes$/i.test(String(v)) ? true : v === '%%1843' || /^no$/i.test(String(v)) ? false : undefined),
  outbound: (v) => (typeof v === 'string' ? /^(outbound|egress)$/i.test(v) || (/^(inbound|ingress)$/i.test(v) ? false : undefined) : undefined),
  integrity: (v) => (typeof v === 'string' ? (INTEGRITY[v.toUpperCase()] ?? v) : undefined),
  logonId: (v) => (typeof v === 'string' && !/^(0x0|0|-)?$/i.test(v.trim()) ? v.trim().toLowerCase() : undefined),
  account: (v, { domain }) => {
    if (absent(v) || typeof v !== 'string') return undefined;
    return typeof domain === 'string' && !absent(domain) ? `${domain}\\${v}` : v;
  },
  commandLine: (v) => (Array.isArray(v) ? v.map(String).join(' ') : absent(v) ? undefined : String(v)),
  taskCommand,
  /** Windows Filtering Platform direction: %%14593 outbound, %%14592 inbound */
  wfpDirection: (v) => (v === '%%14593' || v === 'Outbound' ? true : v === '%%14592' || v === 'Inbound' ? false : undefined),
  ipProtocol: (v) => ({ '6': 'tcp', '17': 'udp', '1': 'icmp' } as Record<string, string>)[String(v)] ?? String(v),
  psHostApplication: contextLine('Host ?Application'),
  psUser: contextLine('User'),
  psUserId: contextLine('UserId'),
  psPayloadCommand: (v) => (absent(v) ? undefined : String(v)),
};

// ---- Linux and network sources (auditd, osquery, Zeek, NetFlow) ----

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** argv → one command line, POSIX-shell quoted where a word needs it (`'it'\''s'`); strings pass through. */
function shellArgv(v: unknown): string | undefined {
  if (!Array.isArray(v)) return absent(v) ? undefined : String(v);
  if (!v.length) return undefined;
  return v.map((a) => {
    const s = String(a);
    return s === '' ? "''" : SHELL_SAFE.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
  }).join(' ');
}

/** Epoch seconds (or ms past 1e12), as a number or numeric text → ms. */
function epoch(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,13}(\.\d{1,9})?$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isFinite(n)) return typeof v === 'string' ? parseTime(v) : undefined;
  return Math.round(n > 1e12 ? n : n * 1000);
}

const PROTOCOLS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp', '132': 'sctp' };

Object.assign(TRANSFORMS, {
  shellArgv,
  epoch,
  /** auditd ids where 4294967295 (-1) means unset: auid, ses; enrichment writes `unset` */
  auditId: (v: unknown) => (absent(v) || /^(4294967295|-1|unset|\(none\))$/i.test(String(v).trim()) ? undefined : String(v).trim()),
  /** auditd tty: `(none)` and `?` mean no terminal */
  auditTty: (v: unknown) => (absent(v) || /^(\(none\)|\?)$/.test(String(v).trim()) ? undefined : String(v).trim()),
  /** seconds (Zeek interval, flow duration) → whole ms */
  secondsMs: (v: unknown) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,12}(\.\d{1,9})?$/.test(v.trim()) ? Number(v) : NaN;
    return Number.isFinite(n) ? Math.round(n * 1000) : undefined;
  },
  /** IP protocol number or name → lower-case name */
  protoName: (v: unknown) => (absent(v) ? undefined : (PROTOCOLS[String(v).trim()] ?? String(v).trim().toLowerCase())),
  /** constants for fields a record implies by its kind: true/false/`network`/`endpoint` when the field is present */
  flagTrue: () => true,
  flagFalse: () => false,
  observerNetwork: () => 'network',
  observerEndpoint: () => 'endpoint',
} satisfies Record<string, Transform>);
