/**
 * The obfuscation score of a command line: character statistics (entropy, special-character
 * density, escape characters), token statistics, and the techniques decoding had to undo. Each
 * feature that fires carries its weight and a sample, so the score explains itself.
 */

/** One reason a command line looks obfuscated. */
export interface ScoreFeature { name: string; weight: number; sample: string }

/** The score: the sum of the feature weights, and the features. */
export interface Score { value: number; features: ScoreFeature[] }

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) { const p = n / s.length; h -= p * Math.log2(p); }
  return h;
}

const SPECIAL = /[\^%!$`'"+,;(){}[\]|&<>=\\*~@#?]/g;

/** Weight of each technique a layer was decoded with (what had to be undone to read the command). */
const TECHNIQUE_WEIGHT: Record<string, number> = {
  'powershell-encodedcommand': 3, 'cmd-for-loop': 4, 'cmd-delayed-expansion': 4, 'cmd-set-call': 3, 'cmd-stdin-pipe': 3, 'cmd-substring': 3,
  'cmd-caret': 2, gzip: 3, deflate: 3, securestring: 4, xor: 4, 'char-array': 3, reverse: 3, 'format-operator': 3, replace: 2, join: 2,
  'string-concat': 2, backtick: 2, 'base64-pipe': 3, 'posix-ansi-c': 3, printf: 3, rev: 3, xxd: 3, ifs: 3, eval: 2, 'variable-splice': 3,
};

const clip = (s: string): string => s.slice(0, 80);

function charFeatures(s: string): ScoreFeature[] {
  const out: ScoreFeature[] = [];
  const h = entropy(s);
  if (s.length >= 40 && h >= 4.8) out.push({ name: 'high-entropy', weight: h >= 5.4 ? 2 : 1, sample: `${h.toFixed(2)} bits/char` });
  const special = (s.match(SPECIAL) ?? []).length;
  const density = s.length ? special / s.length : 0;
  if (s.length >= 20 && density >= 0.2) out.push({ name: 'special-character-density', weight: density >= 0.35 ? 3 : density >= 0.27 ? 2 : 1, sample: `${(density * 100).toFixed(0)}% of ${s.length} chars` });
  const carets = (s.match(/\^[^\s^]/g) ?? []).length;
  if (carets >= 3) out.push({ name: 'caret-escapes', weight: carets >= 10 ? 2 : 1, sample: `${carets}x ${clip(/\S*\^\S*/.exec(s)?.[0] ?? '')}` });
  const ticks = (s.match(/[A-Za-z]`[A-Za-z]/g) ?? []).length;
  if (ticks >= 2) out.push({ name: 'backtick-escapes', weight: ticks >= 6 ? 2 : 1, sample: `${ticks}x ${clip(/\S*`\S*/.exec(s)?.[0] ?? '')}` });
  const subs = (s.match(/%[^%\s]{1,40}:~[^%]{1,20}%|![^!\s]{1,40}:~[^!]{1,20}!/g) ?? []).length;
  if (subs) out.push({ name: 'env-substring', weight: Math.min(3, subs), sample: `${subs}x ${clip(/%[^%\s]{1,40}:~[^%]{1,20}%|![^!\s]{1,40}:~[^!]{1,20}!/.exec(s)![0])}` });
  const b64 = /[A-Za-z0-9+/]{100,}={0,2}/.exec(s);
  if (b64) out.push({ name: 'long-base64', weight: 2, sample: clip(b64[0]) });
  return out;
}

function tokenFeatures(s: string): ScoreFeature[] {
  const toks = s.split(/[\s,;]+/).filter(Boolean);
  if (toks.length < 3) return [];
  const out: ScoreFeature[] = [];
  const longest = toks.reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest.length >= 200) out.push({ name: 'very-long-token', weight: 1, sample: `${longest.length} chars: ${clip(longest)}` });
  const odd = toks.filter((t) => /[^\w.:\\/-]/.test(t) && (t.match(SPECIAL) ?? []).length / t.length > 0.4).length;
  if (odd / toks.length >= 0.3) out.push({ name: 'symbol-heavy-tokens', weight: 2, sample: `${odd} of ${toks.length} tokens` });
  const mixed = toks.filter((t) => t.length >= 4 && /[a-z][A-Z][a-z]*[A-Z]/.test(t) && !/^[A-Z]?[a-z]+(?:[A-Z][a-z]+)+$/.test(t)).length;
  if (mixed >= 3) out.push({ name: 'random-case', weight: 1, sample: `${mixed} tokens like ${clip(toks.find((t) => /[a-z][A-Z][a-z]*[A-Z]/.test(t)) ?? '')}` });
  return out;
}

/** Scores a command line given the techniques its decoded layers were produced with. */
export function scoreText(text: string, techniques: { technique: string; text: string }[]): Score {
  const s = text.slice(0, 64 * 1024);
  const features = [...charFeatures(s), ...tokenFeatures(s)];
  const seen = new Set<string>();
  for (const l of techniques) {
    const name = l.technique.replace(/^frombase64string-.*/, 'frombase64string');
    if (seen.has(name)) continue;
    seen.add(name);
    features.push({ name: `technique:${l.technique}`, weight: TECHNIQUE_WEIGHT[name] ?? 2, sample: clip(l.text.replace(/\s+/g, ' ')) });
  }
  if (techniques.length >= 2) features.push({ name: 'nested-layers', weight: Math.min(3, techniques.length - 1), sample: techniques.map((l) => l.technique).join(' > ').slice(0, 120) });
  features.sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name));
  return { value: features.reduce((n, f) => n + f.weight, 0), features };
}
