/**
 * Group commit for deliveries: every delivery that arrives while the store is busy (or in the same turn
 * of the event loop) is appended in one transaction, so many concurrent senders cost one fsync, not one
 * each. Still one writer: groups commit in arrival order, seqs reach the detection queue in store order,
 * and each delivery is answered only once its group is committed.
 */
import type { EventInput, Store } from '../../store/contract.js';

/** One delivery's outcome: its records' seqs, which of them are new, how many were already stored. */
export interface Written { seqs: number[]; fresh: boolean[]; duplicates: number }

interface Pending { inputs: EventInput[]; resolve(w: Written): void; reject(e: unknown): void }

/** most records appended in one transaction (a group stops growing there; a single larger delivery goes alone) */
const GROUP_RECORDS = 20_000;

export class GroupWriter {
  private readonly pending: Pending[] = [];
  private scheduled = false;
  private running: Promise<void> | undefined;
  /** records in deliveries not yet committed */
  waiting = 0;

  /**
   * `highest()`: the highest seq detection has been told of; `committed`: called for each delivery of a
   * group, in order, once it is durable (before its sender is answered).
   */
  constructor(private readonly store: Store, private readonly highest: () => number, private readonly committed: (w: Written) => void) {}

  write(inputs: EventInput[]): Promise<Written> {
    this.waiting += inputs.length;
    return new Promise<Written>((resolve, reject) => {
      this.pending.push({ inputs, resolve, reject });
      if (!this.scheduled && !this.running) {
        this.scheduled = true;
        // after the other deliveries of this turn of the event loop have been read: one group
        setImmediate(() => { this.scheduled = false; this.running = this.drain().finally(() => { this.running = undefined; }); });
      }
    });
  }

  /** Resolves once everything written so far is committed (or failed). */
  async idle(): Promise<void> {
    while (this.running || this.scheduled || this.pending.length) await (this.running ?? new Promise((r) => setImmediate(r)));
  }

  private async drain(): Promise<void> {
    while (this.pending.length) {
      const group = this.take();
      const all = group.flatMap((g) => g.inputs);
      try {
        const res = await this.store.appendEvents(all);
        this.settle(group, res.seqs);
      } catch (e) {
        for (const g of group) { this.waiting -= g.inputs.length; g.reject(e); }
      }
    }
  }

  private take(): Pending[] {
    const group: Pending[] = [this.pending.shift()!];
    let n = group[0].inputs.length;
    while (this.pending.length && n + this.pending[0].inputs.length <= GROUP_RECORDS) {
      n += this.pending[0].inputs.length;
      group.push(this.pending.shift()!);
    }
    return group;
  }

  /** A record is new when its seq is above every seq queued before it (the store returns the earlier seq of a duplicate). */
  private settle(group: Pending[], seqs: number[]): void {
    let high = this.highest();
    let at = 0;
    for (const g of group) {
      const mine = seqs.slice(at, at + g.inputs.length);
      at += g.inputs.length;
      const fresh = mine.map((s) => (s > high ? ((high = s), true) : false));
      const w: Written = { seqs: mine, fresh, duplicates: fresh.filter((f) => !f).length };
      this.waiting -= g.inputs.length;
      this.committed(w);
      g.resolve(w);
    }
  }
}
