/** Ancestry helpers: the chain above a process as the event carries it, nearest first. */
import type { ProcessInfo, ShellEvent } from '../../../core/index.js';
import { isShellLike, procName, TERMINALS } from './names.js';

/** Deepest ancestry we walk: lineage may carry long chains, alerts need the near part. */
export const MAX_ANCESTRY = 16;

/** Parent first, then grandparents; the parent is prepended when ancestors do not start with it. */
export function chainOf(ev: ShellEvent): ProcessInfo[] {
  if (ev.kind === 'process_start') {
    const anc = ev.ancestors ?? [];
    const p = ev.parent;
    const hasParent = p && (p.image || p.commandLine || p.pid !== undefined);
    if (!anc.length) return hasParent ? [p] : [];
    const same = !hasParent || (anc[0].pid === p.pid && procName(anc[0]) === procName(p)) || (!!p.guid && anc[0].guid === p.guid);
    return (same ? anc : [p, ...anc]).slice(0, MAX_ANCESTRY);
  }
  if (ev.kind === 'network') return (ev.ancestors ?? []).slice(0, MAX_ANCESTRY);
  return [];
}

/** Short human label for a process: `cmd.exe` or `java (…catalina…)`. */
export function label(p: ProcessInfo | undefined): string {
  if (!p) return 'unknown';
  const img = p.image ?? p.commandLine ?? '';
  const base = img.replace(/^.*[\\/]/, '').replace(/"/g, '');
  return base.slice(0, 80) || procName(p) || `pid ${p.pid ?? '?'}`;
}

/** `winword.exe → cmd.exe → powershell.exe` for the reason text (oldest first, bounded). */
export function pathText(chain: ProcessInfo[], upto: number, self?: ProcessInfo): string {
  const parts = chain.slice(0, upto + 1).reverse().map(label);
  if (self) parts.push(label(self));
  return parts.join(' → ');
}

/**
 * True when the process belongs to a user's own terminal session: walking up through shells,
 * the first non-shell ancestor is a terminal emulator, sshd, login, tmux or explorer.
 */
export function inUserTerminal(chain: ProcessInfo[]): boolean {
  for (const p of chain) {
    if (isShellLike(p)) continue;
    return TERMINALS.has(procName(p));
  }
  return false;
}

/** The first ancestor that is not a shell (skipping shells and script hosts), with its index. */
export function firstNonShell(chain: ProcessInfo[]): { p: ProcessInfo; i: number } | null {
  for (let i = 0; i < chain.length; i++) if (!isShellLike(chain[i])) return { p: chain[i], i };
  return null;
}
