/** What command a chained segment runs, looking through wrappers such as sudo, env, nohup, start, call. */
import { nameOf } from './names.js';

export interface Command {
  /** normalised program name (stem, lower-case, version folded) */
  name: string;
  /** arguments after the program word */
  args: string[];
}

const WRAPPERS = new Set(['sudo', 'doas', 'env', 'nohup', 'exec', 'time', 'nice', 'ionice', 'timeout', 'stdbuf', 'command', 'builtin', 'xargs', 'setsid', 'chronic', 'call', 'start', 'runuser', 'unbuffer', 'strace', 'watch', 'flock', 'caffeinate']);
/** Reserved words that start a compound command; the real command follows. */
const KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done', 'esac']);
/** Wrapper options that take a value (sudo -u root, timeout 10, nice -n 5, flock /lock). */
const VALUE_OPTS: Record<string, RegExp> = {
  sudo: /^-[ugpChDrtTU]$/, doas: /^-[uC]$/, nice: /^-n$/, ionice: /^-[cnp]$/, xargs: /^-[ILPdEnsa]$/,
  runuser: /^-[ugl]$/, watch: /^-n$/, strace: /^-[eo]$/, timeout: /^-[sk]$/,
};
const POSITIONAL: Record<string, number> = { timeout: 1, flock: 1, watch: 0 };

/** The command a word list runs, or null when it is only assignments or keywords. */
export function commandOf(words: string[]): Command | null {
  let i = 0;
  for (let guard = 0; guard < 12 && i < words.length; guard++) {
    while (i < words.length && (KEYWORDS.has(words[i]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) || words[i] === '@')) i++;
    if (i >= words.length) return null;
    const w = words[i].replace(/^@/, '');
    // a substitution in command position runs whatever it prints
    if (w.startsWith('$(') || w.startsWith('`')) return { name: 'exec', args: words.slice(i + 1) };
    const n = nameOf(w);
    if (!WRAPPERS.has(n) || i === words.length - 1) return { name: n, args: words.slice(i + 1) };
    i = skipWrapperOptions(n, words, i + 1);
  }
  return i < words.length ? { name: nameOf(words[i]), args: words.slice(i + 1) } : null;
}

function skipWrapperOptions(n: string, words: string[], i: number): number {
  const valued = VALUE_OPTS[n];
  while (i < words.length && (words[i].startsWith('-') || (n === 'start' && (words[i].startsWith('/') || words[i] === '')))) {
    if (words[i] === '--') return i + 1;
    if (valued?.test(words[i])) i++;
    i++;
  }
  if (n === 'start' && i < words.length && /\s/.test(words[i])) i++; // start "title" prog
  return i + (POSITIONAL[n] ?? 0);
}
