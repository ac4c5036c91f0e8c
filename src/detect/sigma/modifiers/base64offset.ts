import { bytesOf } from './base64.js';
import type { Modifier, Val } from './types.js';

/** Characters to drop at the start (by shift) and at the end (by total length mod 3). */
const START = [0, 2, 3];
const END = [0, 3, 2];

/**
 * `base64offset`: the three Base64 forms of the value at byte offsets 0, 1 and 2 of a longer string,
 * trimmed to the characters that do not depend on the surrounding bytes.
 */
export const base64offset: Modifier = {
  name: 'base64offset',
  apply: (vals) => vals.flatMap((v): Val[] => {
    const b = bytesOf(v, 'base64offset');
    const out: Val[] = [];
    for (let shift = 0; shift < 3; shift++) {
      const enc = Buffer.concat([Buffer.alloc(shift, 0x20), Buffer.from(b)]).toString('base64');
      const end = END[(b.length + shift) % 3];
      const s = enc.slice(START[shift], enc.length - end);
      if (s) out.push({ k: 'str', parts: [s] });
    }
    return out;
  }),
};
