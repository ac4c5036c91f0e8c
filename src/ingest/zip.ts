/**
 * Zip archives: every file entry becomes an Input named `archive.zip!entry`. A small reader of our
 * own rather than a library, because real exports are often slightly off-spec (a wrong comment
 * length in the end record, as in OTRF's apt29 zips) and a responder still needs their contents.
 * Supports stored and deflated entries and ZIP64 sizes/offsets; encrypted entries are reported.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip, createInflateRaw } from 'node:zlib';
import { diag } from '../core/index.js';
import { limited, type Expanded } from './streams.js';

interface Entry { name: string; method: number; flags: number; csize: number; usize: number; localOffset: number }

const EOCD = 0x06054b50, EOCD64_LOC = 0x07064b50, EOCD64 = 0x06064b50, CDH = 0x02014b50, LFH = 0x04034b50;

async function readAt(fh: fs.FileHandle, pos: number, len: number): Promise<Buffer> {
  const b = Buffer.alloc(len);
  const { bytesRead } = await fh.read(b, 0, len, pos);
  return b.subarray(0, bytesRead);
}

/** Finds the central directory: the last end-of-central-directory record, tolerant of its comment. */
async function centralDirectory(fh: fs.FileHandle, size: number): Promise<{ offset: number; length: number; count: number }> {
  const tail = Math.min(size, 65557 + 20);
  const buf = await readAt(fh, size - tail, tail);
  for (let i = buf.length - 22; i >= 0; i--) {
    if (buf.readUInt32LE(i) !== EOCD) continue;
    let count = buf.readUInt16LE(i + 10);
    let length = buf.readUInt32LE(i + 12);
    let offset = buf.readUInt32LE(i + 16);
    if ((offset === 0xffffffff || count === 0xffff) && i >= 20 && buf.readUInt32LE(i - 20) === EOCD64_LOC) {
      const pos = Number(buf.readBigUInt64LE(i - 20 + 8));
      const z = await readAt(fh, pos, 56);
      if (z.readUInt32LE(0) === EOCD64) {
        count = Number(z.readBigUInt64LE(32));
        length = Number(z.readBigUInt64LE(40));
        offset = Number(z.readBigUInt64LE(48));
      }
    }
    if (offset + length <= size) return { offset, length, count };
  }
  throw new Error('no end-of-central-directory record');
}

function parseEntries(cd: Buffer, count: number): Entry[] {
  const out: Entry[] = [];
  let p = 0;
  for (let n = 0; n < count && p + 46 <= cd.length; n++) {
    if (cd.readUInt32LE(p) !== CDH) throw new Error(`bad central directory entry at ${p}`);
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let csize = cd.readUInt32LE(p + 20);
    let usize = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28), extraLen = cd.readUInt16LE(p + 30), commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    // ZIP64 extra field: the 0xffffffff fields follow in order usize, csize, offset
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = cd.readUInt16LE(e), len = cd.readUInt16LE(e + 2);
      if (id === 1) {
        let q = e + 4;
        if (usize === 0xffffffff) { usize = Number(cd.readBigUInt64LE(q)); q += 8; }
        if (csize === 0xffffffff) { csize = Number(cd.readBigUInt64LE(q)); q += 8; }
        if (localOffset === 0xffffffff) localOffset = Number(cd.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    out.push({ name, method, flags, csize, usize, localOffset });
    p = eEnd + commentLen;
  }
  return out;
}

/** Yields one Input per file entry of the zip at `path`, in name order. */
export async function* zipEntries(path: string, max: number): AsyncGenerator<Expanded> {
  let entries: Entry[];
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(path, 'r');
    const { size } = await fh.stat();
    const cd = await centralDirectory(fh, size);
    entries = parseEntries(await readAt(fh, cd.offset, cd.length), cd.count);
    for (const en of entries) {
      const lh = await readAt(fh, en.localOffset, 30);
      if (lh.length < 30 || lh.readUInt32LE(0) !== LFH) throw new Error(`bad local header for ${en.name}`);
      en.localOffset += 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
    }
  } catch (e) {
    yield { diagnostic: diag('SW1005', `cannot read zip: ${(e as Error).message}`, { file: path }) };
    return;
  } finally {
    await fh?.close();
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const en of entries) {
    if (en.name.endsWith('/')) continue;
    const name = `${path}!${en.name}`;
    const lower = en.name.toLowerCase();
    if (lower.endsWith('.zip')) {
      yield { diagnostic: diag('SW1010', 'zip inside a zip is not opened (extract it first)', { file: name }) };
      continue;
    }
    if (en.flags & 1) {
      yield { diagnostic: diag('SW1005', 'entry is encrypted', { file: name }) };
      continue;
    }
    if (en.method !== 0 && en.method !== 8) {
      yield { diagnostic: diag('SW1005', `unsupported compression method ${en.method}`, { file: name }) };
      continue;
    }
    const open = () => {
      const raw = en.csize > 0 ? createReadStream(path, { start: en.localOffset, end: en.localOffset + en.csize - 1 }) : Readable.from([]);
      let s: NodeJS.ReadableStream = en.method === 8 ? raw.pipe(createInflateRaw()) : raw;
      if (lower.endsWith('.gz')) s = s.pipe(createGunzip());
      return limited(s as Readable, max, name);
    };
    yield { input: { name, size: en.usize, open } };
  }
}
