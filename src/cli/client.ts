/**
 * Client commands of a running server: `replay` (send files' records to it, paced, retried until each
 * batch is acknowledged) and `alerts` (list them, or follow the live stream).
 */
import { Command, Option } from 'commander';
import { formatDiagnostic, LEVELS, type Alert } from '../core/index.js';
import { terminalSafe } from './output/sanitize.js';
import { clientToken } from './serve.js';

const DEFAULT_URL = 'http://127.0.0.1:8844';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ReplayCli { to: string; token?: string; data?: string; rate?: string; batch: string; retryFor: string; quiet?: boolean }

/** POSTs one batch until the server acknowledges it (2xx) or `retryForMs` passes; 429/5xx/no connection are retried. */
async function send(url: string, token: string | undefined, body: string, retryForMs: number): Promise<{ accepted: number; duplicates: number }> {
  const deadline = Date.now() + retryForMs;
  let wait = 100;
  for (;;) {
    let retryAfter = 0;
    try {
      const r = await fetch(`${url}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
      const text = await r.text();
      if (r.ok) return JSON.parse(text) as { accepted: number; duplicates: number };
      if (r.status !== 429 && r.status < 500) throw Object.assign(new Error(`server answered ${r.status}: ${text.slice(0, 500)}`), { fatal: true });
      retryAfter = Number(r.headers.get('retry-after')) * 1000 || 0;
    } catch (e) {
      if ((e as { fatal?: boolean }).fatal) throw e;
    }
    if (Date.now() > deadline) throw new Error(`no acknowledgement from ${url} within ${retryForMs / 1000} s`);
    await sleep(Math.max(retryAfter, wait));
    wait = Math.min(wait * 2, 2000);
  }
}

async function runReplay(paths: string[], o: ReplayCli): Promise<void> {
  const { recordBatches, recordLine } = await import('../pipeline/replay.js');
  const token = clientToken(o.token, o.data);
  const url = o.to.replace(/\/+$/, '');
  const batchMax = Math.max(1, Number(o.batch) || 500);
  const rate = o.rate ? Number(o.rate) : 0;
  const t0 = Date.now();
  let sent = 0, duplicates = 0;
  let lines: string[] = [];
  const flush = async () => {
    if (!lines.length) return;
    const r = await send(url, token, lines.join('\n') + '\n', Number(o.retryFor) * 1000);
    sent += r.accepted;
    duplicates += r.duplicates;
    lines = [];
    // pace: never ahead of `rate` records per second since the start
    if (rate > 0) { const due = t0 + (sent / rate) * 1000; if (due > Date.now()) await sleep(due - Date.now()); }
  };
  for await (const { records, diagnostics } of recordBatches(paths)) {
    if (!o.quiet) for (const d of diagnostics) if (d.severity !== 'info') process.stderr.write(terminalSafe(formatDiagnostic(d)) + '\n');
    for (const r of records) {
      lines.push(recordLine(r));
      if (lines.length >= (rate > 0 ? Math.min(batchMax, Math.max(1, Math.ceil(rate / 20))) : batchMax)) await flush();
    }
  }
  await flush();
  if (!o.quiet) process.stderr.write(`replayed ${sent} records (${duplicates} already stored) to ${url} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

interface AlertsCli { server: string; token?: string; data?: string; follow?: boolean; format: string; limit: string; host?: string; rule?: string; level?: string; status?: string; from?: string; to?: string; q?: string }

function printAlert(item: { alert?: Alert; status?: string } & Partial<Alert>, format: string): void {
  const a = (item.alert ?? item) as Alert;
  if (format === 'jsonl') { process.stdout.write(JSON.stringify(item) + '\n'); return; }
  const cmd = a.process?.commandLine ?? '';
  process.stdout.write(terminalSafe(`${a.time}  ${a.rule.level.padEnd(8)} ${a.rule.title}  ${a.host}  ${item.status ?? ''}  ${cmd.length > 120 ? cmd.slice(0, 117) + '…' : cmd}`) + '\n');
}

async function runAlerts(o: AlertsCli): Promise<void> {
  const token = clientToken(o.token, o.data);
  const base = o.server.replace(/\/+$/, '');
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (o.follow) return followAlerts(base, headers, o.format);
  const q = new URLSearchParams();
  for (const k of ['host', 'rule', 'level', 'status', 'from', 'to', 'q'] as const) if (o[k]) q.set(k, o[k]!);
  let left = Number(o.limit) || 100;
  let cursor: string | null = null;
  do {
    q.set('limit', String(Math.min(left, 1000)));
    if (cursor) q.set('cursor', cursor);
    const r = await fetch(`${base}/api/v1/alerts?${q}`, { headers });
    const body = await r.json() as { items: (Alert & { alert?: Alert })[]; next: string | null; error?: { code: string; message: string } };
    if (!r.ok) throw new Error(`server answered ${r.status}: ${body.error?.code ?? ''} ${body.error?.message ?? ''}`);
    for (const it of body.items) printAlert(it, o.format);
    left -= body.items.length;
    cursor = body.next;
  } while (cursor && left > 0);
}

/** Reads the server-sent event stream and prints each alert as it comes. */
async function followAlerts(base: string, headers: Record<string, string>, format: string): Promise<void> {
  const r = await fetch(`${base}/api/v1/alerts/stream`, { headers: { ...headers, accept: 'text/event-stream' } });
  if (!r.ok || !r.body) throw new Error(`server answered ${r.status}`);
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) printAlert(JSON.parse(data), format);
    }
  }
}

export function addClientCommands(p: Command): void {
  p.command('replay')
    .description('Send the records of files or folders to a running server (paced with --rate), retrying until each batch is acknowledged.')
    .argument('<paths...>', 'files or folders to read')
    .option('--to <url>', 'the server', DEFAULT_URL)
    .option('--token <token>', 'an ingest token (default: $SHELLWATCH_TOKEN, or the admin token in --data)')
    .option('--data <dir>', 'a local server\'s data folder, for its admin token', './shellwatch-data')
    .option('--rate <n>', 'records per second (default: as fast as the server takes them)')
    .option('--batch <n>', 'records per request', '500')
    .option('--retry-for <s>', 'give up on a batch not acknowledged within this many seconds', '120')
    .option('-q, --quiet', 'no diagnostics or summary on stderr')
    .action((paths: string[], o: ReplayCli) => runReplay(paths, o));
  p.command('alerts')
    .description('List the alerts a server has stored (newest first), or follow new ones live.')
    .option('--server <url>', 'the server', DEFAULT_URL)
    .option('--token <token>', 'a viewer token (default: $SHELLWATCH_TOKEN, or the admin token in --data)')
    .option('--data <dir>', 'a local server\'s data folder, for its admin token', './shellwatch-data')
    .option('--follow', 'print new alerts as they are stored')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'jsonl']).default('table'))
    .option('--limit <n>', 'most alerts to list', '100')
    .option('--host <host>').option('--rule <id>').addOption(new Option('--level <level>', 'lowest level').choices([...LEVELS]))
    .option('--status <list>', 'comma-separated statuses').option('--from <time>').option('--to <time>').option('-q <text>', 'command-line text')
    .action((o: AlertsCli) => runAlerts(o));
}
