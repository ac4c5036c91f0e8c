/**
 * The modifier registry: name → modifier.
 *
 * To add a modifier: write `modifiers/<name>.ts` exporting one `Modifier` (see types.ts; throw
 * ModifierError for invalid use), add one line to MODIFIERS below, and add
 * `test/sigma/modifier-<name>.test.ts` with positive and negative cases. If it yields a new kind of
 * test, add the variant to ValueTest (types.ts) and its matcher in runtime/value-matcher.ts.
 */
import { all } from './all.js';
import { base64 } from './base64.js';
import { base64offset } from './base64offset.js';
import { cased } from './cased.js';
import { cidr } from './cidr.js';
import { contains } from './contains.js';
import { endswith } from './endswith.js';
import { exists } from './exists.js';
import { expand } from './expand.js';
import { fieldref } from './fieldref.js';
import { neq } from './neq.js';
import { gt, gte, lt, lte } from './numeric.js';
import { re, reI, reM, reS } from './re.js';
import { startswith } from './startswith.js';
import { day, hour, minute, month, week, year } from './time.js';
import { utf16, utf16be, utf16le, wide } from './utf16.js';
import { windash } from './windash.js';
import type { Modifier } from './types.js';

export const MODIFIERS: ReadonlyMap<string, Modifier> = new Map(
  [
    all, base64, base64offset, cased, cidr, contains, endswith, exists, expand, fieldref, neq,
    gt, gte, lt, lte, re, reI, reM, reS, startswith, minute, hour, day, week, month, year,
    utf16, utf16be, utf16le, wide, windash,
  ].map((m) => [m.name, m]),
);

export type { Modifier, ModState, Val } from './types.js';
export { ModifierError } from './types.js';
