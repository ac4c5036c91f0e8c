/**
 * A writer process for the follow tests: appends `count` units (JSON lines, or auditd events of 4-5
 * lines) to `path` in chunks of random size (so appends end mid-line and mid-event), pausing now and
 * then, and optionally rotating the way logrotate's create mode does (`log.1`→`log.2`…, `log`→`log.1`,
 * a new `log`) every `rotateEvery` units. Usage: node --import tsx writer.ts '{"path":…,"count":…}'
 */
import { closeSync, existsSync, openSync, renameSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditEvent } from './helpers.js';

interface Args { path: string; count: number; format: 'json' | 'auditd'; rotateEvery?: number; maxChunk?: number; pauseEvery?: number; pauseMs?: number }

const args = JSON.parse(process.argv[2]) as Args;
let seed = 12345;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};

/** One unit of text: unit `i`, belonging to file `gen` (rotations so far). */
function unit(i: number, gen: number): string {
  if (args.format === 'auditd') return auditEvent(i, i % 2 === 0);
  return JSON.stringify({ n: i, gen, msg: `line ${i} of the follow test`, pad: 'x'.repeat(rand(200)) }) + '\n';
}

function rotate(): void {
  let top = 1;
  while (existsSync(`${args.path}.${top}`)) top++;
  for (let k = top - 1; k >= 1; k--) renameSync(`${args.path}.${k}`, `${args.path}.${k + 1}`);
  renameSync(args.path, `${args.path}.1`);
}

let fd = openSync(args.path, 'a');
let gen = 0;
let pending = '';
const flush = (all: boolean) => {
  while (pending.length && (all || pending.length > 64)) {
    const n = Math.min(pending.length, 1 + rand(args.maxChunk ?? 300));
    writeSync(fd, pending.slice(0, n));
    pending = pending.slice(n);
  }
};
for (let i = 0; i < args.count; i++) {
  pending += unit(i, gen);
  flush(false);
  if (args.pauseEvery && i % args.pauseEvery === args.pauseEvery - 1) await sleep(args.pauseMs ?? 5);
  if (args.rotateEvery && i % args.rotateEvery === args.rotateEvery - 1 && i < args.count - 1) {
    flush(true);
    closeSync(fd);
    rotate();
    gen++;
    fd = openSync(args.path, 'a');
  }
}
flush(true);
closeSync(fd);
process.stdout.write('done\n');
