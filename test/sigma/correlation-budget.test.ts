// Open correlation windows are bounded: a group whose events stop coming would otherwise stay open for
// as long as a server runs. Past the budget the oldest-opened window is dropped and counted (SW4009).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CorrelationState } from '../../src/detect/sigma/correlation/state.js';
import type { CompiledCorrelation } from '../../src/detect/sigma/types.js';

const corr = {
  kind: 'correlation', id: 'c1', title: 'Many logons', level: 'high', status: 'test', tags: [], techniques: [], type: 'event_count', rules: ['r1'],
  groupBy: ['User'], timespanMs: 60_000, aliases: {}, condition: { ops: { gte: 3 } }, generate: false, source: { file: 'x.yml', line: 1, column: 1 },
} as unknown as CompiledCorrelation;

test('past the window budget the oldest-opened group is dropped and counted; the newer ones still fire', () => {
  const s = new CorrelationState(corr, [['r1']], 3);
  const feed = (user: string, t: number) => s.feed(0, t, (f) => (f === 'User' ? user : undefined));
  for (const u of ['a', 'b', 'c', 'd']) feed(u, 1000);
  assert.equal(s.evicted, 1);
  assert.deepEqual(s.snapshot().map(([k]) => k), ['["b"]', '["c"]', '["d"]']);
  feed('d', 1001);
  assert.equal(feed('d', 1002)?.count, 3, 'd still counts');
  feed('a', 1003);
  assert.equal(s.evicted, 2, 'a came back as a new window, evicting b');
});
