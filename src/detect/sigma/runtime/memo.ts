/**
 * A bounded map from field values to the literal ids found in them. Values are long (command lines,
 * hash lists, paths) and come from a fresh JSON.parse each time, so a Map would hash every unit of
 * every value; here the slot comes from the length and a few sampled units, and the stored value is
 * compared whole (a byte compare) only on a slot hit. Equal strings always meet in the same slot
 * chain, so answers are exact; values crafted to collide only cost probes (the chain is bounded) and
 * evict each other.
 */

/** Slots (a power of two); at most half are expected in use before replacement starts. */
const SLOTS = 8192;
/** Slots probed from a value's home slot before the first one is overwritten. */
const PROBES = 8;

/** The home slot of `s`: its length and eight sampled units, mixed. */
function home(s: string): number {
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
  return (h ^ (h >>> 15)) & (SLOTS - 1);
}

export class ValueMemo {
  private readonly keys: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
  private readonly vals: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(SLOTS).fill(undefined);
  private used = 0;

  get size(): number { return this.used; }

  get(s: string): Int32Array | undefined {
    const keys = this.keys;
    for (let i = 0, h = home(s); i < PROBES; i++, h = (h + 1) & (SLOTS - 1)) {
      const k = keys[h];
      if (k === undefined) return undefined;
      if (k === s) return this.vals[h];
    }
    return undefined;
  }

  /** Stores `v` for `s` (call after a `get` miss): in the first free slot of its chain, else over the chain's first. */
  set(s: string, v: Int32Array): void {
    const keys = this.keys, h0 = home(s);
    for (let i = 0, h = h0; i < PROBES; i++, h = (h + 1) & (SLOTS - 1)) {
      if (keys[h] === undefined) { keys[h] = s; this.vals[h] = v; this.used++; return; }
    }
    keys[h0] = s;
    this.vals[h0] = v;
  }

  clear(): void {
    this.keys.fill(undefined);
    this.vals.fill(undefined);
    this.used = 0;
  }
}
