/**
 * The follow registry's position format (what Filebeat keeps in its registry): which file (device,
 * inode and a hash of its first bytes, since inodes are reused) and how far every record of it has
 * been committed. Saved as JSON under the followed path in a PositionStore.
 */
import { createHash } from 'node:crypto';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Where positions are kept between runs (serve backs it with its store's positions table). */
export interface PositionStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
}

/** One followed file's committed position. */
export interface FilePosition {
  dev: number;
  ino: number;
  /** byte offset up to which every record has been committed */
  offset: number;
  /** 1-based line number at `offset` */
  line: number;
  /** the file's size when the position was saved */
  size: number;
  /** sha256 hex of the first `headLen` bytes */
  head: string;
  headLen: number;
}

/** How many leading bytes identify a file (with its device and inode). */
export const HEAD_BYTES = 1024;

/** The JSON saved for a position. */
export function encodePosition(p: FilePosition): string {
  return JSON.stringify({ dev: p.dev, ino: p.ino, offset: p.offset, line: p.line, size: p.size, head: p.head, headLen: p.headLen });
}

/** Parses a saved position; null when absent or not one (a damaged entry is read as none). */
export function decodePosition(s: string | null): FilePosition | null {
  if (!s) return null;
  try {
    const v = JSON.parse(s) as Partial<FilePosition>;
    const nums = [v.dev, v.ino, v.offset, v.size, v.headLen];
    if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0) || typeof v.head !== 'string') return null;
    const line = typeof v.line === 'number' && v.line >= 1 ? v.line : 1;
    return { dev: v.dev!, ino: v.ino!, offset: v.offset!, line, size: v.size!, head: v.head, headLen: v.headLen! };
  } catch {
    return null;
  }
}

/** sha256 hex of the first `len` bytes of an open file (fewer when the file is shorter). */
export async function headHash(fh: FileHandle, len: number): Promise<{ head: string; headLen: number }> {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(buf, got, len - got, got);
    if (!bytesRead) break;
    got += bytesRead;
  }
  return { head: createHash('sha256').update(buf.subarray(0, got)).digest('hex'), headLen: got };
}

/** True when the file at `path` is the one `p` describes: same device, inode and first bytes, and not shorter. */
export async function isSameFile(path: string, p: FilePosition): Promise<boolean> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, 'r');
    const st = await fh.stat();
    if (st.dev !== p.dev || st.ino !== p.ino || st.size < p.offset) return false;
    const h = await headHash(fh, p.headLen);
    return h.headLen === p.headLen && h.head === p.head;
  } catch {
    return false;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * Looks in the followed path's directory for the file `p` describes, renamed by a rotation while we
 * were stopped (`log.1`, `log-20240101`…): names starting with the path's base name are tried first.
 */
export async function findRotated(path: string, p: FilePosition): Promise<string | null> {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  const ordered = [...names.filter((n) => n !== base && n.startsWith(base)), ...names.filter((n) => !n.startsWith(base))];
  for (const n of ordered) {
    const candidate = join(dir, n);
    const st = await stat(candidate).catch(() => null);
    if (!st?.isFile() || st.dev !== p.dev || st.ino !== p.ino) continue;
    if (await isSameFile(candidate, p)) return candidate;
  }
  return null;
}
