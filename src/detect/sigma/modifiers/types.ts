/** The modifier contract: every Sigma value modifier is one object implementing `Modifier`, one per file. */
import type { GlobPart, TimePart, ValueTest } from '../types.js';

/** A value on its way through the modifier chain. */
export type Val =
  /** the YAML scalar as written (strings not yet wildcard-parsed) */
  | { k: 'raw'; v: string | number | boolean | null }
  | { k: 'str'; parts: GlobPart[] }
  | { k: 'bytes'; b: Uint8Array }
  | { k: 'test'; test: ValueTest };

/** Flags a modifier may set for the whole field item. */
export interface ModState {
  all: boolean;
  cased: boolean;
  neq: boolean;
  timePart?: TimePart;
  placeholders: Record<string, string[]>;
}

/** Thrown for an invalid modifier use; the compiler turns it into an SW4001 diagnostic. */
export class ModifierError extends Error {}

export interface Modifier {
  name: string;
  /** transforms every value of the item (may expand one value into several) */
  apply(vals: Val[], st: ModState): Val[];
}
