/**
 * One host's processes in struct-of-arrays form: a process costs about 100 bytes of typed arrays plus
 * its share of interned strings, instead of a JS object graph (a million processes fit in ~150 MB).
 * Slots are handed out in start order and reused oldest-first once `max` are live, so eviction is a
 * slot reuse; a slot's generation counter makes stale parent and pid-chain links detectable.
 */
import { baseName, type ProcessInfo } from '../core/index.js';
import type { StringPool } from './strings.js';

const NONE = 0xffffffff;
type Arr = Float64Array | Float32Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

/** 128 bits of a process guid: Sysmon's hex GUID, or a hash of any other entity id. */
export function guidWords(g: string, out: Uint32Array): boolean {
  if (hexGuidWords(g, out)) return true;
  const s = g.toLowerCase();
  for (let k = 0; k < 4; k++) {
    let h = (0x811c9dc5 ^ (k * 0x9e3779b9)) >>> 0;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    out[k] = h;
  }
  return false;
}

/** Exactly 32 hex digits once braces and dashes are dropped: their four 32-bit words (read in place). */
function hexGuidWords(g: string, out: Uint32Array): boolean {
  let digits = 0;
  let w = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g.charCodeAt(i);
    if (c === 0x7b || c === 0x7d || c === 0x2d) continue; // { } -
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0 || digits === 32) return false;
    w = w * 16 + d;
    if ((++digits & 7) === 0) { out[(digits >> 3) - 1] = w >>> 0; w = 0; }
  }
  return digits === 32;
}

export class HostTable {
  cap = 0;
  /** processes ever added; slot of the n-th is n % max once the table is full */
  total = 0;
  /** slot generation (wraps at 65 536 reuses: a stale link would have to outlive that many) */
  gen = new Uint16Array(0);
  uid = new Uint32Array(0);
  pid = new Uint32Array(0);
  start = new Float64Array(0);
  /** seconds from start to exit, NaN while running */
  life = new Float32Array(0);
  parent = new Int32Array(0);
  parentGen = new Uint16Array(0);
  image = new Int32Array(0);
  cmd = new Int32Array(0);
  user = new Int32Array(0);
  g0 = new Uint32Array(0); g1 = new Uint32Array(0); g2 = new Uint32Array(0); g3 = new Uint32Array(0);
  hasGuid = new Uint8Array(0);
  /** the parent as this process's own start event named it */
  ppid = new Uint32Array(0);
  pimage = new Int32Array(0);
  pcmd = new Int32Array(0);
  /** previous (older) process with the same pid, and its generation */
  prevPid = new Int32Array(0);
  prevPidGen = new Uint16Array(0);
  // open-addressing indexes: pid → newest slot; guid → slot
  private pidKeys = new Uint32Array(0);
  private pidVals = new Int32Array(0);
  private pidUsed = 0;
  private guidVals = new Int32Array(0);
  private guidUsed = 0;
  private readonly w = new Uint32Array(4);

  constructor(private readonly max: number, private readonly pool: StringPool) {}

  /** A slot for a new process: the next free one, or the oldest live one (evicted first). */
  allocate(onEvict: () => void): number {
    if (this.total < this.cap) return this.total++;
    if (this.cap < this.max) {
      this.grow(Math.min(this.max, Math.max(64, this.cap * 2)));
      return this.total++;
    }
    const slot = this.total++ % this.max;
    this.evict(slot);
    onEvict();
    return slot;
  }

  private grow(n: number): void {
    const fields = ['gen', 'uid', 'pid', 'start', 'life', 'parent', 'parentGen', 'image', 'cmd', 'user', 'g0', 'g1', 'g2', 'g3', 'hasGuid', 'ppid', 'pimage', 'pcmd', 'prevPid', 'prevPidGen'] as const;
    for (const f of fields) {
      const old = this[f] as Arr;
      const next = new (old.constructor as new (n: number) => Arr)(n);
      next.set(old);
      (this as unknown as Record<string, Arr>)[f] = next;
    }
    this.cap = n;
    this.rehashPids(n * 2);
    this.rehashGuids(n * 2);
  }

  private evict(s: number): void {
    for (const id of [this.image[s], this.cmd[s], this.user[s], this.pimage[s], this.pcmd[s]]) this.pool.release(id);
    if (this.hasGuid[s]) this.guidDelete(s);
    const p = this.pid[s];
    if (p !== NONE) {
      const i = this.pidFind(p);
      if (i >= 0 && this.pidVals[i] === s) this.pidVals[i] = -1; // the oldest of its pid: nothing older is live
    }
    this.gen[s] = (this.gen[s] + 1) & 0xffff;
  }

  /** Lets go of every process's strings (the host's state is being evicted). */
  releaseAll(): void {
    const n = Math.min(this.total, this.cap);
    for (let s = 0; s < n; s++) for (const id of [this.image[s], this.cmd[s], this.user[s], this.pimage[s], this.pcmd[s]]) this.pool.release(id);
    this.total = 0;
  }

  /** Fills slot `s` with a process. */
  fill(s: number, uid: number, p: ProcessInfo, at: number, parentSlot: number, named: ProcessInfo): void {
    this.uid[s] = uid;
    this.start[s] = at;
    this.life[s] = NaN;
    this.parent[s] = parentSlot;
    this.parentGen[s] = parentSlot >= 0 ? this.gen[parentSlot] : 0;
    this.image[s] = this.pool.intern(p.image);
    this.cmd[s] = this.pool.intern(p.commandLine);
    this.user[s] = this.pool.intern(p.user);
    const linked = parentSlot >= 0;
    this.ppid[s] = !linked && named.pid !== undefined ? named.pid >>> 0 : NONE;
    this.pimage[s] = linked ? 0 : this.pool.intern(named.image);
    this.pcmd[s] = linked ? 0 : this.pool.intern(named.commandLine);
    this.hasGuid[s] = 0;
    if (p.guid) this.setGuid(s, p.guid);
    this.pid[s] = p.pid === undefined ? NONE : p.pid >>> 0;
    this.prevPid[s] = -1;
    if (p.pid !== undefined) this.pidInsert(s);
  }

  /** Fills what slot `s` lacks from another source's view of the same process. */
  complete(s: number, p: ProcessInfo): void {
    if (!this.cmd[s] && p.commandLine) this.cmd[s] = this.pool.intern(p.commandLine);
    if (!this.user[s] && p.user) this.user[s] = this.pool.intern(p.user);
    if (!this.hasGuid[s] && p.guid) this.setGuid(s, p.guid);
  }

  /** Records that the process in slot `s` exited at `at`. */
  exit(s: number, at: number): void {
    this.life[s] = Math.max(0, (at - this.start[s]) / 1000);
  }

  live(s: number, gen: number): boolean {
    return s >= 0 && s < this.cap && this.gen[s] === gen && s < this.total;
  }

  parentOf(s: number): number {
    const p = this.parent[s];
    return p >= 0 && this.gen[p] === this.parentGen[s] ? p : -1;
  }

  setParent(s: number, p: number): void {
    this.parent[s] = p;
    this.parentGen[s] = this.gen[p];
    this.pool.release(this.pimage[s]);
    this.pool.release(this.pcmd[s]);
    this.pimage[s] = this.pcmd[s] = 0;
    this.ppid[s] = NONE;
  }

  info(s: number): ProcessInfo {
    const o: ProcessInfo = {};
    if (this.pid[s] !== NONE) o.pid = this.pid[s];
    if (this.hasGuid[s] === 1) o.guid = guidText(this.g0[s], this.g1[s], this.g2[s], this.g3[s]);
    const image = this.pool.get(this.image[s]), cmd = this.pool.get(this.cmd[s]), user = this.pool.get(this.user[s]);
    if (image) o.image = image;
    if (cmd) o.commandLine = cmd;
    if (user) o.user = user;
    if (this.start[s]) o.startMs = this.start[s];
    return o;
  }

  /** The parent as the process's own event named it, when it was not found in the table. */
  namedParent(s: number): ProcessInfo | undefined {
    const o: ProcessInfo = {};
    if (this.ppid[s] !== NONE) o.pid = this.ppid[s];
    const image = this.pool.get(this.pimage[s]), cmd = this.pool.get(this.pcmd[s]);
    if (image) o.image = image;
    if (cmd) o.commandLine = cmd;
    return o.pid !== undefined || o.image ? o : undefined;
  }

  /** The newest live process that held `pid` at time `at` (± skew) and whose image name agrees. */
  byPid(pid: number, at: number, skew: number, image: string | undefined, guidOf?: string): number {
    const i = this.pidFind(pid >>> 0);
    if (i < 0) return -1;
    const name = baseName(image);
    const when = Number.isFinite(at) ? at : Infinity;
    for (let s = this.pidVals[i], g = s >= 0 ? this.gen[s] : 0; s >= 0 && this.gen[s] === g; g = this.prevPidGen[s], s = this.prevPid[s]) {
      if (this.start[s] > when + skew) continue;
      if (!Number.isNaN(this.life[s]) && this.start[s] + this.life[s] * 1000 + skew < when) continue;
      if (name && this.image[s] && baseName(this.pool.get(this.image[s])) !== name) continue;
      if (guidOf && this.hasGuid[s]) {
        guidWords(guidOf, this.w);
        if (!this.sameGuid(s)) continue;
      }
      return s;
    }
    return -1;
  }

  byGuid(g: string): number {
    if (!this.cap) return -1;
    guidWords(g, this.w);
    const mask = this.guidVals.length - 1;
    for (let i = this.guidHash() & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
      const s = this.guidVals[i];
      if (s === -1) return -1;
      if (s >= 0 && this.sameGuid(s)) return s;
    }
    return -1;
  }

  private sameGuid(s: number): boolean {
    return this.g0[s] === this.w[0] && this.g1[s] === this.w[1] && this.g2[s] === this.w[2] && this.g3[s] === this.w[3];
  }
  private guidHash(): number {
    return Math.imul(this.w[0] ^ this.w[3], 0x9e3779b1) ^ this.w[1] ^ (this.w[2] >>> 7);
  }

  private setGuid(s: number, g: string): void {
    // 1: a hex GUID we can render back; 2: another entity id, kept as a hash for lookups only
    this.hasGuid[s] = guidWords(g, this.w) ? 1 : 2;
    this.g0[s] = this.w[0]; this.g1[s] = this.w[1]; this.g2[s] = this.w[2]; this.g3[s] = this.w[3];
    if (this.guidUsed * 2 >= this.guidVals.length) this.rehashGuids(this.guidVals.length * 2);
    const mask = this.guidVals.length - 1;
    let i = this.guidHash() & mask;
    while (this.guidVals[i] >= 0) i = (i + 1) & mask;
    if (this.guidVals[i] === -1) this.guidUsed++;
    this.guidVals[i] = s;
  }

  private guidDelete(s: number): void {
    this.w[0] = this.g0[s]; this.w[1] = this.g1[s]; this.w[2] = this.g2[s]; this.w[3] = this.g3[s];
    const mask = this.guidVals.length - 1;
    for (let i = this.guidHash() & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
      if (this.guidVals[i] === -1) return;
      if (this.guidVals[i] === s) { this.guidVals[i] = -2; return; } // tombstone
    }
  }

  private rehashGuids(n: number): void {
    let size = 64;
    while (size < n) size *= 2;
    this.guidVals = new Int32Array(size).fill(-1);
    this.guidUsed = 0;
    const live = Math.min(this.total, this.cap);
    for (let s = 0; s < live; s++) {
      if (!this.hasGuid[s]) continue;
      this.w[0] = this.g0[s]; this.w[1] = this.g1[s]; this.w[2] = this.g2[s]; this.w[3] = this.g3[s];
      let i = this.guidHash() & (size - 1);
      while (this.guidVals[i] !== -1) i = (i + 1) & (size - 1);
      this.guidVals[i] = s;
      this.guidUsed++;
    }
  }

  private pidFind(pid: number): number {
    if (!this.pidKeys.length) return -1;
    const mask = this.pidKeys.length - 1;
    for (let i = Math.imul(pid, 0x9e3779b1) >>> 0 & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
      if (this.pidKeys[i] === pid) return i;
      if (this.pidKeys[i] === NONE) return -1;
    }
    return -1;
  }

  private pidInsert(s: number): void {
    const pid = this.pid[s];
    let i = this.pidFind(pid);
    if (i < 0) {
      if ((this.pidUsed + 1) * 2 > this.pidKeys.length) this.rehashPids(this.pidKeys.length * 2);
      const mask = this.pidKeys.length - 1;
      i = Math.imul(pid, 0x9e3779b1) >>> 0 & mask;
      while (this.pidKeys[i] !== NONE) i = (i + 1) & mask;
      this.pidKeys[i] = pid;
      this.pidVals[i] = -1;
      this.pidUsed++;
    }
    const head = this.pidVals[i];
    this.prevPid[s] = head;
    this.prevPidGen[s] = head >= 0 ? this.gen[head] : 0;
    this.pidVals[i] = s;
  }

  /** Rebuilds the pid index with live pids only (stale keys of evicted processes are dropped). */
  private rehashPids(n: number): void {
    let size = 64;
    while (size < n) size *= 2;
    const oldKeys = this.pidKeys, oldVals = this.pidVals;
    this.pidKeys = new Uint32Array(size).fill(NONE);
    this.pidVals = new Int32Array(size).fill(-1);
    this.pidUsed = 0;
    for (let j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] === NONE || oldVals[j] < 0) continue;
      let i = Math.imul(oldKeys[j], 0x9e3779b1) >>> 0 & (size - 1);
      while (this.pidKeys[i] !== NONE) i = (i + 1) & (size - 1);
      this.pidKeys[i] = oldKeys[j];
      this.pidVals[i] = oldVals[j];
      this.pidUsed++;
    }
  }

  /** Bytes held by this table's typed arrays and indexes. */
  bytes(): number {
    let n = 0;
    for (const v of Object.values(this)) if (ArrayBuffer.isView(v) && v !== this.w) n += (v as Arr).byteLength;
    return n;
  }
}

const HEX = '0123456789ABCDEF';
/** Char codes of one GUID being written (reused: one flat string per GUID, no pieces). */
const GUID_CODES: number[] = new Array<number>(38).fill(0);

/** Writes the `digits` low hex digits of `n` (upper case) at `at`. */
function putHex(n: number, digits: number, at: number): void {
  for (let i = digits - 1; i >= 0; i--, n >>>= 4) GUID_CODES[at + i] = HEX.charCodeAt(n & 15);
}

/** `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` from the four 32-bit words of a GUID. */
function guidText(w0: number, w1: number, w2: number, w3: number): string {
  const c = GUID_CODES;
  c[0] = 0x7b; // {
  putHex(w0, 8, 1);
  c[9] = c[14] = c[19] = c[24] = 0x2d; // -
  putHex(w1 >>> 16, 4, 10);
  putHex(w1 & 0xffff, 4, 15);
  putHex(w2 >>> 16, 4, 20);
  putHex(w2 & 0xffff, 4, 25);
  putHex(w3, 8, 29);
  c[37] = 0x7d; // }
  return String.fromCharCode.apply(null, c);
}
