/**
 * Task, service and cron creation from a command line: schtasks /create /tr, sc create|config
 * binPath=, Register-ScheduledTask / New-Service, crontab fed from a pipe, writes to cron files,
 * systemd-run and at. A creation counts when its action is a shell or carries suspicious content.
 */
import { isShellName, nameOf, INTERPRETERS } from './names.js';
import type { Analysis, Step } from './script.js';
import { winArgv } from './winargv.js';

export interface CreationHit { tool: string; kind: string; action: string }

const SUSPICIOUS: [RegExp, string][] = [
  [/\b(?:curl|wget|fetch)\b[^|;&\n]{0,200}\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b/i, 'download piped to a shell'],
  [/downloadstring|downloadfile|downloaddata|invoke-webrequest|\biwr\b|net\.webclient|bitsadmin\s|certutil[^\n]{0,40}urlcache|start-bitstransfer/i, 'download cradle'],
  [/\/dev\/(?:tcp|udp)\/|\bnc(?:at|64)?(?:\.exe)?\s(?:[^|;&\n]{0,120}\s)?-[ec]\s|\b(?:ba)?sh\s+-i\b|socket\.socket|TCPClient/i, 'reverse shell'],
  [/\s[-/\u2013\u2014\u2015]e(?:c|nc|ncodedcommand)?\s+[A-Za-z0-9+/=]{20,}|frombase64string|base64\s+(?:-d|--decode)/i, 'encoded payload'],
  [/(?:^|[\s"'=(])(?:\/tmp\/|\/dev\/shm\/|\/var\/tmp\/|~?\/\.[a-z0-9_-]+\/)|%temp%|%appdata%|\\temp\\|\\appdata\\|\\users\\public\\|\\perflogs\\/i, 'runs from a temporary, hidden or user-writable path'],
  [/\\\\\.\\pipe\\|\\\\127\.0\.0\.1\\(?:admin|[a-z])\$/i, 'output to a named pipe or admin share'],
  [/\bwhoami\b|\bnet1?(?:\.exe)?\s+(?:user|localgroup|group)\b|\bnltest\b/i, 'recon'],
  [/\s[-/]w(?:indowstyle)?\s+h(?:idden)?\b/i, 'hidden window'],
  [/\b(?:python[\d.]*|perl|ruby|php)\s+-[a-z]*[ce]\s/i, 'inline interpreter code'],
];

/** The first suspicious trait of a command (download, reverse shell, encoded, temp path …), or null. */
export function suspiciousContent(text: string): string | null {
  const t = text.slice(0, 8192);
  for (const [re, why] of SUSPICIOUS) if (re.test(t)) return why;
  return null;
}

/** True when an action command line runs a shell or interpreter. */
function shellAction(action: string): boolean {
  const first = winArgv(action.trim())[0] ?? '';
  const n = /%comspec%/i.test(first) ? 'cmd' : nameOf(first);
  return isShellName(n) || INTERPRETERS.has(n) || /^\s*(?:cmd|powershell|pwsh)(?:\.exe)?\s/i.test(action);
}

const opt = (args: string[], name: RegExp): string | undefined => {
  const k = args.findIndex((a) => name.test(a));
  if (k < 0) return undefined;
  const glued = args[k].replace(name, '');
  return glued || args[k + 1];
};

function schtasks(s: Step): CreationHit | null {
  const args = s.cmd!.args;
  if (!args.some((a) => /^[/-]create$/i.test(a))) return null;
  const tr = opt(args, /^[/-]tr$/i);
  return tr && (shellAction(tr) || suspiciousContent(tr)) ? { tool: 'schtasks', kind: 'scheduled task', action: tr } : null;
}

function sc(s: Step): CreationHit | null {
  const args = s.cmd!.args;
  if (!args.some((a) => /^(?:create|config)$/i.test(a))) return null;
  const bin = opt(args, /^binpath=/i);
  return bin && (shellAction(bin) || suspiciousContent(bin)) ? { tool: 'sc', kind: 'service', action: bin } : null;
}

/** The job lines a script feeds to crontab / at or writes into cron files (echo/printf arguments). */
function echoedJobs(a: Analysis): string[] {
  return a.steps.filter((s) => s.cmd?.name === 'echo' || s.cmd?.name === 'printf').map((s) => s.cmd!.args.filter((x) => !/^-[neE]+$/.test(x)).join(' '));
}

const CRON_PATH = /\/etc\/crontab|\/etc\/cron\.d\/|\/var\/spool\/cron/;
const WRITES = /[>]|\btee\b/;

function cron(a: Analysis, s: Step): CreationHit | null {
  const writesCron = s.words.some((w) => CRON_PATH.test(w)) && WRITES.test(s.raw);
  const feeds = s.cmd!.name === 'crontab' && (s.op === '|' || s.cmd!.args.includes('-') || s.cmd!.args.some((x) => !x.startsWith('-')));
  if (!writesCron && !feeds) return null;
  for (const job of echoedJobs(a)) {
    const sus = suspiciousContent(job);
    if (sus || /(?:^|\s)(?:\/bin\/)?(?:ba|z|da|k)?sh\s+-c\s/.test(job)) return { tool: s.cmd!.name, kind: `cron job${sus ? ` (${sus})` : ''}`, action: job };
  }
  return null;
}

function systemdRun(s: Step): CreationHit | null {
  const args = s.cmd!.args;
  const k = args.findIndex((x) => !x.startsWith('-') && (isShellName(nameOf(x)) || INTERPRETERS.has(nameOf(x))));
  return k >= 0 ? { tool: 'systemd-run', kind: 'transient systemd unit', action: args.slice(k).join(' ') } : null;
}

function atJob(a: Analysis, s: Step): CreationHit | null {
  const args = s.cmd!.args;
  if (!args.length || args.some((x) => /^-[lrdc]$/.test(x))) return null;
  const win = args.findIndex((x) => isShellName(nameOf(x)));
  if (win >= 0) return { tool: 'at', kind: 'at job', action: args.slice(win).join(' ') };
  if (s.op !== '|') return null;
  const job = echoedJobs(a).find(Boolean);
  return job ? { tool: 'at', kind: 'at job (run by /bin/sh)', action: job } : null;
}

/** `sc failure <svc> command= <cmd>`: the service's FailureCommand runs when it crashes. */
function scFailure(s: Step): CreationHit | null {
  const args = s.cmd!.args;
  if (args[0]?.toLowerCase() !== 'failure') return null;
  const cmd = opt(args, /^command=/i);
  return cmd && serviceAction(cmd) ? { tool: 'sc', kind: `service ${args[1] ?? ''} failure command`.replace(/\s+/g, ' '), action: cmd } : null;
}

/** `reg add HKLM\…\Services\<svc> /v ImagePath|FailureCommand /d <cmd>`. */
function regService(s: Step): CreationHit | null {
  const args = s.cmd!.args;
  if (args[0]?.toLowerCase() !== 'add') return null;
  const svc = /\\services\\([^\\]{1,80})\\?$/i.exec(args[1] ?? '')?.[1];
  const value = opt(args, /^[/-]v$/i);
  const data = opt(args, /^[/-]d$/i);
  if (!svc || !value || !/^(?:imagepath|failurecommand)$/i.test(value) || !data || !serviceAction(data)) return null;
  return { tool: 'reg', kind: `service ${svc} ${value}`, action: data };
}

/** A service value that runs a shell, or anything carrying suspicious content (nc -e, temp paths …). */
const serviceAction = (cmd: string): boolean => shellAction(cmd) || !!suspiciousContent(cmd);

/** Set-ItemProperty / New-ItemProperty on a service's ImagePath or FailureCommand, as script text or 4103 bindings. */
const PS_SERVICE_VALUE = [
  /(?:Set|New)-ItemProperty[^\n]{0,300}\\services\\([^\\\s"']{1,80})[^\n]{0,200}?-Name\s+["']?(ImagePath|FailureCommand)["']?[^\n]{0,100}?-Value\s+["']([^"'\n]{1,500})/i,
  /\\services\\([^\\"\n]{1,80})"[\s\S]{0,400}?name="Name"; value="(ImagePath|FailureCommand)"[\s\S]{0,400}?name="Value"; value="([^"\n]{1,500})"/i,
];

const PS_CREATE = /(?:New-ScheduledTaskAction|Register-ScheduledTask)[^\n|]{0,300}-Execute\s+["']?([^"'\s]{1,260})|New-Service[^\n|]{0,300}-BinaryPathName\s+["']([^"']{1,500})/i;

/** The first task/service/cron creation with a shell action in the analysed command line. */
export function creationHit(a: Analysis): CreationHit | null {
  for (const s of a.steps) {
    const n = s.cmd?.name;
    const hit = n === 'schtasks' ? schtasks(s) : n === 'sc' ? sc(s) ?? scFailure(s) : n === 'reg' ? regService(s) : n === 'systemd-run' ? systemdRun(s) : n === 'at' ? atJob(a, s) : s.cmd ? cron(a, s) : null;
    if (hit) return hit;
  }
  for (const sc of a.scripts) {
    if (sc.dialect !== 'powershell') continue;
    const m = PS_CREATE.exec(sc.text);
    if (m && shellAction(m[1] ?? m[2])) return { tool: 'powershell', kind: m[1] ? 'scheduled task' : 'service', action: m[1] ?? m[2] };
    for (const re of PS_SERVICE_VALUE) {
      const v = re.exec(sc.text.slice(0, 64 * 1024));
      if (v && serviceAction(v[3])) return { tool: 'powershell', kind: `service ${v[1]} ${v[2]}`, action: v[3] };
    }
  }
  return null;
}
