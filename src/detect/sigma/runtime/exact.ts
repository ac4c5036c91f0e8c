/**
 * Field tests the candidate index decides on its own: every value is a folded literal (anywhere, at
 * the start, at the end, or the whole value), so the test holds iff the index found one of its
 * literals where it must be. Their predicates ask the index of the record being matched instead of
 * matching strings.
 */
import type { FieldTest } from '../types.js';
import { exactLits, type FieldLit } from './require.js';

/** The index answering for the current record (the candidate index of its bucket). */
export interface ExactOracle { holds(t: number): boolean }

export class ExactTests {
  private readonly alls: boolean[] = [];
  /** per test, per value: its literal alternatives */
  private readonly values: FieldLit[][][] = [];
  /** set by the engine before predicates run on a record */
  current: ExactOracle | null = null;

  /** Registers a field test the index can decide; null when it cannot. */
  register(t: FieldTest): number | null {
    const lits = exactLits(t);
    if (!lits) return null;
    this.alls.push(t.all);
    this.values.push(lits);
    return this.values.length - 1;
  }

  /**
   * Registers a necessary condition of a value test (not exact): every list of alternatives must have
   * one present. Predicates use it to skip the matcher on records that cannot match.
   */
  registerAll(lits: FieldLit[][]): number {
    this.alls.push(true);
    this.values.push(lits);
    return this.values.length - 1;
  }

  get size(): number { return this.values.length; }
  isAll(t: number): boolean { return this.alls[t]; }
  /** Per value of test `t`, its literal alternatives. */
  valuesOf(t: number): FieldLit[][] { return this.values[t]; }

  /** True when test `t` holds on the current record. */
  holds(t: number): boolean { return (this.current as ExactOracle).holds(t); }
}
