/**
 * Binary XML value types and their rendering as strings, the way Windows renders them in event XML
 * (docs/evtx.md lists every choice). All functions read from a chunk buffer at [off, off+size).
 */

/** Value type codes of the binary XML format (libevtx documentation). */
export const T = {
  Null: 0x00,
  String: 0x01,
  Ansi: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SysTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
  ArrayFlag: 0x80,
} as const;

/** Fixed element sizes for array splitting; 0 = variable. */
const FIXED: Record<number, number> = {
  [T.Int8]: 1, [T.UInt8]: 1, [T.Int16]: 2, [T.UInt16]: 2, [T.Int32]: 4, [T.UInt32]: 4,
  [T.Int64]: 8, [T.UInt64]: 8, [T.Real32]: 4, [T.Real64]: 8, [T.Bool]: 4, [T.Guid]: 16,
  [T.FileTime]: 8, [T.SysTime]: 16, [T.HexInt32]: 4, [T.HexInt64]: 8,
};

const HEX = '0123456789ABCDEF';

/** Reused char-code arrays, one per length 0..16 (short UTF-16 strings are decoded in JS). */
const CODES: number[][] = Array.from({ length: 17 }, (_, n) => new Array<number>(n).fill(0));
/** Char codes of one GUID as rendered: {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} (38 characters). */
const GUID_CODES: number[] = new Array<number>(38).fill(0);
/** The byte order of a GUID's rendering, and where the dashes and braces go. */
const GUID_BYTES = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];

const u32 = (b: Buffer, o: number): number => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;

/** Decodes UTF-16LE, dropping trailing NULs; short ASCII-only strings avoid the native call. */
export function utf16(b: Buffer, off: number, end: number): string {
  while (end - off >= 2 && b[end - 2] === 0 && b[end - 1] === 0) end -= 2;
  if ((end - off) & 1) end--;
  const n = (end - off) >> 1;
  if (n <= 0) return '';
  if (n <= 16) {
    // one flat string from a reused array of char codes, not n growing concatenations
    const codes = CODES[n];
    for (let i = 0, j = off; i < n; i++, j += 2) {
      const c = b[j] | (b[j + 1] << 8);
      if (c >= 0xd800 && c <= 0xdfff) return b.toString('utf16le', off, end);
      codes[i] = c;
    }
    return String.fromCharCode.apply(null, codes);
  }
  return b.toString('utf16le', off, end);
}

/** Milliseconds since the Unix epoch of a FILETIME (100 ns ticks since 1601), exact to the ms. */
export function filetimeMs(b: Buffer, o: number): number {
  const lo = u32(b, o);
  const hi = u32(b, o + 4);
  // 2^32 = 429496 * 10000 + 7296, so the division stays exact in doubles
  return hi * 429496 + Math.floor((hi * 7296 + lo) / 10000) - 11644473600000;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** ISO 8601 with 100 ns precision (7 fractional digits), as Windows renders FILETIME. */
export function filetimeIso(b: Buffer, o: number): string {
  const lo = u32(b, o);
  const hi = u32(b, o + 4);
  const ms = filetimeMs(b, o);
  const ticks = (hi * 7296 + lo) % 10000; // sub-millisecond ticks
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return '';
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${pad(ticks, 4)}Z`;
}

function sysTimeIso(b: Buffer, o: number): string {
  const r = (i: number): number => b[o + i] | (b[o + i + 1] << 8);
  return `${pad(r(0), 4)}-${pad(r(2), 2)}-${pad(r(6), 2)}T${pad(r(8), 2)}:${pad(r(10), 2)}:${pad(r(12), 2)}.${pad(r(14), 3)}Z`;
}

function hexUpper(b: Buffer, off: number, end: number): string {
  return b.toString('hex', off, end).toUpperCase();
}

function guid(b: Buffer, o: number): string {
  const out = GUID_CODES;
  out[0] = 0x7b; // {
  let k = 1;
  for (let i = 0; i < GUID_BYTES.length; i++) {
    const at = GUID_BYTES[i];
    if (at < 0) { out[k++] = 0x2d; continue; } // -
    const v = b[o + at];
    out[k++] = HEX.charCodeAt(v >> 4);
    out[k++] = HEX.charCodeAt(v & 15);
  }
  out[k] = 0x7d; // }
  return String.fromCharCode.apply(null, out);
}

/** Recently rendered SIDs (a log repeats a handful: SYSTEM, LOCAL SERVICE, its users). */
const RECENT_SIDS: { bytes: Buffer; text: string }[] = [];
let nextSid = 0;

function sid(b: Buffer, off: number, end: number): string {
  if (end - off < 8) return hexUpper(b, off, end);
  for (const r of RECENT_SIDS) if (r.bytes.length === end - off && r.bytes.compare(b, off, end) === 0) return r.text;
  const bytes = Buffer.alloc(end - off);
  b.copy(bytes, 0, off, end);
  const text = sidText(b, off, end);
  RECENT_SIDS[nextSid] = { bytes, text };
  nextSid = (nextSid + 1) % 8;
  return text;
}

function sidText(b: Buffer, off: number, end: number): string {
  const count = b[off + 1];
  let auth = 0;
  for (let i = 2; i < 8; i++) auth = auth * 256 + b[off + i];
  let s = `S-${b[off]}-${auth}`;
  for (let i = 0; i < count && off + 8 + i * 4 + 4 <= end; i++) s += `-${u32(b, off + 8 + i * 4)}`;
  return s;
}

function u64Str(b: Buffer, o: number): string {
  const hi = u32(b, o + 4);
  if (hi === 0) return String(u32(b, o));
  return b.readBigUInt64LE(o).toString();
}

/** The last 64-bit hex value rendered (Keywords: the same on every record of a channel). */
let lastHi = -1;
let lastLo = -1;
let lastHex = '';

function hex64(b: Buffer, o: number): string {
  const hi = u32(b, o + 4);
  const lo = u32(b, o);
  if (hi === lastHi && lo === lastLo) return lastHex;
  lastHi = hi;
  lastLo = lo;
  lastHex = hi === 0 ? '0x' + lo.toString(16) : '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
  return lastHex;
}

/** Renders one scalar value of `type` (array flag clear) as a string. */
export function renderScalar(b: Buffer, type: number, off: number, size: number): string {
  const end = off + size;
  const need = FIXED[type];
  if (need !== undefined && size < need) return hexUpper(b, off, end);
  switch (type) {
    case T.Null: return '';
    case T.String: return utf16(b, off, end);
    case T.Ansi: {
      let e = end;
      while (e > off && b[e - 1] === 0) e--;
      return b.toString('latin1', off, e);
    }
    case T.Int8: return String((b[off] << 24) >> 24);
    case T.UInt8: return String(b[off]);
    case T.Int16: return String(((b[off] | (b[off + 1] << 8)) << 16) >> 16);
    case T.UInt16: return String(b[off] | (b[off + 1] << 8));
    case T.Int32: return String(b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24));
    case T.UInt32: return String(u32(b, off));
    case T.Int64: return b.readBigInt64LE(off).toString();
    case T.UInt64: return u64Str(b, off);
    case T.Real32: return String(b.readFloatLE(off));
    case T.Real64: return String(b.readDoubleLE(off));
    case T.Bool: return u32(b, off) !== 0 ? 'true' : 'false';
    case T.Guid: return guid(b, off);
    case T.SizeT: return size >= 8 ? hex64(b, off) : size >= 4 ? '0x' + u32(b, off).toString(16) : hexUpper(b, off, end);
    case T.FileTime: return filetimeIso(b, off);
    case T.SysTime: return sysTimeIso(b, off);
    case T.Sid: return sid(b, off, end);
    case T.HexInt32: return '0x' + u32(b, off).toString(16);
    case T.HexInt64: return hex64(b, off);
    default: return hexUpper(b, off, end); // Binary, EvtHandle, EvtXml and unknown types
  }
}

/** Renders an array value (type has the 0x80 flag) as a list of strings. */
export function renderArray(b: Buffer, type: number, off: number, size: number): string[] {
  const base = type & 0x7f;
  const end = off + size;
  const out: string[] = [];
  if (base === T.String) {
    let start = off;
    for (let i = off; i + 1 < end; i += 2) {
      if (b[i] === 0 && b[i + 1] === 0) {
        out.push(b.toString('utf16le', start, i));
        start = i + 2;
      }
    }
    if (start + 1 < end) out.push(utf16(b, start, end));
    return out;
  }
  if (base === T.Ansi) {
    let start = off;
    for (let i = off; i < end; i++) {
      if (b[i] === 0) {
        out.push(b.toString('latin1', start, i));
        start = i + 1;
      }
    }
    if (start < end) out.push(b.toString('latin1', start, end));
    return out;
  }
  const w = base === T.SizeT ? 8 : FIXED[base];
  if (!w) return [hexUpper(b, off, end)];
  for (let o = off; o + w <= end; o += w) out.push(renderScalar(b, base, o, w));
  return out;
}
