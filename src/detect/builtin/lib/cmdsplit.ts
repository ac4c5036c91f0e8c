/**
 * cmd.exe chaining: splits a cmd script on &, &&, ||, | and newlines (and ( ) groups) outside double
 * quotes, honouring carets (^& is a literal &) and treating 2>&1 / >&2 as redirections. Words are
 * returned with quotes and carets removed, which is what cmd hands to the program it starts.
 */
import type { Segment } from './segment.js';

/**
 * Splits a cmd.exe script into chained commands. The text of a command is kept as slices of `script`
 * (runs between the characters cmd drops), not built a character at a time.
 */
export function cmdSegments(script: string): Segment[] {
  const segs: Segment[] = [];
  // the current command's text is `cur` followed by script[from, i)
  let cur = '';
  let from = 0;
  let op: string | null = null;
  let inQ = false;
  // open ( groups: outside a group cmd reads ) as a plain character (javascript:f(x) arguments)
  let groups = 0;
  const flush = (at: number, next: string | null): void => {
    const text = cur + script.slice(from, at);
    const words = cmdWords(text);
    if (words.length) segs.push({ words, op, raw: text.trim(), subs: [], ansiEscapes: 0 });
    cur = ''; op = next;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (c === '"') { inQ = !inQ; continue; }
    if (inQ) { if (c === '\n') { inQ = false; flush(i, ';'); from = i + 1; } continue; }
    if (c === '^') { i++; continue; }
    if (c === '&' && (script[i - 1] === '>' || script[i - 1] === '<')) continue;
    if (c === '&' || c === '|') {
      const two = script[i + 1] === c;
      flush(i, two ? c + c : c);
      if (two) i++;
      from = i + 1;
      continue;
    }
    if (c === '\n' || c === '\r') { flush(i, ';'); from = i + 1; continue; }
    if (c === '(' || (c === ')' && groups > 0)) {
      cur += script.slice(from, i);
      from = i;
      if (c === '(' && !/\S/.test(cur)) { groups++; from = i + 1; continue; }
      if (c === ')') { groups--; if (/\S/.test(cur)) flush(i, ';'); from = i + 1; continue; }
    }
  }
  flush(script.length, null);
  return segs;
}

/**
 * Splits one cmd command into words: whitespace outside quotes separates; quotes and carets go.
 * A word is `w` followed by text[from, i) (slices between dropped characters).
 */
export function cmdWords(text: string): string[] {
  const out: string[] = [];
  let w = '';
  let from = 0;
  let inQ = false;
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') { w += text.slice(from, i); from = i + 1; inQ = !inQ; has = true; continue; }
    if (!inQ && c === '^') {
      w += text.slice(from, i); from = i + 1;
      i++;
      if (i < text.length) has = true;
      continue;
    }
    // , ; = separate like spaces only around the command name (cmd /c ,;=whoami)
    const delim = c === ' ' || c === '\t' || (out.length === 0 && w === '' && from === i && (c === ',' || c === ';' || c === '='));
    if (!inQ && delim) {
      if (has) out.push(w + text.slice(from, i));
      w = ''; from = i + 1; has = false; continue;
    }
    has = true;
  }
  if (has) out.push(w + text.slice(from));
  return out;
}
