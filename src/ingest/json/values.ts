/** Value helpers for JSON shapes: tolerant integer and time parsing, flattening, EventData XML. */

/** Integer from a number, a decimal string or a `0x` hex string; undefined otherwise. */
export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!s) return undefined;
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^-?\d+$/.test(s) ? parseInt(s, 10) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Event time in ms UTC (shared with normalization: core/text.ts). */
export { parseTime } from '../../core/index.js';

/** Flattens nested objects into dotted keys (`a.b.c`); arrays of scalars stay arrays. */
export function flattenInto(o: Record<string, unknown>, prefix: string, out: Record<string, unknown>, depth = 0): void {
  for (const [k, v] of Object.entries(o)) {
    if (k === '#attributes' || k === 'xmlns') continue;
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v) && depth < 8) flattenInto(v as Record<string, unknown>, key, out, depth + 1);
    else out[key] = v;
  }
}

const XML_ENT: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-f]+|#\d+);/gi, (_, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    return XML_ENT[e.toLowerCase()] ?? '';
  });
}

/** Reads `<Data Name="X">value</Data>` elements of an EventData XML string into `out`. */
export function parseEventDataXml(xml: string, out: Record<string, unknown>): void {
  const re = /<Data\s+Name\s*=\s*"([^"]{1,256})"\s*(?:\/>|>([\s\S]*?)<\/Data>)/g;
  for (const m of xml.matchAll(re)) out[m[1]] = unescapeXml(m[2] ?? '');
}
