/**
 * Encodings found anywhere in a text, whatever the shell: long base64 runs (registry values,
 * service names, script arguments) that decode to readable text, gzip/zlib included.
 */
import type { Budget } from './budget.js';
import { bytesText, fromBase64, inflate } from './bytes.js';
import type { Found } from './ps/decode.js';

const RUN = /[A-Za-z0-9+/]{24,}={0,2}/g;
const MAX_RUNS = 8;

/** Readable text hidden in base64 runs of `text`. */
export function base64Runs(text: string, budget: Budget): Found[] {
  const out: Found[] = [];
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m && out.length < MAX_RUNS && budget.step(); m = RUN.exec(text)) {
    const run = m[0];
    // real base64 mixes cases and digits; words, paths and hex do not
    if (!/[a-z]/.test(run) || !/[A-Z]/.test(run) || run.length % 4 === 1) continue;
    const b = fromBase64(run, budget.room());
    if (!b) continue;
    const z = b[0] === 0x1f && b[1] === 0x8b ? inflate(b, budget.room()) : null;
    const t = bytesText(z ?? b);
    if (!t || t.text.trim().length < 6 || !/[A-Za-z]{2}/.test(t.text)) continue;
    out.push({ technique: z ? 'gzip' : t.encoding === 'utf16le' ? 'base64-utf16le' : 'base64', text: t.text, start: m.index, end: m.index + run.length });
  }
  return out;
}
