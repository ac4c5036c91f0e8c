/**
 * PowerShell command-line reading: finds -EncodedCommand in every spelling the CLI accepts (any
 * prefix of "encodedcommand", the -ec alias, `/` or unicode dashes – — ―) and the -Command text.
 */
import type { DecodedLayer } from '../../../core/index.js';
import { base64Text, decodeBase64, bytesToText, MAX_DECODED } from './b64.js';

const DASHES = new Set(['-', '/', '\u2013', '\u2014', '\u2015']);

/** Parameters that take a value, so their value is never mistaken for the command. */
const VALUED = ['executionpolicy', 'windowstyle', 'version', 'psconsolefile', 'inputformat', 'outputformat', 'configurationname', 'workingdirectory', 'settingsfile', 'custompipename', 'encodedarguments'];

export interface PsInvocation {
  /** the -EncodedCommand value and how the switch was spelled */
  encoded?: { spelling: string; value: string };
  /** the -Command text (or trailing words PowerShell treats as the command) */
  command?: string;
  /** index in args where the command text starts */
  commandAt?: number;
}

function paramName(arg: string): string | null {
  if (arg.length < 2 || !DASHES.has(arg[0])) return null;
  return arg.slice(1).toLowerCase();
}

/** True when `name` (switch without its dash) selects -EncodedCommand. */
export function isEncodedSwitch(name: string): boolean {
  return name === 'ec' || (name.length >= 1 && 'encodedcommand'.startsWith(name));
}

/** Reads the arguments of a powershell/pwsh process (argv without argv[0]). */
export function readPsArgs(args: string[]): PsInvocation {
  for (let i = 0; i < args.length; i++) {
    const name = paramName(args[i]);
    if (name === null) return { command: args.slice(i).join(' '), commandAt: i };
    if (isEncodedSwitch(name)) return { encoded: { spelling: args[i], value: args[i + 1] ?? '' } };
    if (name.length >= 1 && 'command'.startsWith(name)) return { command: args.slice(i + 1).join(' '), commandAt: i + 1 };
    if (name.length >= 1 && 'file'.startsWith(name)) return {};
    if (name === 'ep' || name === 'ex' || name === 'w' || name === 'v' || name === 'o' || name === 'wd' || VALUED.some((v) => name.length >= 2 && v.startsWith(name))) i++;
  }
  return {};
}

/** Decodes an -EncodedCommand value (base64 of UTF-16LE); falls back to UTF-8 for sloppy encoders. */
export function decodeEncodedCommand(value: string): string | null {
  const b = decodeBase64(value, 4);
  if (!b) return null;
  const t = b.toString('utf16le');
  if (/^[\x09\x0a\x0d\x20-\x7e\u00a0-\u024f]*$/.test(t.slice(0, 2000))) return t.slice(0, MAX_DECODED);
  return bytesToText(b)?.text ?? null;
}

/** Finds FromBase64String('…') literals in text and decodes each (nested layers, depth-bounded). */
export function fromBase64Layers(text: string, depth = 0): DecodedLayer[] {
  const out: DecodedLayer[] = [];
  if (depth > 3) return out;
  const re = /frombase64string\s*\(\s*["']([A-Za-z0-9+/=\s]{8,})["']\s*\)/gi;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text.slice(0, MAX_DECODED))) && n++ < 8) {
    const t = base64Text(m[1]);
    if (!t) continue;
    out.push({ technique: `frombase64string(${t.encoding})`, text: t.text });
    out.push(...fromBase64Layers(t.text, depth + 1));
  }
  return out;
}
