import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkEvent } from '../../src/core/index.js';
import { FlowScorer } from '../../src/detect/builtin/lib/flows.js';

let n = 0;
function conn(time: number, over: Partial<NetworkEvent> = {}): NetworkEvent {
  return { kind: 'network', time, host: 'sensor', observer: 'network', protocol: 'tcp', srcIp: '10.0.1.5', srcPort: 40000 + (n++ % 20000), dstIp: '198.51.100.4', dstPort: 443,
    service: 'ssl', durationMs: 30, bytesOut: 650, bytesIn: 300, packetsOut: 6, packetsIn: 7, process: {}, event: { file: 'conn.log', record: n, channel: null, eventId: null }, raw: {}, ...over };
}

test('regular connections to one endpoint over a long span are beaconing, reported once', () => {
  const f = new FlowScorer();
  let found = 0;
  let seed = 7;
  const jitter = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296 - 0.5) * 600;
  for (let i = 0; i < 200; i++) found += f.observe(conn(i * 10_000 + jitter(), { bytesOut: 640 + Math.round(jitter() / 100) })).length;
  assert.equal(found, 1);
});

test('bursts, irregular traffic and short spans are not beaconing', () => {
  const burst = new FlowScorer();
  let found = 0;
  for (let i = 0; i < 100; i++) found += burst.observe(conn(i * 20)).length; // 2 s of traffic
  let seed = 1;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const browsing = new FlowScorer();
  for (let i = 0, t = 0; i < 300; i++) found += browsing.observe(conn((t += Math.floor(rand() ** 4 * 600_000)), { bytesOut: Math.floor(rand() * 20_000) })).length;
  assert.equal(found, 0);
});

test('a long raw TCP session with small packets both ways is a shell over a socket; SSH is not', () => {
  const f = new FlowScorer();
  const shell = f.observe(conn(0, { dstPort: 4444, service: undefined, durationMs: 45 * 60_000, packetsOut: 900, packetsIn: 1100, bytesOut: 60_000, bytesIn: 150_000 }));
  assert.equal(shell.length, 1);
  assert.match(shell[0].reason, /45-minute raw TCP session to 198\.51\.100\.4:4444/);
  assert.equal(f.observe(conn(1, { dstPort: 22, service: undefined, durationMs: 45 * 60_000, packetsOut: 900, packetsIn: 1100, bytesOut: 60_000, bytesIn: 150_000 })).length, 0);
  assert.equal(f.observe(conn(2, { dstPort: 8443, service: 'ssl', durationMs: 45 * 60_000, packetsOut: 900, packetsIn: 1100, bytesOut: 60_000, bytesIn: 150_000 })).length, 0, 'a recognised protocol');
  assert.equal(f.observe(conn(3, { dstPort: 9000, service: undefined, durationMs: 45 * 60_000, packetsOut: 900, packetsIn: 1100, bytesOut: 9_000_000, bytesIn: 150_000 })).length, 0, 'bulk transfer');
  assert.equal(f.observe(conn(4, { dstIp: '127.0.0.1', dstPort: 4444, service: undefined, durationMs: 45 * 60_000, packetsOut: 900, packetsIn: 1100, bytesOut: 60_000, bytesIn: 150_000 })).length, 0, 'loopback');
});
