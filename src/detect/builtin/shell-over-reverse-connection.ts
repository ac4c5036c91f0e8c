/**
 * shell-over-reverse-connection: reverse/bind shell idioms on the command line (/dev/tcp wired to a
 * shell, nc -e, socat exec:, mkfifo relays, interpreter socket one-liners, TCPClient/powercat), and
 * network connections made by a shell process itself to a remote address.
 */
import type { DetectorInfo, Finding, NetworkEvent, ShellEvent } from '../../core/index.js';
import { excerpt } from './lib/define.js';
import { chainOf, label } from './lib/lineage.js';
import { INTERPRETERS, POWERSHELL, SCRIPT_HOSTS, SHELLS, isShellLike, procName } from './lib/names.js';
import { isLocalAddress } from './lib/net.js';
import { reverseShellHit } from './lib/revshell.js';
import { analyze } from './lib/script.js';
import { subjectOf } from './lib/subject.js';

export const info: DetectorInfo = {
  id: 'shell-over-reverse-connection',
  title: 'Shell over Reverse Connection',
  level: 'high',
  techniques: ['T1059', 'T1059.004', 'T1059.001', 'T1071', 'T1095'],
  description: 'A shell is wired to a network socket (reverse or bind shell idioms), or a shell process itself connects to a remote address.',
};

const NET_TOOLS = new Set(['nc', 'ncat', 'netcat', 'nc.traditional', 'nc64', 'socat', 'telnet', 'pwncat', 'powercat']);
/** Plain shells never open sockets themselves; a connection from one is a /dev/tcp redirection. */
const PURE_SHELLS = new Set([...SHELLS].filter((s) => s !== 'busybox'));

export function detect(ev: ShellEvent): Finding[] {
  if (ev.kind === 'network') return network(ev);
  if (ev.kind !== 'process_start' && ev.kind !== 'task_created' && ev.kind !== 'service_created') return [];
  if (ev.kind === 'process_start') {
    const n = procName(ev.process);
    if (!isShellLike(ev.process) && !NET_TOOLS.has(n) && !INTERPRETERS.has(n)) return [];
  }
  const sub = subjectOf(ev);
  const hit = sub && reverseShellHit(sub.analysis);
  if (!sub || !hit) return [];
  return [{
    reason: `reverse shell idiom ${hit.idiom} in ${sub.what}${hit.endpoint ? ` to ${hit.endpoint}` : ''}: ${excerpt(hit.sample, 160)}`,
    evidence: { idiom: hit.idiom, sample: hit.sample, remote: hit.endpoint, commandLine: excerpt(sub.analysis.commandLine, 1000) },
    decoded: sub.analysis.decoded,
  }];
}

function network(ev: NetworkEvent): Finding[] {
  if (ev.initiated === false) return [];
  const remote = ev.dstIp ?? ev.dstHost;
  if (isLocalAddress(remote)) return [];
  const n = procName(ev.process);
  const endpoint = `${remote}${ev.dstPort !== undefined ? `:${ev.dstPort}` : ''}`;
  const base = { remote: endpoint, process: label(ev.process), commandLine: excerpt(ev.process?.commandLine, 1000) };
  if (PURE_SHELLS.has(n)) {
    return [{ level: 'critical', reason: `shell ${label(ev.process)} connected out to ${endpoint} (a shell has no sockets of its own: its I/O is redirected to the network)`, evidence: { ...base, kind: 'shell-socket' } }];
  }
  const idiom = ev.process?.commandLine ? reverseShellHit(analyze(ev.process)) : null;
  if (idiom) return [{ reason: `${label(ev.process)} running ${idiom.idiom} connected out to ${endpoint}`, evidence: { ...base, kind: 'idiom', idiom: idiom.idiom } }];
  // netcat-style relays and script hosts on non-web ports, launched from a shell
  const fromShell = chainOf(ev).slice(0, 4).find((p) => isShellLike(p));
  const webPort = ev.dstPort === 80 || ev.dstPort === 443 || ev.dstPort === 53;
  if (fromShell && (NET_TOOLS.has(n) || ((POWERSHELL.has(n) || SCRIPT_HOSTS.has(n)) && !webPort))) {
    return [{ level: 'medium', reason: `${label(ev.process)} started from ${label(fromShell)} connected out to ${endpoint}`, evidence: { ...base, kind: 'relay-from-shell', shell: label(fromShell) } }];
  }
  return [];
}
