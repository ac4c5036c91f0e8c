// `serve` end to end, as the README runs it: a real server process on the embedded store, the bundled
// samples (and a corpus folder) replayed into it, alerts listed through the API. hunt and serve run
// one pipeline: the server must raise exactly the alerts `hunt` raises over the same files.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Alert } from '../../src/core/index.js';
import { defaultDetectors, hunt } from '../../src/pipeline/index.js';
import { corpusPath, hasCorpus, projectRoot } from '../helpers/corpus.js';
import { allAlertIds, replay, sleep, startServe, until, type ServeProcess } from '../helpers/serve.js';

/** What identifies an alert whichever face raised it. */
const sig = (a: Alert) => `${a.rule.source}:${a.rule.id}|${a.host}|${a.time}|${a.process.pid}|${a.process.commandLine}|${a.event.record}`;

async function huntSigs(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  await hunt(paths, { detectors: defaultDetectors(), reorderWindowMs: 0 }, (a) => out.push(sig(a)));
  return out.sort();
}

async function serverSigs(s: ServeProcess): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: (Alert & { id: string })[]; next: string | null } = await s.api(`/api/v1/alerts?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items.map(sig));
    cursor = page.next;
  } while (cursor);
  return out.sort();
}

describe('serve end to end', () => {
  let dir: string;
  let s: ServeProcess;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sw-serve-'));
    s = await startServe(join(dir, 'data'));
  });
  after(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes an admin token on first start and answers health, readiness and metrics', async () => {
    assert.match(s.token, /^swt_/);
    const h = await s.api<{ status: string; store: string }>('/api/v1/health');
    assert.equal(h.store, 'sqlite');
    const m = await fetch(`${s.url}/metrics`, { headers: { authorization: `Bearer ${s.token}` } });
    assert.match(await m.text(), /^shellwatch_events_in_total \d+$/m);
  });

  it('raises over replayed samples exactly the alerts hunt raises over the files, and a second replay adds none', async () => {
    const samples = join(projectRoot, 'samples');
    const r = await replay([samples], s).done;
    assert.equal(r.code, 0, r.stderr);
    await until('alerts to be stored', async () => (await allAlertIds(s)).length >= 18);
    assert.deepEqual(await serverSigs(s), await huntSigs([samples]));
    const ids = await allAlertIds(s);
    const again = await replay([samples], s).done;
    assert.match(again.stderr, /\(21 already stored\)/);
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual(await allAlertIds(s), ids);
  });

  it('alert ids are stable: content-derived, the same on every server', async () => {
    const ids = await allAlertIds(s);
    assert.ok(ids.every((id) => /^[0-9a-f]{32}$/.test(id)));
    assert.equal(new Set(ids).size, ids.length);
  });

  it('the process tree of an alert comes from stored process nodes', async () => {
    const page = await s.api<{ items: (Alert & { id: string })[] }>('/api/v1/alerts?rule=unusual-shell-execution&limit=10');
    assert.ok(page.items.length);
    const tree = await s.api<{ node: { image: string } | null; ancestors: { image: string }[]; events: unknown[] }>(`/api/v1/alerts/${page.items[0].id}/tree`);
    assert.ok(tree.node, 'the alerting node is known');
    assert.ok(tree.ancestors.length >= 1, 'its parent is known');
    assert.ok(tree.events.length >= 1, 'with the events it was built from');
  });

  it('matches hunt on a corpus folder of real attack EVTX files', { skip: !hasCorpus && 'corpus not found' }, async () => {
    const folder = corpusPath('evtx-attack-samples', 'Execution');
    const before = (await allAlertIds(s)).length;
    const expected = await huntSigs([folder]);
    const r = await replay([folder], s).done;
    assert.equal(r.code, 0, r.stderr);
    await until('alerts to be stored', async () => (await allAlertIds(s)).length >= before + expected.length, 30_000);
    const all = await serverSigs(s);
    for (const e of expected) assert.ok(all.includes(e), `missing on the server: ${e}`);
  });
});

describe('serve on PostgreSQL', { skip: process.env.SHELLWATCH_SKIP_PG === '1' && 'SHELLWATCH_SKIP_PG=1' }, () => {
  const url = process.env.SHELLWATCH_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `sw_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
  let dir: string;
  let s: ServeProcess | undefined;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'sw-serve-pg-')); });
  after(async () => {
    await s?.stop();
    const pg = await import('pg');
    const c = new pg.default.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('raises over replayed samples the same alerts, with the same ids, as on the embedded store', async () => {
    const { writeFileSync } = await import('node:fs');
    const config = join(dir, 'serve.yaml');
    writeFileSync(config, `store:\n  kind: postgres\n  url: ${url}\n  schema: ${schema}\n`);
    s = await startServe(join(dir, 'data'), ['--config', config]);
    assert.equal((await s.api<{ store: string }>('/api/v1/health')).store, 'postgres');
    const samples = join(projectRoot, 'samples');
    const r = await replay([samples], s).done;
    assert.equal(r.code, 0, r.stderr);
    await until('alerts to be stored', async () => (await allAlertIds(s!)).length >= 18);
    assert.deepEqual(await serverSigs(s), await huntSigs([samples]));
  });
});

describe('serve over TLS, and alerts --follow', () => {
  let dir: string;
  let s: ServeProcess | undefined;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'sw-serve-tls-')); });
  after(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with the given certificate, and `shellwatch alerts --follow` prints alerts as they are stored', async () => {
    const { execFileSync, spawn } = await import('node:child_process');
    const cert = join(dir, 'cert.pem'), key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const { freePort } = await import('../helpers/serve.js');
    const port = await freePort();
    // readiness is polled over plain HTTP by the helper: start it by hand and poll over TLS instead
    const proc = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src', 'cli', 'main.ts'), 'serve', '--data', join(dir, 'data'), '--listen', `127.0.0.1:${port}`, '--tls-cert', cert, '--tls-key', key], { cwd: projectRoot, stdio: 'ignore' });
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: cert };
    try {
      const https = await import('node:https');
      const get = (path: string) => new Promise<number>((res, rej) => https.get({ host: '127.0.0.1', port, path, ca: readFileSync(cert) }, (r) => { r.resume(); res(r.statusCode ?? 0); }).on('error', rej));
      await until('serve over TLS', async () => (await get('/api/v1/ready')) === 200, 60_000);
      const token = readFileSync(join(dir, 'data', 'admin.token'), 'utf8').trim();
      const url = `https://127.0.0.1:${port}`;
      const follow = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src', 'cli', 'main.ts'), 'alerts', '--follow', '--server', url, '--token', token, '-f', 'jsonl'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      follow.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
      await sleep(1500); // subscribed before anything is stored
      const sent = await replay([join(projectRoot, 'samples')], { url, token }, [], env).done;
      assert.equal(sent.code, 0, sent.stderr);
      await until('followed alerts', () => out.split('\n').filter(Boolean).length >= 18, 20_000);
      follow.kill();
      const first = JSON.parse(out.split('\n')[0]) as { id: string };
      assert.match(first.id, /^[0-9a-f]{32}$/);
    } finally {
      proc.kill('SIGTERM');
    }
  });
});

describe('serve with its syslog and file-follow receivers', () => {
  let dir: string;
  let s: ServeProcess | undefined;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'sw-serve-rx-')); });
  after(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('alerts on an auditd reverse shell arriving over syslog TCP and on one appended to a followed file', async () => {
    const { appendFileSync, writeFileSync } = await import('node:fs');
    const { connect } = await import('node:net');
    const { freePort } = await import('../helpers/serve.js');
    const lines = readFileSync(join(projectRoot, 'test', 'fixtures', 'syslog', 'reverse-shell.audit.log'), 'utf8').trim().split('\n');
    const followed = join(dir, 'audit.log');
    writeFileSync(followed, '');
    const port = await freePort();
    s = await startServe(join(dir, 'data'), ['--syslog-tcp', `127.0.0.1:${port}`, '--follow', followed]);
    // over syslog (RFC 3164 headers naming the host, LF framing)
    await new Promise<void>((res, rej) => {
      const c = connect(port, '127.0.0.1', () => {
        c.end(lines.map((l) => `<14>Nov 14 22:15:00 syslog-host auditd: ${l}\n`).join(''), () => res());
      });
      c.on('error', rej);
    });
    // the same event, on another host, appended to the followed file
    appendFileSync(followed, lines.map((l) => `node=follow-host ${l}`).join('\n') + '\n');
    const hosts = async () => new Set((await s!.api<{ items: (Alert & { id: string })[] }>('/api/v1/alerts?rule=shell-over-reverse-connection&limit=100')).items.map((a) => a.host));
    await until('both receivers\' alerts', async () => { const h = await hosts(); return h.has('syslog-host') && h.has('follow-host'); }, 20_000);
    const ev = await s.api<{ items: { stream: string }[] }>('/api/v1/events?limit=100');
    const streams = new Set(ev.items.map((e) => e.stream));
    assert.ok(streams.has('syslog-tcp') && [...streams].some((x) => x.startsWith('follow:')), [...streams].join(','));
  });
});
