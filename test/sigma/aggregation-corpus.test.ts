// The three Hayabusa rules with deprecated `| count() by` conditions load (converted into correlations)
// and fire on events written here: at the threshold within the timeframe, and not one event below it,
// nor when the events are spread over more than the timeframe.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { RawRecord } from '../../src/core/index.js';
import { createEngine, loadRules, type SigmaMatch } from '../../src/detect/sigma/index.js';
import { corpusPath, hasCorpus } from '../helpers/corpus.js';

const dir = ['hayabusa-rules', 'hayabusa', 'builtin', 'Security', 'LogonLogoff', 'Logon'];
const FILES = {
  guessing: 'Sec_4625_Med_LogonFail_WrongPW_PW-Guessing_Cnt_Deprecated.yml', // count() by IpAddress >= 5, 5m
  users: 'Sec_4625_Med_LogonFail_UserGuessing_Cnt_Deprecated.yml', // count(TargetUserName) by IpAddress > 3, 5m
  spray: 'Sec_4648_Med_ExplicitLogon_PW-Spray_Cnt_Deprecated.yml', // count(TargetUserName) by IpAddress >= 5, 5m
};

let rid = 0;
function sec(eventId: number, s: number, data: Record<string, unknown>): RawRecord {
  return {
    format: 'json-evtx', ref: { file: 't', record: ++rid, channel: 'Security', eventId },
    system: { provider: 'Microsoft-Windows-Security-Auditing', channel: 'Security', eventId, computer: 'dc1', timeMs: 1_700_000_000_000 + s * 1000 },
    data: { LogonType: 3, ...data },
  };
}
const wrongPw = (s: number, ip: string, user = 'Administrator') => sec(4625, s, { SubStatus: '0xc000006a', IpAddress: ip, TargetUserName: user });
const noUser = (s: number, ip: string, user: string) => sec(4625, s, { SubStatus: '0xc0000064', IpAddress: ip, TargetUserName: user });
const explicit = (s: number, ip: string, user: string) => sec(4648, s, { IpAddress: ip, TargetUserName: user, SubjectUserName: 'svc' });
const n = (k: number, f: (i: number) => RawRecord) => Array.from({ length: k }, (_, i) => f(i));

describe('Hayabusa aggregation rules (converted)', { skip: !hasCorpus }, () => {
  const paths = Object.values(FILES).map((f) => corpusPath(...dir, f));
  const loaded = hasCorpus ? loadRules(paths) : { rules: [], listing: [], diagnostics: [] };
  const idOf = (f: string) => loaded.listing.find((l) => l.path.endsWith(f))!.id;
  function run(recs: RawRecord[]): SigmaMatch[] {
    const e = createEngine(loaded.rules);
    return [...recs.flatMap((r) => e.match(r)), ...e.flush()];
  }

  it('all three load, listed as loaded with a note', () => {
    assert.equal(loaded.listing.length, 3);
    for (const l of loaded.listing) {
      assert.ok(l.loaded, `${l.path}: ${l.reason}`);
      assert.match(l.reason ?? '', /^loaded as a correlation \((event|value)_count\): deprecated aggregation .* within 5m$/);
    }
  });

  it('PW Guessing: 5 wrong passwords from one IP within 5 min fire once, with the rule id and title; 4 do not', () => {
    const m = run(n(5, (i) => wrongPw(i * 30, '192.168.198.149')));
    assert.deepEqual(m.map((x) => [x.rule.id, x.rule.title, x.rule.kind, x.count, x.group]), [[idOf(FILES.guessing), 'PW Guessing', 'correlation', 5, { IpAddress: '192.168.198.149' }]]);
    assert.equal(run(n(4, (i) => wrongPw(i * 30, '192.168.198.149'))).length, 0);
    assert.equal(run(n(5, (i) => wrongPw(i * 80, '192.168.198.149'))).length, 0, '5 over 5 min 20 s');
    assert.equal(run(n(5, (i) => wrongPw(i * 30, '-'))).length, 0, "IpAddress '-' is filtered");
    assert.equal(run(n(5, (i) => wrongPw(i * 30, `10.0.0.${i % 2}`))).length, 0, 'two IPs');
  });

  it('User Guessing: 4 unknown user names from one IP within 5 min fire; 3 names (however many attempts) do not', () => {
    const m = run(n(4, (i) => noUser(i * 30, '10.1.1.1', `user${i}`)));
    assert.deepEqual(m.map((x) => [x.rule.id, x.rule.title]), [[idOf(FILES.users), 'User Guessing']]);
    assert.equal(run(n(12, (i) => noUser(i * 10, '10.1.1.1', `user${i % 3}`))).length, 0);
    assert.equal(run(n(4, (i) => wrongPw(i * 30, '10.1.1.1', `user${i}`))).length, 0, 'wrong passwords are another rule (4 < 5)');
  });

  it('PW Spray: explicit logons to 5 accounts from one IP within 5 min fire; 4 accounts do not', () => {
    const m = run(n(5, (i) => explicit(i * 20, '10.2.2.2', `acct${i}`)));
    assert.deepEqual(m.map((x) => [x.rule.id, x.rule.title]), [[idOf(FILES.spray), 'PW Spray']]);
    assert.equal(run(n(4, (i) => explicit(i * 20, '10.2.2.2', `acct${i}`))).length, 0);
    assert.equal(run(n(5, (i) => explicit(i * 20, '-', `acct${i}`))).length, 0, "IpAddress '-' is filtered");
  });
});
