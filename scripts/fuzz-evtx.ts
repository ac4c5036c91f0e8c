// Long mutation-fuzz run of the EVTX reader over every corpus .evtx (`npm run fuzz [-- SECONDS [SEED]]`).
// Failing inputs are written to os.tmpdir()/shellwatch-evtx-fuzz/ for replay; exits 1 on any failure.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusEvtxFiles } from '../test/evtx/differential.js';
import { baseline, checkCase, mutate, rng } from '../test/evtx/fuzzer.js';

const seconds = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? Date.now() % 1e9);
const files = corpusEvtxFiles().filter((f) => readFileSync(f).length > 0x1000);
const out = join(tmpdir(), 'shellwatch-evtx-fuzz');
const r = rng(seed);
const deadline = Date.now() + seconds * 1000;
let cases = 0;
let failures = 0;
console.log(`fuzzing ${files.length} files for ${seconds}s, seed ${seed}`);
while (Date.now() < deadline) {
  const file = files[Math.floor(r() * files.length)];
  const base = baseline(readFileSync(file));
  for (let i = 0; i < 50 && Date.now() < deadline; i++) {
    const { data, kind } = mutate(base.buf, r);
    const why = checkCase(base, data, 5000);
    cases++;
    if (why) {
      failures++;
      mkdirSync(out, { recursive: true });
      const p = join(out, `case-${seed}-${cases}.evtx`);
      writeFileSync(p, data);
      console.log(`FAIL ${file} (${kind}): ${why} -> ${p}`);
    }
  }
  if (cases % 1000 < 50) console.log(`${cases} cases, ${failures} failures`);
}
console.log(`${cases} cases, ${failures} failures`);
process.exit(failures ? 1 : 0);
