/** Per-record evaluation state: field values and their case-folded text, each computed once per view. */
import type { RawRecord } from '../../../core/index.js';
import { allValues, formatOf, makeGetter, type Getter } from './fields.js';
import type { Pipelines, View } from './pipeline.js';
import type { ValueCtx } from './values.js';

/** Field names → dense slots, shared by every rule of an engine. */
export class FieldSpace {
  private readonly slots = new Map<string, number>();
  readonly names: string[] = [];
  slot(name: string): number {
    let s = this.slots.get(name);
    if (s === undefined) { s = this.names.length; this.slots.set(name, s); this.names.push(name); }
    return s;
  }
}

export class Frame implements ValueCtx {
  rec!: RawRecord;
  /** the engine's record counter when this frame was last reset */
  recNo = -1;
  private getters: Getter[] = [];
  private readonly getterTables = new Map<string, Getter[]>();
  private view: View | null = null;
  /** the record format the getters were chosen for ('' before the first record) */
  private format = '';
  private gen = 0;
  private stamps = new Int32Array(64);
  private lowStamps = new Int32Array(64);
  private vals: unknown[] = [];
  private lows: (string | undefined)[] = [];
  private kw: unknown[] | null = null;

  constructor(private readonly p: Pipelines, private readonly space: FieldSpace) {}

  /** Points the frame at a record seen through a view; clears the caches. */
  reset(rec: RawRecord, view: View | null): void {
    this.rec = rec;
    if (view !== this.view || rec.format !== this.format) {
      this.view = view;
      this.format = rec.format;
      const key = `${view?.id ?? -1}\u0001${rec.format}`;
      let t = this.getterTables.get(key);
      if (!t) { t = []; this.getterTables.set(key, t); }
      this.getters = t;
    }
    this.gen++;
    this.kw = null;
    if (this.stamps.length < this.space.names.length) {
      this.stamps = new Int32Array(this.space.names.length * 2);
      this.lowStamps = new Int32Array(this.space.names.length * 2);
    }
  }

  get(slot: number): unknown {
    if (this.stamps[slot] === this.gen) return this.vals[slot];
    let g = this.getters[slot];
    if (!g) g = this.getters[slot] = makeGetter(this.p, this.view, formatOf(this.p, this.rec.format), this.space.names[slot]);
    const v = g(this.rec);
    this.vals[slot] = v;
    this.stamps[slot] = this.gen;
    return v;
  }

  lower(slot: number): string | undefined {
    if (this.lowStamps[slot] === this.gen) return this.lows[slot];
    const v = this.get(slot);
    const l = typeof v === 'string' ? v.toLowerCase() : undefined;
    this.lows[slot] = l;
    this.lowStamps[slot] = this.gen;
    return l;
  }

  field(name: string): unknown { return this.get(this.space.slot(name)); }

  /** Every leaf value of the record (keyword searches). */
  keywords(): unknown[] { return (this.kw ??= allValues(this.rec.data)); }
}
