/**
 * Script-interpreter one-liners that carry their payload encoded: python -c "exec(base64.b64decode
 * ('…'))" (optionally zlib-compressed or hex), perl -e 'eval(decode_base64("…"))' or
 * pack("H*", "…"), php -r / ruby -e base64 decoders. Decoding is a pattern match over literal
 * arguments; nothing is run.
 */
import { bytesText, fromBase64, fromHex, inflate } from '../bytes.js';

const FLAG: Record<string, RegExp> = { python: /^-\w*c$/, perl: /^-\w*[eE]$/, ruby: /^-\w*e$/, php: /^-\w*r$/, node: /^-(e|p|-eval)$/ };

/** The code an interpreter command line runs inline, or null. */
function inlineCode(words: string[]): string | null {
  const n = (words[0] ?? '').replace(/^.*\//, '').replace(/[\d.]+$/, '');
  const flag = FLAG[n];
  if (!flag) return null;
  const i = words.findIndex((w, k) => k > 0 && flag.test(w));
  return i > 0 ? words[i + 1] ?? null : null;
}

const PATTERNS: { re: RegExp; decode: 'b64' | 'hex'; technique: string }[] = [
  { re: /(?:b64decode|decodebytes|decodestring|standard_b64decode|urlsafe_b64decode)\(\s*[rbu]?["']([A-Za-z0-9+/=_\s-]{8,})["']/, decode: 'b64', technique: 'python-exec-b64' },
  { re: /(?:fromhex|unhexlify|a2b_hex)\(\s*[rbu]?["']([0-9a-fA-F\s]{8,})["']|["']([0-9a-fA-F]{8,})["']\s*\.decode\(\s*["']hex["']|decode\(\s*["']([0-9a-fA-F]{8,})["']\s*,\s*["']hex["']/, decode: 'hex', technique: 'python-exec-hex' },
  { re: /decode_base64\(\s*["']([A-Za-z0-9+/=\s]{8,})["']/, decode: 'b64', technique: 'perl-eval-b64' },
  { re: /pack\(\s*["']H\*["']\s*,\s*["']([0-9a-fA-F]{8,})["']/, decode: 'hex', technique: 'perl-pack-hex' },
  { re: /(?:base64_decode|Base64\.decode64|Base64\.strict_decode64|atob|Buffer\.from)\(\s*["']([A-Za-z0-9+/=\s]{8,})["']/, decode: 'b64', technique: 'script-b64' },
];

/** The decoded payload of an interpreter one-liner (argv words), or null. */
export function interpreterPayload(words: string[], max: number): { technique: string; text: string } | null {
  const code = inlineCode(words);
  return code ? codePayload(code, max) : null;
}

/** The decoded payload inside a piece of script code, or null. */
export function codePayload(code: string, max: number): { technique: string; text: string } | null {
  for (const p of PATTERNS) {
    const m = p.re.exec(code.slice(0, 1 << 20));
    const lit = m && (m[1] ?? m[2] ?? m[3]);
    if (!lit) continue;
    const b = p.decode === 'b64' ? fromBase64(lit, max) : fromHex(lit, max);
    if (!b) continue;
    const zipped = /zlib|decompress|gzip|inflate|Zlib/.test(code) ? inflate(b, max) : null;
    const t = bytesText(zipped ?? b);
    if (t) return { technique: zipped ? p.technique.replace(/-(b64|hex)$/, '-zlib') : p.technique, text: t.text };
  }
  return null;
}
