/**
 * The bounds one deobfuscation runs under: wall-clock time, total output, emulation steps.
 * Every decoder checks it before doing work proportional to attacker input; exhausting it
 * stops decoding quietly (the layers found so far are kept), it never throws.
 */

export interface Limits {
  /** how many layers deep decoding may go (the input is depth 0) */
  maxDepth: number;
  /** total characters of decoded text kept over all layers */
  maxOutput: number;
  /** wall-clock budget in milliseconds (Infinity: none; the pipeline sets none, so output never depends on load) */
  maxMs: number;
}

export const DEFAULT_LIMITS: Limits = { maxDepth: 8, maxOutput: 256 * 1024, maxMs: 250 };

/** Emulated commands (cmd loop iterations, PowerShell evaluation nodes) per deobfuscation. */
const MAX_STEPS = 200_000;

export class Budget {
  private readonly deadline: number;
  private steps = 0;
  output = 0;
  exhausted = false;

  constructor(readonly limits: Limits) {
    this.deadline = Date.now() + limits.maxMs;
  }

  /** Counts n units of work; false once any bound is reached. */
  step(n = 1): boolean {
    if (this.exhausted) return false;
    this.steps += n;
    if (this.steps > MAX_STEPS || ((this.steps & 255) === 0 && Date.now() > this.deadline)) this.exhausted = true;
    return !this.exhausted;
  }

  /** Time left check without counting work. */
  ok(): boolean {
    if (!this.exhausted && Date.now() > this.deadline) this.exhausted = true;
    return !this.exhausted;
  }

  /** Bytes of output still allowed. */
  room(): number {
    return Math.max(0, this.limits.maxOutput - this.output);
  }
}
