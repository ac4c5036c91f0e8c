/** A unit of parallel work: a byte range of one EVTX file (whole chunks, optionally the header). */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { diag } from '../../core/index.js';
import type { ReadResult } from '../source.js';
import { checkFileHeader, HEADER_SIZE, parseChunkRange, parseEvtxBuffer } from './file.js';

export interface EvtxTask {
  path: string;
  /** display name for locations */
  name: string;
  /** byte range; `length` -1 means to the end of the file (whole-file task, header included) */
  start: number;
  length: number;
  /** chunk index of the first chunk in the range */
  firstChunk: number;
}

function readRange(path: string, start: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Runs a task synchronously (in a worker or, as a fallback, in the calling thread). */
export function runTask(t: EvtxTask): ReadResult[][] {
  try {
    if (t.length < 0) return [...parseEvtxBuffer(readWhole(t.path), t.name)];
    const buf = readRange(t.path, t.start, t.length);
    if (t.start === 0) {
      const head = checkFileHeader(buf.subarray(0, HEADER_SIZE), t.name);
      const rest = parseChunkRange(buf.subarray(HEADER_SIZE), t.name, 0, HEADER_SIZE);
      return head.length ? [head, ...rest] : rest;
    }
    return parseChunkRange(buf, t.name, t.firstChunk, t.start);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (typeof code === 'string') return [[{ diagnostic: diag('SW1001', `cannot read: ${code}`, { file: t.name }) }]];
    throw e;
  }
}

function readWhole(path: string): Buffer {
  return readFileSync(path);
}
