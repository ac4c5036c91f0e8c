import { toPlain } from './helpers.js';
import type { Modifier, Val } from './types.js';

function encode(v: Val, mod: string, be: boolean, bom: boolean): Val {
  const le = Buffer.from(toPlain(v, mod), 'utf16le');
  if (be) le.swap16();
  const b = bom ? Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), le]) : le;
  return { k: 'bytes', b: new Uint8Array(b) };
}

/** `utf16le` (alias `wide`): UTF-16 little-endian bytes, for a following base64 modifier. */
export const utf16le: Modifier = { name: 'utf16le', apply: (vals) => vals.map((v) => encode(v, 'utf16le', false, false)) };
/** `wide`: alias of utf16le. */
export const wide: Modifier = { name: 'wide', apply: (vals) => vals.map((v) => encode(v, 'wide', false, false)) };
/** `utf16be`: UTF-16 big-endian bytes. */
export const utf16be: Modifier = { name: 'utf16be', apply: (vals) => vals.map((v) => encode(v, 'utf16be', true, false)) };
/** `utf16`: byte order mark then UTF-16 little-endian bytes. */
export const utf16: Modifier = { name: 'utf16', apply: (vals) => vals.map((v) => encode(v, 'utf16', false, true)) };
