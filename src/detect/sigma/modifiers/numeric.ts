import type { NumOp } from '../types.js';
import { ModifierError, type Modifier, type Val } from './types.js';

function num(v: Val, mod: string): number {
  const n = v.k === 'raw' && v.v !== null && v.v !== '' && typeof v.v !== 'boolean' ? Number(v.v) : NaN;
  if (!Number.isFinite(n)) throw new ModifierError(`'${mod}' needs a number`);
  return n;
}

function compare(op: NumOp): Modifier {
  return {
    name: op,
    apply: (vals) => vals.map((v): Val => {
      // after a time modifier the value is already a time test: change its comparison
      if (v.k === 'test' && v.test.t === 'time') return { k: 'test', test: { ...v.test, op } };
      return { k: 'test', test: { t: 'num', op, value: num(v, op) } };
    }),
  };
}

/** `gt`, `gte`, `lt`, `lte`: numeric comparisons (also after a time modifier). */
export const gt = compare('gt');
export const gte = compare('gte');
export const lt = compare('lt');
export const lte = compare('lte');
export { num as numericValue };
