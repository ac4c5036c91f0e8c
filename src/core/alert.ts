/** The alert format (docs/alert-format.md). Stable: add fields, never rename or remove them. */
import type { EventRef, ProcessInfo, Session } from './event.js';

/** The session as alerts carry it: every key present, null where unknown. */
export interface AlertSession { id: string; type: string | null; interactive: boolean | null; remoteAddress: string | null; terminal: string | null; user: string | null }

export type Level = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const LEVELS: readonly Level[] = ['informational', 'low', 'medium', 'high', 'critical'];
/** Numeric rank of a level, for --min-level comparisons. */
export const levelRank = (l: Level): number => LEVELS.indexOf(l);

/** One layer of decoded command text, outermost first. */
export interface DecodedLayer {
  /** how this layer was obtained, e.g. `powershell-encodedcommand`, `base64` */
  technique: string;
  text: string;
}

export interface AlertProcess { pid: number | null; guid: string | null; image: string | null; commandLine: string | null }
export interface AlertAncestor { pid: number | null; image: string | null; commandLine: string | null }

export interface Alert {
  /**
   * Stable id derived from the content (rule + event identity): the same alert from a replay, a restart
   * or a retransmission has the same id. Set by `serve` (and whenever the pipeline is asked for ids).
   */
  id?: string;
  rule: { id: string; title: string; level: Level; source: 'builtin' | 'sigma'; techniques: string[] };
  /** ISO 8601 UTC with milliseconds */
  time: string;
  host: string;
  user: string | null;
  process: AlertProcess;
  parent: AlertProcess;
  /** the chain above the process, nearest first (the parent is ancestors[0] when known) */
  ancestors: AlertAncestor[];
  /** the logon session of the process, where the input tells it */
  session: AlertSession | null;
  /** how usual this is here, when the hunt was given a baseline (`hunt --baseline`) */
  baseline: { firstSeen: string | null; rarity: number; seenOnHosts: number } | null;
  reason: string;
  decoded: DecodedLayer[];
  event: EventRef;
  /** rule-specific evidence: the values that made the rule fire */
  evidence: Record<string, unknown>;
}

/** Converts a lineage/event process into the alert's fixed shape (nulls, never undefined). */
export function alertProcess(p: ProcessInfo | undefined): AlertProcess {
  return { pid: p?.pid ?? null, guid: p?.guid ?? null, image: p?.image ?? null, commandLine: p?.commandLine ?? null };
}

/** Converts a lineage session into the alert's fixed shape. */
export function alertSession(x: Session | undefined): AlertSession | null {
  if (!x) return null;
  return { id: x.id, type: x.type ?? null, interactive: x.interactive ?? null, remoteAddress: x.remoteAddress ?? null, terminal: x.terminal ?? null, user: x.user ?? null };
}
