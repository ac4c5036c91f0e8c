import { parseRegex } from '../regex/parser.js';
import { rawText } from './helpers.js';
import { ModifierError, type Modifier, type Val } from './types.js';

/** `re`: the value is a regular expression (case-sensitive unless `i`), run by the linear-time VM. */
export const re: Modifier = {
  name: 're',
  apply: (vals) => vals.map((v) => {
    const pattern = rawText(v, 're');
    parseRegex(pattern, ''); // validates; throws RegexError with the reason
    return { k: 'test', test: { t: 're', pattern, flags: '' } };
  }),
};

function flag(name: string, f: string): Modifier {
  return {
    name,
    apply: (vals) => vals.map((v): Val => {
      if (v.k !== 'test' || v.test.t !== 're') throw new ModifierError(`'${name}' must follow 're'`);
      return { k: 'test', test: { ...v.test, flags: v.test.flags.includes(f) ? v.test.flags : v.test.flags + f } };
    }),
  };
}

/** `re|i`: case-insensitive. */
export const reI = flag('i', 'i');
/** `re|m`: `^`/`$` match at line breaks. */
export const reM = flag('m', 'm');
/** `re|s`: `.` matches newlines too. */
export const reS = flag('s', 's');
