/** Shared shapes of the cmd.exe emulator (kept apart so its files import no cycle). */
import type { Budget } from '../budget.js';
import type { CmdEnv, ExpandFlags } from './env.js';
import type { Seq } from './parse.js';

/** One decoded command text and the technique that hid it. */
export interface Unit { text: string; technique: string }

/** A cmd.exe process: its variables, /V state and what obfuscation it has seen. */
export interface Proc { env: CmdEnv; delayed: boolean; tech: Set<string> }

/** What one line ran: the commands it would have started, and whether it used SET/CALL/FOR/IF machinery. */
export interface LineRec { leaves: string[]; machinery: boolean }

/** The emulator's entry points, handed to FOR/IF so their file needs no import of the emulator. */
export interface Runner {
  runSeq(seq: Seq, ctx: Ctx, stdin: string[] | null): string[];
  runLine(pre: string, ctx: Ctx, origin: 'line' | 'call' | 'stdin' | 'child' | 'pipe', stdin?: string[] | null): string[];
  subst(text: string, ctx: Ctx, flags?: ExpandFlags): string;
  childCtx(ctx: Ctx, delayed: boolean): Ctx;
}

export interface Ctx {
  proc: Proc;
  forVars: Map<string, string>;
  budget: Budget;
  units: Unit[];
  depth: number;
  /** output is being captured (FOR /F command, left of a pipe into an interpreter): no units */
  capture: boolean;
  line: LineRec;
  run: Runner;
}
