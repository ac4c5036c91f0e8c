/**
 * Reverse- and bind-shell idioms: /dev/tcp redirections wired to a shell, netcat -e/-c, socat
 * exec:/system:, mkfifo relays, telnet pipes, and the python/perl/ruby/php/node/lua/PowerShell
 * socket one-liners. Each hit names the idiom, a sample and, where readable, the remote endpoint.
 */
import { INTERPRETERS, isShellName, nameOf, SHELLS } from './names.js';
import type { Analysis, Step } from './script.js';

export interface ReverseHit { idiom: string; sample: string; endpoint?: string }

const NETCATS = new Set(['nc', 'ncat', 'netcat', 'nc.traditional', 'nc.openbsd', 'nc64', 'pwncat']);
const RELAYS = new Set([...NETCATS, 'telnet', 'openssl', 'socat', 'cryptcat', 'sbd']);
const DEV_NET = /\/dev\/(?:tcp|udp)\/([^\s/]{1,255})\/(\d{1,5})/;
const REDIR_NET = /^(?:\d?[<>]{1,2}&?|&>{1,2})?\/dev\/(?:tcp|udp)\//;
const clip = (s: string): string => s.slice(0, 160);

/** Code idioms: every listed pattern must appear in the same text. */
const CODE_IDIOMS: { idiom: string; all: RegExp[]; endpoint?: RegExp }[] = [
  { idiom: 'python-socket-shell', all: [/\bsocket\b/, /\.connect\s*\(/, /dup2|pty\.spawn|subprocess|\/bin\/(?:ba)?sh|os\.system/], endpoint: /connect\s*\(\s*\(\s*["']([^"']{1,255})["']\s*,\s*(\d{1,5})/ },
  { idiom: 'perl-socket-shell', all: [/\bsocket\s*\(|IO::Socket/i, /\bexec\b|\bsystem\b|open\s*\(\s*STDIN/, /\/bin\/|cmd\.exe|STDIN/i], endpoint: /inet_aton\s*\(\s*["']([^"']{1,255})["']\)|PeerAddr\s*=>\s*["']([^"']{1,255})/ },
  { idiom: 'ruby-socket-shell', all: [/TCPSocket/, /\bexec\b|\bspawn\b|popen|\bsystem\b/], endpoint: /TCPSocket\.(?:new|open)\s*\(\s*["']([^"']{1,255})["']\s*,\s*(\d{1,5})/ },
  { idiom: 'php-socket-shell', all: [/fsockopen|stream_socket_client/i, /\bexec\b|shell_exec|\bsystem\b|passthru|popen|proc_open/i], endpoint: /fsockopen\s*\(\s*["']([^"']{1,255})["']\s*,\s*(\d{1,5})/i },
  { idiom: 'node-socket-shell', all: [/require\s*\(\s*["']net["']\s*\)|net\.Socket/, /child_process/] },
  { idiom: 'lua-socket-shell', all: [/socket\.tcp|require\s*\(\s*["']socket["']\s*\)/, /io\.popen|os\.execute/] },
  { idiom: 'powershell-tcpclient-shell', all: [/Sockets\.TCPClient/i, /GetStream/i], endpoint: /TCPClient\s*\(\s*["']([^"']{1,255})["']\s*,\s*(\d{1,5})/i },
  { idiom: 'powercat', all: [/\bpowercat\b/i, /\s-(?:e|ep|rep)\b/i], endpoint: /\s-c\s+["']?([^\s"']{1,255})["']?\s+-p\s+(\d{1,5})/i },
  { idiom: 'python-pty-upgrade', all: [/\bpty\.spawn\s*\(\s*["'][^"']{0,40}\b(?:ba|z|k|da)?sh["']/] },
  { idiom: 'nishang-invoke-powershelltcp', all: [/Invoke-PowerShellTcp|Invoke-PowerShellUdp|Invoke-ConPtyShell/i] },
];

/** True when every pattern matches `text` (a loop: no closure per idiom and text). */
function allMatch(patterns: RegExp[], text: string): boolean {
  for (const re of patterns) if (!re.test(text)) return false;
  return true;
}

/** True when some word of some step names a /dev/tcp or /dev/udp socket. */
function mentionsDevNet(steps: Step[]): boolean {
  for (const s of steps) for (const w of s.words) if (DEV_NET.test(w)) return true;
  return false;
}

function devTcpHit(steps: Step[]): ReverseHit | null {
  if (!mentionsDevNet(steps)) return null;
  const words = (s: Step): string[] => s.words;
  for (const s of steps) {
    const n = s.cmd?.name ?? '';
    const isShell = SHELLS.has(n) || n.startsWith('$') || n === 'exec';
    // a redirection word (>&/dev/tcp/…, 0<&5), not a -c script that merely mentions /dev/tcp
    const wired = words(s).some((w) => REDIR_NET.test(w) || /^[0-2]?[<>]&\d+$|^[<>]&$|^&>$/.test(w));
    if (!isShell || !wired || (n === 'exec' && !words(s).some((w) => /^[0-2]?[<>]&|^[<>]&$/.test(w)))) continue;
    const all = steps.map((x) => x.raw).join(' ');
    const m = DEV_NET.exec(all);
    return { idiom: '/dev/tcp-shell', sample: clip(s.raw), endpoint: m ? `${m[1]}:${m[2]}` : undefined };
  }
  return null;
}

function netcatHit(s: Step): ReverseHit | null {
  const c = s.cmd!;
  const k = c.args.findIndex((x) => /^-[a-zA-Z]*[ec]$|^--(?:exec|sh-exec|lua-exec)(?:=|$)/.test(x));
  if (k < 0 || (c.name === 'nc.openbsd')) return null;
  // -e/-c must hand the socket to a shell or interpreter (nc -c 'echo HTTP/1.1 200' is a toy web server)
  const prog = (c.args[k].includes('=') ? c.args[k].split('=')[1] : c.args[k + 1]) ?? '';
  const pn = nameOf(prog.trim().split(/\s+/)[0] ?? '');
  if (!isShellName(pn) && !INTERPRETERS.has(pn)) return null;
  const hosts = c.args.filter((x, i) => i !== k + 1 && !x.startsWith('-'));
  return { idiom: `${c.name} ${c.args[k]}`, sample: clip(s.raw), endpoint: hosts.length >= 2 ? `${hosts[hosts.length - 2]}:${hosts[hosts.length - 1]}` : hosts[0] };
}

function socatHit(s: Step): ReverseHit | null {
  const args = s.cmd!.args;
  const exec = args.some((x) => /^(?:exec|system):/i.test(x));
  const net = args.find((x) => /^(?:tcp|tcp4|tcp6|udp|openssl|ssl|sctp)[-:]/i.test(x));
  if (!exec || !net) return null;
  return { idiom: 'socat exec', sample: clip(s.raw), endpoint: net.replace(/^[^:]*:/, '').replace(/,.*$/, '') };
}

function fifoHit(steps: Step[]): ReverseHit | null {
  const fifo = steps.find((s) => s.cmd?.name === 'mkfifo' || (s.cmd?.name === 'mknod' && s.cmd.args.includes('p')));
  if (!fifo) return null;
  const relay = steps.find((s) => RELAYS.has(s.cmd?.name ?? ''));
  const shell = steps.find((s) => !s.top && SHELLS.has(s.cmd?.name ?? ''));
  if (!relay || !shell) return null;
  const hosts = relay.cmd!.args.filter((x) => !x.startsWith('-') && !x.startsWith('/') && !x.startsWith('>') && !x.startsWith('<'));
  return { idiom: `mkfifo + ${relay.cmd!.name} + ${shell.cmd!.name}`, sample: clip(fifo.raw + ' … ' + relay.raw), endpoint: hosts.slice(-2).join(':') || undefined };
}

function telnetPipeHit(steps: Step[]): ReverseHit | null {
  for (let i = 1; i + 1 < steps.length; i++) {
    const a = steps[i - 1], b = steps[i], c = steps[i + 1];
    if (a.cmd?.name === 'telnet' && b.op === '|' && SHELLS.has(b.cmd?.name ?? '') && c.op === '|' && c.cmd?.name === 'telnet') {
      return { idiom: 'telnet | sh | telnet', sample: clip(`${a.raw} | ${b.raw} | ${c.raw}`), endpoint: a.cmd.args.slice(0, 2).join(':') };
    }
  }
  return null;
}

function codeHit(text: string): ReverseHit | null {
  for (const c of CODE_IDIOMS) {
    if (!allMatch(c.all, text)) continue;
    const m = c.endpoint?.exec(text);
    const host = m ? (m[1] ?? m[2]) : undefined;
    return { idiom: c.idiom, sample: clip(c.all[0].exec(text)?.[0] ?? ''), endpoint: host ? (m?.[2] && m[1] ? `${m[1]}:${m[2]}` : host) : undefined };
  }
  return null;
}

/** The first reverse-shell idiom the process's command line, scripts or decoded layers show. */
export function reverseShellHit(a: Analysis): ReverseHit | null {
  for (const s of a.steps) {
    const n = s.cmd?.name ?? '';
    if (NETCATS.has(n)) { const h = netcatHit(s); if (h) return h; }
    if (n === 'socat') { const h = socatHit(s); if (h) return h; }
  }
  const h = devTcpHit(a.steps) ?? fifoHit(a.steps) ?? telnetPipeHit(a.steps);
  if (h) return h;
  let c = codeHit(a.commandLine.slice(0, 64 * 1024));
  for (let i = 0; !c && i < a.scripts.length; i++) c = codeHit(a.scripts[i].text.slice(0, 64 * 1024));
  for (let i = 0; !c && i < a.decoded.length; i++) c = codeHit(a.decoded[i].text.slice(0, 64 * 1024));
  return c;
}
