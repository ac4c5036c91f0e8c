/**
 * Splits an Elasticsearch `_bulk` body into items. NDJSON: an action line (`index`, `create`, `update`
 * with a source or doc line after it; `delete` alone). A malformed action line leaves the pairing of
 * the lines after it unknown, so (as Elasticsearch does) the whole request is refused; a malformed
 * source document costs only its own item.
 */
import { ApiError } from './errors.js';

export type BulkOp = 'index' | 'create' | 'update' | 'delete';
const OPS: readonly BulkOp[] = ['index', 'create', 'update', 'delete'];

export interface BulkItem {
  op: BulkOp;
  index: string;
  /** the `_id` the client gave (echoed back), or null */
  id: string | null;
  /** the document as its NDJSON line (valid JSON object), when it has one */
  doc: Buffer | null;
  /** why the item fails before any parsing (ES error type and reason) */
  error?: { type: string; reason: string };
}

/** ES's index-name rules: lowercase, none of `\ / * ? " < > | , # :` or space, not starting with `-_+`, ≤ 255 bytes. */
export function validIndex(name: string): boolean {
  return name.length > 0 && Buffer.byteLength(name) <= 255 && !/[\\/*?"<>|,# :A-Z]/.test(name) && !/^[-_+]/.test(name) && name !== '.' && name !== '..';
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function lines(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = body.indexOf(10); ; i = body.indexOf(10, start)) {
    const end = i < 0 ? body.length : i;
    let line = body.subarray(start, end);
    if (line.length && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
    if (line.some((b) => b !== 32 && b !== 9)) out.push(line);
    if (i < 0) return out;
    start = i + 1;
  }
}

function action(line: Buffer, n: number): { op: BulkOp; meta: Record<string, unknown> } {
  let v: unknown;
  try {
    v = JSON.parse(line.toString('utf8'));
  } catch {
    throw new ApiError(400, 'SW6002', `Malformed action/metadata line [${n}]: not JSON`);
  }
  const keys = isObj(v) ? Object.keys(v) : [];
  const op = keys[0] as BulkOp;
  if (keys.length !== 1 || !OPS.includes(op) || !isObj((v as Record<string, unknown>)[op])) {
    throw new ApiError(400, 'SW6002', `Malformed action/metadata line [${n}], expected one of [create, delete, index, update]`);
  }
  return { op, meta: (v as Record<string, Record<string, unknown>>)[op] };
}

/** The document of an `index`/`create` source line or an `update` doc line, or the item's error. */
function source(op: BulkOp, line: Buffer): { doc: Buffer | null; error?: BulkItem['error'] } {
  let v: unknown;
  try {
    v = JSON.parse(line.toString('utf8'));
  } catch (e) {
    return { doc: null, error: { type: 'mapper_parsing_exception', reason: `failed to parse: ${(e as Error).message.slice(0, 200)}` } };
  }
  if (!isObj(v)) return { doc: null, error: { type: 'mapper_parsing_exception', reason: 'the document is not a JSON object' } };
  if (op !== 'update') return { doc: line };
  const d = isObj(v.doc) ? v.doc : isObj(v.upsert) ? v.upsert : null;
  if (!d) return { doc: null, error: { type: 'action_request_validation_exception', reason: 'update without doc or upsert (scripts are not supported)' } };
  return { doc: Buffer.from(JSON.stringify(d)) };
}

function itemIndex(meta: Record<string, unknown>, urlIndex: string | null): { index: string; error?: BulkItem['error'] } {
  const index = typeof meta._index === 'string' ? meta._index : urlIndex;
  if (index === null) return { index: '', error: { type: 'action_request_validation_exception', reason: 'index is missing' } };
  if (!validIndex(index)) return { index: index.slice(0, 255), error: { type: 'invalid_index_name_exception', reason: 'invalid index name' } };
  return { index };
}

export function parseBulk(body: Buffer, urlIndex: string | null, maxItems: number): BulkItem[] {
  const ls = lines(body);
  const items: BulkItem[] = [];
  for (let i = 0; i < ls.length; i++) {
    if (items.length >= maxItems) throw new ApiError(413, 'SW6003', `more than ${maxItems} bulk items`);
    const { op, meta } = action(ls[i], i + 1);
    const rawId = meta._id;
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : null;
    const { index, error } = itemIndex(meta, urlIndex);
    const item: BulkItem = { op, index, id, doc: null, error };
    if (id !== null && Buffer.byteLength(id) > 512) item.error = { type: 'illegal_argument_exception', reason: 'id is too long, must be no longer than 512 bytes' };
    if (op !== 'delete') {
      if (i + 1 >= ls.length) throw new ApiError(400, 'SW6002', 'The bulk request must be terminated by a newline [\\n]: source line missing');
      const s = source(op, ls[++i]);
      item.doc = item.error ? null : s.doc;
      item.error ??= s.error;
    }
    items.push(item);
  }
  return items;
}
