/**
 * Tradecraft in a chain of commands, beyond recon: running a program from a user-writable folder,
 * copying a system binary elsewhere (a renamed LOLBin), handing a javascript:/vbscript: URL to a
 * program, and a trailing REM that comments out the rest of a hijacked command line. Windows dialects
 * only: these paths and idioms mean nothing in a POSIX shell, where they would only add noise.
 */
import type { Step } from './script.js';

export interface TradecraftHit { label: string; weight: number; sample: string }

const USER_WRITABLE = /%(?:temp|tmp|appdata|localappdata|public|programdata)%|\\appdata\\|\\temp\\|\\users\\public\\|\\programdata\\|\\perflogs\\|\\windows\\tasks\\/i;
const SYSTEM_BINARY = /\\(?:system32|syswow64)\\[^\\]{1,80}\.(?:exe|dll|com)$/i;
const COPY = new Set(['copy', 'xcopy', 'copy-item', 'cpi', 'cp']);

/** The program word a step runs (as written, before name normalisation). */
function programWord(s: Step): string {
  const c = s.cmd!;
  return s.words[s.words.length - c.args.length - 1] ?? '';
}

function hitOf(s: Step): TradecraftHit | null {
  const c = s.cmd!;
  const sample = s.raw.slice(0, 120);
  if (c.name === 'rem' && s.op) return { label: 'rem-swallows-rest-of-line', weight: 2, sample };
  if (USER_WRITABLE.test(programWord(s))) return { label: 'runs-from-user-writable-path', weight: 2, sample };
  if (COPY.has(c.name) && c.args.some((a) => SYSTEM_BINARY.test(a)) && c.args.some((a) => !a.startsWith('/') && !SYSTEM_BINARY.test(a))) {
    return { label: 'copies-system-binary', weight: 2, sample };
  }
  if (c.args.some((a) => /^(?:javascript|vbscript):/i.test(a))) return { label: 'script-url-argument', weight: 2, sample };
  return null;
}

/** Distinct tradecraft hits over the chained (non-top) steps of a Windows script. */
export function tradecraftOf(steps: Step[]): TradecraftHit[] {
  const seen = new Map<string, TradecraftHit>();
  for (const s of steps) {
    if (s.top || !s.cmd || s.dialect === 'posix') continue;
    const h = hitOf(s);
    if (h && !seen.has(h.label)) seen.set(h.label, h);
  }
  return [...seen.values()];
}
