/** Stream helpers shared by the input expander and the archive readers. */
import { Transform, type Readable } from 'node:stream';
import { diag, type Diagnostic } from '../core/index.js';
import type { Input } from './source.js';

/** An input found while expanding paths, or a diagnostic for one that cannot be read. */
export type Expanded = { input: Input; diagnostic?: undefined } | { input?: undefined; diagnostic: Diagnostic };

/** A stream that may be opened once only (stdin). */
export function once(f: () => Readable): () => Readable {
  let used = false;
  return () => {
    if (used) throw new Error('input can be opened once only');
    used = true;
    return f();
  };
}

/** Passes at most `max` bytes through; past that ends the stream with a SW1007 error attached. */
export function limited(src: Readable, max: number, name: string): Readable {
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) {
        const err = new Error(`decompressed size exceeds ${max} bytes`) as Error & { diagnostic?: Diagnostic };
        err.diagnostic = diag('SW1007', `decompressed size exceeds the ${max}-byte limit; rest ignored`, { file: name, offset: max });
        cb(err);
        src.destroy();
        return;
      }
      cb(null, chunk);
    },
  });
  src.on('error', (e) => t.destroy(e));
  return src.pipe(t);
}
