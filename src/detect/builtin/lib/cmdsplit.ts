/**
 * cmd.exe chaining: splits a cmd script on &, &&, ||, | and newlines (and ( ) groups) outside double
 * quotes, honouring carets (^& is a literal &) and treating 2>&1 / >&2 as redirections. Words are
 * returned with quotes and carets removed, which is what cmd hands to the program it starts.
 */
import type { Segment } from './segment.js';

/** Splits a cmd.exe script into chained commands. */
export function cmdSegments(script: string): Segment[] {
  const segs: Segment[] = [];
  let cur = '';
  let op: string | null = null;
  let inQ = false;
  // open ( groups: outside a group cmd reads ) as a plain character (javascript:f(x) arguments)
  let groups = 0;
  const flush = (next: string | null): void => {
    const words = cmdWords(cur);
    if (words.length) segs.push({ words, op, raw: cur.trim(), subs: [], ansiEscapes: 0 });
    cur = ''; op = next;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '"') { inQ = !inQ; cur += c; continue; }
    if (inQ) { if (c === '\n') { inQ = false; flush(';'); } else cur += c; continue; }
    if (c === '^') { cur += c + (script[i + 1] ?? ''); i++; continue; }
    if (c === '&' && (script[i - 1] === '>' || script[i - 1] === '<')) { cur += c; continue; }
    if (c === '&' || c === '|') {
      const two = script[i + 1] === c;
      flush(two ? c + c : c);
      if (two) i++;
      continue;
    }
    if (c === '\n' || c === '\r') { flush(';'); continue; }
    if (c === '(' && !/\S/.test(cur)) { groups++; continue; }
    if (c === ')' && groups > 0) { groups--; if (/\S/.test(cur)) flush(';'); continue; }
    cur += c;
  }
  flush(null);
  return segs;
}

/** Splits one cmd command into words: whitespace outside quotes separates; quotes and carets go. */
export function cmdWords(text: string): string[] {
  const out: string[] = [];
  let w = '';
  let inQ = false;
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') { inQ = !inQ; has = true; continue; }
    if (!inQ && c === '^') { i++; if (i < text.length) { w += text[i]; has = true; } continue; }
    // , ; = separate like spaces only around the command name (cmd /c ,;=whoami)
    const delim = c === ' ' || c === '\t' || (out.length === 0 && !w && (c === ',' || c === ';' || c === '='));
    if (!inQ && delim) {
      if (has) out.push(w);
      w = ''; has = false; continue;
    }
    w += c; has = true;
  }
  if (has) out.push(w);
  return out;
}
