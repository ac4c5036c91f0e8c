// A writer of small, valid EVTX files for unit tests: binary XML tokens, template instances with
// inline definitions, records, chunks and the file header, with correct checksums.
import { crc32 } from 'node:zlib';

const CHUNK = 0x10000;

/** A typed substitution value: type code and its bytes, or a writer (nested binary XML needs its position). */
export interface Val { type: number; bytes?: Buffer; write?: (w: ChunkWriter) => void }

/** Writes binary XML into a chunk buffer at chunk-relative positions (inline names need them). */
export class ChunkWriter {
  readonly buf = Buffer.alloc(CHUNK);
  pos = 512;
  private firstId = -1;
  private lastId = 0;
  private lastRecord = 512;

  u8(v: number): this { this.buf[this.pos++] = v; return this; }
  u16(v: number): this { this.buf.writeUInt16LE(v, this.pos); this.pos += 2; return this; }
  u32(v: number): this { this.buf.writeUInt32LE(v >>> 0, this.pos); this.pos += 4; return this; }
  bytes(b: Buffer): this { b.copy(this.buf, this.pos); this.pos += b.length; return this; }

  /** A name written inline (its offset is the current position after the offset field). */
  name(s: string): this {
    this.u32(this.pos + 4);
    this.u32(0).u16(0).u16(s.length);
    this.bytes(Buffer.from(s, 'utf16le')).u16(0);
    return this;
  }

  fragmentHeader(): this { return this.u8(0x0f).u8(1).u8(1).u8(0); }
  /** OpenStartElement; `dep` writes the dependency id (always inside templates). */
  open(name: string, hasAttrs: boolean, dep = true): this {
    this.u8(hasAttrs ? 0x41 : 0x01);
    if (dep) this.u16(0xffff);
    this.u32(0).name(name);
    if (hasAttrs) this.u32(0);
    return this;
  }
  attr(name: string): this { return this.u8(0x06).name(name); }
  text(s: string): this { return this.u8(0x05).u8(0x01).u16(s.length).bytes(Buffer.from(s, 'utf16le')); }
  subst(index: number, type: number, optional = false): this { return this.u8(optional ? 0x0e : 0x0d).u16(index).u8(type); }
  charRef(c: number): this { return this.u8(0x08).u16(c); }
  entityRef(name: string): this { return this.u8(0x09).name(name); }
  cdata(s: string): this { return this.u8(0x07).u16(s.length).bytes(Buffer.from(s, 'utf16le')); }
  closeStart(): this { return this.u8(0x02); }
  closeEmpty(): this { return this.u8(0x03); }
  end(): this { return this.u8(0x04); }
  eof(): this { return this.u8(0x00); }

  /** A template instance with an inline definition written by `def`, and its values. */
  instance(def: (w: ChunkWriter) => void, values: Val[], reuseOffset?: number): number {
    this.u8(0x0c).u8(1).u32(0x1234);
    const defOff = reuseOffset ?? this.pos + 4;
    this.u32(defOff);
    if (reuseOffset === undefined) {
      this.u32(0).bytes(Buffer.alloc(16, 0xab));
      const sizeAt = this.pos;
      this.u32(0);
      const start = this.pos;
      def(this);
      this.buf.writeUInt32LE(this.pos - start, sizeAt);
    }
    this.u32(values.length);
    const desc = this.pos;
    for (const v of values) this.u16(0).u8(v.type).u8(0);
    values.forEach((v, i) => {
      const start = this.pos;
      if (v.bytes) this.bytes(v.bytes);
      else v.write?.(this);
      this.buf.writeUInt16LE(this.pos - start, desc + i * 4);
    });
    return defOff;
  }

  /** A record: header, body written by `body`, size copy. */
  record(id: number, body: (w: ChunkWriter) => void): number {
    const at = this.pos;
    this.u32(0x00002a2a).u32(0);
    this.buf.writeBigUInt64LE(BigInt(id), this.pos);
    this.pos += 8;
    this.buf.writeBigUInt64LE(132000000000000000n, this.pos);
    this.pos += 8;
    body(this);
    this.pos += (8 - ((this.pos + 4 - at) % 8)) % 8;
    const size = this.pos + 4 - at;
    this.buf.writeUInt32LE(size, at + 4);
    this.u32(size);
    if (this.firstId < 0) this.firstId = id;
    this.lastId = id;
    this.lastRecord = at;
    return at;
  }

  /** Fills in the chunk header (ids, offsets, checksums) and returns the chunk. */
  finish(): Buffer {
    const b = this.buf;
    b.write('ElfChnk\0', 0, 'latin1');
    b.writeBigUInt64LE(BigInt(Math.max(this.firstId, 0)), 8);
    b.writeBigUInt64LE(BigInt(this.lastId), 16);
    b.writeBigUInt64LE(BigInt(Math.max(this.firstId, 0)), 24);
    b.writeBigUInt64LE(BigInt(this.lastId), 32);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.lastRecord, 44);
    b.writeUInt32LE(this.pos, 48);
    b.writeUInt32LE(crc32(b.subarray(512, this.pos)), 52);
    b.writeUInt32LE(crc32(b.subarray(128, 512), crc32(b.subarray(0, 120))), 124);
    return b;
  }
}

/** A file header for `chunks` chunks (flags: 1 dirty, 2 full) with a correct checksum. */
export function fileHeader(chunks: number, flags = 0): Buffer {
  const h = Buffer.alloc(0x1000);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(BigInt(Math.max(chunks - 1, 0)), 16);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(0x1000, 40);
  h.writeUInt16LE(chunks, 42);
  h.writeUInt32LE(flags, 120);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return h;
}

/** A whole file from finished chunks. */
export function evtxFile(chunks: Buffer[], flags = 0): Buffer {
  return Buffer.concat([fileHeader(chunks.length, flags), ...chunks]);
}

/** Value helpers. */
export const v = {
  str: (s: string): Val => ({ type: 0x01, bytes: Buffer.from(s, 'utf16le') }),
  u16: (n: number): Val => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return { type: 0x06, bytes: b }; },
  u8: (n: number): Val => ({ type: 0x04, bytes: Buffer.from([n]) }),
  u64: (n: bigint): Val => { const b = Buffer.alloc(8); b.writeBigUInt64LE(n); return { type: 0x0a, bytes: b }; },
  hex64: (n: bigint): Val => { const b = Buffer.alloc(8); b.writeBigUInt64LE(n); return { type: 0x15, bytes: b }; },
  u32: (n: number): Val => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return { type: 0x08, bytes: b }; },
  filetime: (ms: number): Val => { const b = Buffer.alloc(8); b.writeBigUInt64LE((BigInt(ms) + 11644473600000n) * 10000n); return { type: 0x11, bytes: b }; },
  raw: (type: number, bytes: Buffer): Val => ({ type, bytes }),
  nul: (): Val => ({ type: 0x00, bytes: Buffer.alloc(0) }),
};
