/**
 * A bounded map from field values to the literal ids found in them. Values are long (command lines,
 * hash lists, paths) and come from a fresh JSON.parse each time, so a Map would hash every unit of
 * every value; here the slot comes from the length and a few sampled units, and the stored value is
 * compared whole (a byte compare) only on a slot hit. Equal strings always meet in the same slot
 * chain, so answers are exact; values crafted to collide only cost probes (the chain is bounded) and
 * evict each other.
 *
 * Two generations: when the current one is full it becomes the old one (the previous old one is
 * dropped) and a hit in the old one moves the value back. Clearing everything at the bound thrashed
 * when a field's working set was a little larger than the bound (the bench's 4,494 distinct command
 * lines against 4,096 values: 31% hits; kept in two generations: 87%).
 */

/** Most slots per table (a power of two); at most half are expected in use before replacement starts. */
const SLOTS = 8192;
/** Slots of a new table: fields with few distinct values (integrity levels, users) keep a small one. */
const FIRST_SLOTS = 64;
/** Values per generation (a table is at most half full). */
export const GEN_VALUES = SLOTS / 2;
/** Code units of values per generation (≤ 1 MB of text per generation, 2 MB per field). */
export const GEN_UNITS = 1 << 19;
/** Slots probed from a value's home slot before the first one is overwritten. */
const PROBES = 8;

/** The home slot of `s`: its length and eight sampled units, mixed. */
function home(s: string, mask: number): number {
  const n = s.length;
  let h = Math.imul(n, 0x9e3779b1);
  if (n > 0) {
    const q = n >> 2, e = n >> 3;
    h = Math.imul(h ^ s.charCodeAt(0), 0x85ebca6b);
    h = Math.imul(h ^ s.charCodeAt(n - 1), 0xc2b2ae35);
    h = Math.imul(h ^ s.charCodeAt(n >> 1), 0x27d4eb2f);
    h = Math.imul(h ^ s.charCodeAt(q), 0x165667b1);
    h = Math.imul(h ^ s.charCodeAt(n - 1 - q), 0x9e3779b1);
    h = Math.imul(h ^ s.charCodeAt(e), 0x85ebca6b);
    h = Math.imul(h ^ s.charCodeAt(n - 1 - e), 0xc2b2ae35);
    h = Math.imul(h ^ s.charCodeAt(q + e), 0x27d4eb2f);
  }
  return (h ^ (h >>> 15)) & mask;
}

/** One generation: an open-addressed table that doubles up to SLOTS, then replaces the heads of full chains. */
class Table {
  private keys: (string | undefined)[] = new Array<string | undefined>(FIRST_SLOTS).fill(undefined);
  private vals: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(FIRST_SLOTS).fill(undefined);
  private mask = FIRST_SLOTS - 1;
  used = 0;

  get(s: string): Int32Array | undefined {
    const keys = this.keys, mask = this.mask;
    for (let i = 0, h = home(s, mask); i < PROBES; i++, h = (h + 1) & mask) {
      const k = keys[h];
      if (k === undefined) return undefined;
      if (k === s) return this.vals[h];
    }
    return undefined;
  }

  /** Stores `v` for `s` (not present): in the first free slot of its chain, else over the chain's first. */
  set(s: string, v: Int32Array): void {
    if (2 * this.used >= this.mask + 1 && this.mask + 1 < SLOTS) this.grow();
    const keys = this.keys, mask = this.mask, h0 = home(s, mask);
    for (let i = 0, h = h0; i < PROBES; i++, h = (h + 1) & mask) {
      if (keys[h] === undefined) { keys[h] = s; this.vals[h] = v; this.used++; return; }
    }
    keys[h0] = s;
    this.vals[h0] = v;
  }

  private grow(): void {
    const keys = this.keys, vals = this.vals, n = 2 * (this.mask + 1);
    this.keys = new Array<string | undefined>(n).fill(undefined);
    this.vals = new Array<Int32Array | undefined>(n).fill(undefined);
    this.mask = n - 1;
    this.used = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== undefined) this.set(keys[i] as string, vals[i] as Int32Array);
  }

  /** Empties the table (it keeps its size: the field's values are as varied as before). */
  clear(): void {
    this.keys.fill(undefined);
    this.vals.fill(undefined);
    this.used = 0;
  }
}

export class ValueMemo {
  private cur = new Table();
  private old = new Table();
  /** code units of the values stored in the current generation */
  private units = 0;

  constructor(private readonly maxValues = GEN_VALUES, private readonly maxUnits = GEN_UNITS) {}

  get size(): number { return this.cur.used + this.old.used; }

  get(s: string): Int32Array | undefined {
    const v = this.cur.get(s);
    if (v !== undefined) return v;
    const o = this.old.get(s);
    // still in use: back into the current generation, so it outlives the old one
    if (o !== undefined) this.set(s, o);
    return o;
  }

  /** Stores `v` for `s` (call after a `get` miss); a full current generation becomes the old one first. */
  set(s: string, v: Int32Array): void {
    if (this.cur.used >= this.maxValues || this.units + s.length > this.maxUnits) {
      const t = this.old;
      t.clear();
      this.old = this.cur;
      this.cur = t;
      this.units = 0;
    }
    this.cur.set(s, v);
    this.units += s.length;
  }

  clear(): void {
    this.cur.clear();
    this.old.clear();
    this.units = 0;
  }
}
