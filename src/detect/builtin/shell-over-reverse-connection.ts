/**
 * shell-over-reverse-connection: reverse/bind shell idioms on the command line or in PowerShell
 * script blocks (/dev/tcp wired to a shell, nc -e, socat exec:, mkfifo relays, interpreter socket
 * one-liners, TCPClient/powercat, and such command lines quoted in a script), and network connections:
 * a shell connecting out, a shell or script host accepting a connection (bind shell), an encoded
 * PowerShell stager's channel, a script host holding a raw-port connection.
 */
import type { DetectorInfo, Finding, NetworkEvent, ShellEvent } from '../../core/index.js';
import { excerpt, type DetectFn } from './lib/define.js';
import { FlowScorer } from './lib/flows.js';
import type { Stateful } from './lib/define.js';
import { chainOf, label } from './lib/lineage.js';
import { INTERPRETERS, POWERSHELL, SCRIPT_HOSTS, SHELLS, isShellLike, procName } from './lib/names.js';
import { isLocalAddress } from './lib/net.js';
import { reverseShellHit } from './lib/revshell.js';
import { analyze } from './lib/script.js';
import { embeddedCommands, scriptSubjectOf } from './lib/scriptblock.js';
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

/** Ports whose traffic a script host or PowerShell makes in ordinary work (web, DNS, AD, SMB, RPC). */
const ORDINARY_PORTS = new Set([53, 80, 88, 135, 139, 389, 443, 445, 636, 3268, 3269, 5985, 5986]);

/**
 * A detector instance with its own state for the network-only views (beaconing, long sessions): one per
 * hunt. Sensor records joined to an endpoint's process also get the process-based checks.
 */
export function create(): DetectFn & Stateful {
  const flows = new FlowScorer();
  const fn = (ev: ShellEvent) => {
    if (ev.kind !== 'network' || ev.observer !== 'network') return detect(ev);
    const joined = ev.process.image || ev.process.pid !== undefined ? detect(ev) : [];
    return [...joined, ...flows.observe(ev)];
  };
  return Object.assign(fn, { snapshot: () => flows.snapshot(), restore: (s: unknown) => flows.restore(s as Parameters<FlowScorer['restore']>[0]) });
}

export function detect(ev: ShellEvent): Finding[] {
  if (ev.kind === 'network') return network(ev);
  if (ev.kind === 'script_block') return scriptBlock(ev);
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

/** Socket idioms in script text, and netcat-style command lines written into it (service values, Start-Process). */
function scriptBlock(ev: ShellEvent): Finding[] {
  const sub = scriptSubjectOf(ev);
  if (!sub) return [];
  const a = sub.analysis;
  const hit = reverseShellHit(a) ?? embeddedCommands(a).map(reverseShellHit).find(Boolean);
  if (!hit) return [];
  return [{
    reason: `reverse shell idiom ${hit.idiom} in ${sub.what}${hit.endpoint ? ` to ${hit.endpoint}` : ''}: ${excerpt(hit.sample, 160)}`,
    evidence: { idiom: hit.idiom, sample: hit.sample, remote: hit.endpoint, script: excerpt(a.commandLine, 1000) },
    decoded: a.decoded,
  }];
}

/** A shell, script host or netcat-style tool that accepted a connection: something listens for a shell. */
function inbound(ev: NetworkEvent): Finding[] {
  const n = procName(ev.process);
  if (!PURE_SHELLS.has(n) && !POWERSHELL.has(n) && !SCRIPT_HOSTS.has(n) && !NET_TOOLS.has(n)) return [];
  // Sysmon names either side "source" for accepted connections: both must not be this host's loopback
  if (isLocalAddress(ev.srcIp) && isLocalAddress(ev.dstIp)) return [];
  const a = `${ev.srcIp ?? '?'}:${ev.srcPort ?? '?'}`;
  const b = `${ev.dstIp ?? '?'}:${ev.dstPort ?? '?'}`;
  return [{
    level: PURE_SHELLS.has(n) ? 'critical' : 'high',
    reason: `${label(ev.process)} accepted an inbound connection (${a} ↔ ${b}): a shell or script host listening on a socket is a bind shell`,
    evidence: { kind: 'shell-listener', process: label(ev.process), local: a, remote: b, commandLine: excerpt(ev.process?.commandLine, 1000) },
  }];
}

function network(ev: NetworkEvent): Finding[] {
  if (ev.initiated === false) return inbound(ev);
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
  const stager = encodedStager(ev);
  if (stager) return [{ reason: `${label(ev.process)} launched with ${stager} connected out to ${endpoint}: the channel of an encoded PowerShell stager`, evidence: { ...base, kind: 'encoded-stager', launcher: stager } }];
  if (SCRIPT_HOSTS.has(n) && ev.dstPort !== undefined && !ORDINARY_PORTS.has(ev.dstPort)) {
    return [{ level: 'medium', reason: `script host ${label(ev.process)} connected out to ${endpoint} (a script host holding a raw-port connection runs an implant, not a web request)`, evidence: { ...base, kind: 'script-host-socket' } }];
  }
  // netcat-style relays and script hosts on non-web ports, launched from a shell
  const fromShell = chainOf(ev).slice(0, 4).find((p) => isShellLike(p));
  const webPort = ev.dstPort === 80 || ev.dstPort === 443 || ev.dstPort === 53;
  if (fromShell && (NET_TOOLS.has(n) || ((POWERSHELL.has(n) || SCRIPT_HOSTS.has(n)) && !webPort))) {
    return [{ level: 'medium', reason: `${label(ev.process)} started from ${label(fromShell)} connected out to ${endpoint}`, evidence: { ...base, kind: 'relay-from-shell', shell: label(fromShell) } }];
  }
  return [];
}

/** The encoding switch of a PowerShell process connecting out (-enc in any spelling, base64 into a runner). */
function encodedStager(ev: NetworkEvent): string | null {
  if (!POWERSHELL.has(procName(ev.process)) || !ev.process?.commandLine) return null;
  const a = analyze(ev.process);
  return a.encodedSwitch ? `PowerShell ${a.encodedSwitch}` : null;
}
