/**
 * Windows command-line splitting exactly as CommandLineToArgvW does it (the MSVC runtime rules
 * powershell.exe and most programs use). Shared vocabulary: the decode stage and the detectors both
 * read argv. Linear scan, input capped at MAX_CMDLINE (attacker-controlled).
 */

/** Longest command line parsed (Windows caps at 32 767 UTF-16 units; some slack). */
export const MAX_CMDLINE = 64 * 1024;

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Splits a command line exactly as CommandLineToArgvW does (argv[0] has no backslash rules). */
export function winArgv(cmdline: string, max = MAX_CMDLINE): string[] {
  const s = cmdline.length > max ? cmdline.slice(0, max) : cmdline;
  const out: string[] = [];
  let i = 0;
  while (isWs(s[i])) i++;
  if (i >= s.length) return out;
  // argv[0]: quoted up to the next quote, else up to whitespace
  if (s[i] === '"') {
    const end = s.indexOf('"', i + 1);
    out.push(s.slice(i + 1, end < 0 ? s.length : end));
    i = end < 0 ? s.length : end + 1;
  } else {
    const st = i;
    while (i < s.length && !isWs(s[i])) i++;
    out.push(s.slice(st, i));
  }
  while (i < s.length) {
    while (isWs(s[i])) i++;
    if (i >= s.length) break;
    out.push(readArg(s, i));
    i = argEnd;
  }
  return out;
}

/** Where the last readArg stopped (a module variable rather than a result object per argument). */
let argEnd = 0;

/**
 * One argument with the 2n / 2n+1 backslash rules and "" inside quotes. The argument is `arg` followed
 * by s[from, i): slices between the characters the rules drop or rewrite.
 */
function readArg(s: string, start: number): string {
  let arg = '';
  let from = start;
  let inQ = false;
  let i = start;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      const first = i;
      while (s[i] === '\\') i++;
      if (s[i] === '"') {
        const n = i - first;
        arg += s.slice(from, first) + '\\'.repeat(n >> 1);
        if (n & 1) { arg += '"'; i++; }
        from = i;
      }
      continue;
    }
    if (c === '"') {
      arg += s.slice(from, i);
      if (inQ && s[i + 1] === '"') { arg += '"'; i += 2; from = i; continue; }
      inQ = !inQ; i++; from = i; continue;
    }
    if (!inQ && isWs(c)) break;
    i++;
  }
  argEnd = i;
  return arg + s.slice(from, i);
}
