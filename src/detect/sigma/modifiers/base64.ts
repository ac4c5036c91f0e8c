import { toPlain } from './helpers.js';
import type { Modifier, Val } from './types.js';

/** The bytes of a value: UTF-8 for text, as-is after a utf16 modifier. */
export function bytesOf(v: Val, mod: string): Uint8Array {
  return v.k === 'bytes' ? v.b : new Uint8Array(Buffer.from(toPlain(v, mod), 'utf8'));
}

/** `base64`: the value is matched in its Base64 encoding. */
export const base64: Modifier = {
  name: 'base64',
  apply: (vals) => vals.map((v) => ({ k: 'str', parts: [Buffer.from(bytesOf(v, 'base64')).toString('base64')] })),
};
