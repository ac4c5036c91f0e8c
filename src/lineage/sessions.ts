/**
 * Logon sessions. Windows: 4624 logons keyed by logon id, joined to processes through the logon id
 * their start event carries (4688 Subject/TargetLogonId, Sysmon LogonId). Linux: auditd's ses and tty
 * on the process itself. Bounded per host, oldest evicted.
 */
import type { LogonEvent, ProcessInfo, Session } from '../core/index.js';

const LOGON_TYPES: Record<number, [string, boolean]> = {
  2: ['interactive', true], 3: ['network', false], 4: ['batch', false], 5: ['service', false], 7: ['unlock', true],
  8: ['network-cleartext', false], 9: ['new-credentials', false], 10: ['remote-interactive', true], 11: ['cached-interactive', true],
  12: ['cached-remote-interactive', true], 13: ['cached-unlock', true],
};
/** Logon ids Windows gives its own service accounts. */
const WELL_KNOWN: Record<string, string> = { '0x3e7': 'SYSTEM', '0x3e4': 'NETWORK SERVICE', '0x3e5': 'LOCAL SERVICE' };
const NO_SESSION = new Set(['4294967295', '-1', 'unset']);

export class SessionTable {
  private readonly hosts = new Map<string, Map<string, Session>>();
  constructor(private readonly maxPerHost = 100_000) {}

  /** Drops host `h`'s sessions. */
  forget(h: string): void {
    this.hosts.delete(h.toLowerCase());
  }

  /** Records a logon (or closes one on logoff). */
  logon(ev: LogonEvent): void {
    if (!ev.logonId) return;
    const key = ev.host.toLowerCase();
    let t = this.hosts.get(key);
    if (!t) { t = new Map(); this.hosts.set(key, t); }
    if (ev.kind === 'logoff') return; // kept: processes may outlive the logoff event in the log
    const [type, interactive] = ev.logonType !== undefined ? (LOGON_TYPES[ev.logonType] ?? [`type-${ev.logonType}`, false]) : [undefined, undefined];
    const s: Session = { id: ev.logonId };
    if (type) s.type = type;
    if (interactive !== undefined) s.interactive = interactive;
    if (ev.sessionType) {
      s.type = ev.sessionType;
      s.interactive = ev.sessionType === 'ssh' || ev.sessionType === 'console' ? true : s.interactive;
    }
    if (ev.terminal) s.terminal = ev.terminal;
    if (ev.sourceIp && !/^(::1|127\.0\.0\.1|-|::)$/.test(ev.sourceIp)) s.remoteAddress = ev.sourceIp;
    if (ev.targetUser) s.user = ev.targetUser;
    t.delete(ev.logonId);
    t.set(ev.logonId, s);
    if (t.size > this.maxPerHost) t.delete(t.keys().next().value as string);
  }

  /** The session a process runs in, where its event or a logon tells it. */
  sessionOf(host: string, p: ProcessInfo): Session | undefined {
    if (p.logonId) {
      const known = this.hosts.get(host.toLowerCase())?.get(p.logonId);
      if (known) return known;
      const account = WELL_KNOWN[p.logonId];
      if (account) return { id: p.logonId, type: 'service', interactive: false, user: account };
      return undefined;
    }
    if (p.sessionId && !NO_SESSION.has(p.sessionId)) {
      const tty = p.terminal && p.terminal !== '(none)' ? p.terminal : undefined;
      const known = this.hosts.get(host.toLowerCase())?.get(p.sessionId);
      const s: Session = { ...known, id: p.sessionId, interactive: Boolean(tty && /^(pts|tty|console)/.test(tty)) || Boolean(known?.interactive) };
      if (tty) s.terminal = tty;
      if (p.loginUser && !s.user) s.user = p.loginUser;
      return s;
    }
    return undefined;
  }
}
