import { parseCidr } from '../runtime/ip.js';
import { rawText } from './helpers.js';
import { ModifierError, type Modifier } from './types.js';

/** `cidr`: the field is an IPv4/IPv6 address inside the network. */
export const cidr: Modifier = {
  name: 'cidr',
  apply: (vals) => vals.map((v) => {
    const c = rawText(v, 'cidr');
    if (!parseCidr(c)) throw new ModifierError(`'${c}' is not a CIDR network`);
    return { k: 'test', test: { t: 'cidr', cidr: c } };
  }),
};
