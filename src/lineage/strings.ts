/**
 * Interned strings with reference counts, shared by every host table: an image path or a service's
 * command line seen 100 000 times is stored once, and freed when the last process using it is evicted.
 * Id 0 means "absent".
 */
export class StringPool {
  private readonly ids = new Map<string, number>();
  private readonly strs: (string | undefined)[] = [undefined];
  private refs = new Int32Array(1024);
  private readonly free: number[] = [];

  /** Takes a reference to `s`; returns its id (0 for an absent or empty string). */
  intern(s: string | undefined): number {
    if (!s) return 0;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.free.pop() ?? this.strs.length;
      if (id === this.strs.length) this.strs.push(s);
      else this.strs[id] = s;
      this.ids.set(s, id);
      if (id >= this.refs.length) {
        const r = new Int32Array(this.refs.length * 2);
        r.set(this.refs);
        this.refs = r;
      }
    }
    this.refs[id]++;
    return id;
  }

  /** Drops one reference; the string is forgotten when none is left. */
  release(id: number): void {
    if (id === 0) return;
    if (--this.refs[id] === 0) {
      this.ids.delete(this.strs[id]!);
      this.strs[id] = undefined;
      this.free.push(id);
    }
  }

  get(id: number): string | undefined {
    return id === 0 ? undefined : this.strs[id];
  }

  get size(): number {
    return this.ids.size;
  }
}
