/** Messages between `serve`'s ingest thread and its detection thread (detect-thread.ts). */
import type { Diagnostic } from '../../core/index.js';
import type { DetectionCommit, StoredAlert } from '../../store/contract.js';
import type { DetectionStats } from './detection.js';

export type ToDetect =
  | { t: 'committed'; upTo: number }
  | { t: 'settle'; id: number }
  | { t: 'reload'; id: number }
  | { t: 'close'; id: number }
  | { t: 'committed-results'; id: number; fresh?: string[]; error?: string };

export type FromDetect =
  | { t: 'started'; stats: DetectionStats }
  | { t: 'alerts'; items: StoredAlert[] }
  | { t: 'diagnostic'; d: Diagnostic }
  | { t: 'stats'; stats: DetectionStats }
  | { t: 'reply'; id: number; value?: unknown; error?: string }
  | { t: 'failed'; error: string }
  | { t: 'commit'; id: number; r: DetectionCommit }
  | { t: 'snapshot'; id: number; seq: number; data: Uint8Array };
