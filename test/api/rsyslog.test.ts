/**
 * A real Elasticsearch bulk client: Debian's rsyslog with omelasticsearch reads JSON lines from a file
 * (imfile) and ships them to our `_bulk` endpoint with Basic auth (password = token), as it would to a
 * cluster. The test asserts what arrived through the bulk route and was accepted into the store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../helpers/corpus.js';
import { harness, type Harness } from './helpers.js';
import { about, poll } from '../helpers/wait.js';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const MODULE = ['/usr/lib/x86_64-linux-gnu/rsyslog/omelasticsearch.so', '/usr/lib/rsyslog/omelasticsearch.so', '/usr/lib/aarch64-linux-gnu/rsyslog/omelasticsearch.so'];
const skip = !existsSync(RSYSLOGD) ? 'rsyslogd is not installed (apt-get install rsyslog rsyslog-elasticsearch)'
  : !MODULE.some(existsSync) ? 'omelasticsearch is not installed (apt-get install rsyslog-elasticsearch)' : false;

function config(dir: string, port: number, token: string): string {
  return `
global(workDirectory="${dir}/work" maxMessageSize="64k")
module(load="imfile" mode="polling" pollingInterval="1")
module(load="omelasticsearch")
template(name="doc" type="string" string="%msg%")
ruleset(name="es") {
  action(type="omelasticsearch" server="127.0.0.1" serverport="${port}" searchIndex="winlogbeat" template="doc"
         bulkmode="on" uid="shipper" pwd="${token}" errorFile="${dir}/es-errors.json")
}
input(type="imfile" file="${dir}/in.log" tag="wlb" ruleset="es" freshStartTail="off")
`;
}

const waitFor = async (cond: () => boolean, ms: number): Promise<boolean> => (await poll(() => cond() || undefined, about(ms, 100))) ?? cond();

describe('rsyslog omelasticsearch → POST /_bulk', { skip }, () => {
  let h: Harness;
  let dir: string;
  let proc: ChildProcess | undefined;
  const seen: { method: string; url: string; auth: string }[] = [];
  let stderr = '';
  before(async () => {
    h = await harness();
    h.app.addHook('onRequest', async (req) => { seen.push({ method: req.method, url: req.url, auth: String(req.headers.authorization ?? '').split(' ')[0] }); });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'sw-rsyslog-'));
    mkdirSync(join(dir, 'work'));
    writeFileSync(join(dir, 'in.log'), '');
    writeFileSync(join(dir, 'rsyslog.conf'), config(dir, (h.app.server.address() as AddressInfo).port, h.tokens.ingest));
    proc = spawn(RSYSLOGD, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
  });
  after(async () => {
    if (proc && proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise((r) => proc?.once('exit', r));
    }
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Winlogbeat-shaped ECS lines arrive through _bulk with Basic auth and are stored', async () => {
    const docs = readFileSync(join(projectRoot, 'test/fixtures/bulk/winlogbeat-8.ndjson'), 'utf8').split('\n').filter(Boolean).filter((_l, i) => i % 2 === 1);
    appendFileSync(join(dir, 'in.log'), docs.join('\n') + '\n');
    const arrived = await waitFor(() => h.accepted.some((a) => a.stream === 'bulk:winlogbeat') && h.accepted.filter((a) => a.stream === 'bulk:winlogbeat').reduce((n, a) => n + a.records.length, 0) >= docs.length, 20_000);
    assert.ok(arrived, `nothing arrived; requests: ${JSON.stringify(seen)}; rsyslogd: ${stderr.slice(0, 2000)}`);
    const bulk = seen.filter((s) => s.method === 'POST' && s.url.startsWith('/_bulk'));
    assert.ok(bulk.length >= 1, JSON.stringify(seen));
    assert.ok(bulk.every((s) => s.auth === 'Basic'), 'Basic auth on every bulk request');
    const got = h.accepted.filter((a) => a.stream === 'bulk:winlogbeat');
    assert.ok(got.every((a) => a.sender === 't-ingest'), 'authenticated as the ingest token');
    const records = got.flatMap((a) => a.records);
    assert.deepEqual(records.map((r) => r.system.recordId).sort(), [1001, 1002]);
    assert.ok(records.every((r) => r.format === 'json-ecs' && r.system.eventId === 1));
    const stored = await h.store.readEvents(0, 100);
    assert.equal(stored.filter((e) => e.stream === 'bulk:winlogbeat').length, 2);
    assert.ok(!existsSync(join(dir, 'es-errors.json')) || readFileSync(join(dir, 'es-errors.json'), 'utf8').trim() === '', 'rsyslog logged no ES errors');
  });
});
