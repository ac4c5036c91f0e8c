/**
 * Windows command-line tokenizing: CommandLineToArgvW (the MSVC runtime rules every C program and
 * powershell.exe use) and cmd.exe's own view of a line (carets, quotes, /c extraction).
 * Inputs are attacker-controlled: everything is a single linear scan, bounded by MAX_CMDLINE.
 */

import { MAX_CMDLINE, winArgv } from '../../../core/index.js';

/** CommandLineToArgvW lives in core (shared by decode and detect). */
export { MAX_CMDLINE, winArgv };

const isWs = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** cmd.exe's caret rule: outside double quotes `^x` is a literal x, a lone trailing caret vanishes. */
export function stripCarets(s: string): string {
  let out = '';
  let inQ = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') inQ = !inQ;
    if (c === '^' && !inQ) { i++; if (i < s.length) out += s[i]; continue; }
    out += c;
  }
  return out;
}

/** Options cmd.exe takes before /c, /k or /r. */
const CMD_SWITCH = /^[/-](?:q|d|a|u|s|e:(?:on|off)|f:(?:on|off)|v:(?:on|off)|t:[0-9a-f]{1,2}|b)$/i;

/**
 * The command text cmd.exe runs for `cmd [switches] /c|/k|/r text`, with cmd's quote stripping
 * (first and last quote removed unless exactly two quotes surround the text). Null when none.
 */
export function cmdScript(cmdline: string): { text: string; keep: boolean } | null {
  const s = cmdline.length > MAX_CMDLINE ? cmdline.slice(0, MAX_CMDLINE) : cmdline;
  let i = skipArg0(s);
  let strip = false;
  while (i < s.length) {
    while (i < s.length && isWs(s[i])) i++;
    const st = i;
    while (i < s.length && !isWs(s[i]) && s[i] !== '"') i++;
    const tok = stripCarets(s.slice(st, i));
    const m = /^[/-]([ckr])/i.exec(tok);
    if (m) {
      // the switch letter may itself carry carets (/^c): skip past it in the raw text
      const at = s.slice(st, i).search(/[ckr]/i) + 1;
      return { text: cmdUnquote(s.slice(st + at).replace(/^\s+/, ''), strip), keep: m[1].toLowerCase() === 'k' };
    }
    if (!CMD_SWITCH.test(tok)) return null;
    if (tok.toLowerCase().endsWith('s')) strip = true;
  }
  return null;
}

function skipArg0(s: string): number {
  let i = 0;
  while (i < s.length && isWs(s[i])) i++;
  if (s[i] === '"') { const e = s.indexOf('"', i + 1); return e < 0 ? s.length : e + 1; }
  // cmd.exe's own name may be followed directly by a switch: cmd.exe/c whoami
  while (i < s.length && !isWs(s[i]) && s[i] !== '/') i++;
  return i;
}

function cmdUnquote(text: string, forceStrip: boolean): string {
  if (!text.startsWith('"')) return text;
  const quotes = text.split('"').length - 1;
  const last = text.lastIndexOf('"');
  const simple = quotes === 2 && !/[&<>()@^|]/.test(text) && last === text.length - 1 && /\s/.test(text);
  if (!forceStrip && simple) return text;
  return text.slice(1, last) + text.slice(last + 1);
}
