/** Small text helpers shared by every stage. */

/** Lower-cased base name of a Windows or POSIX path (`C:\\Windows\\System32\\cmd.exe` → `cmd.exe`). */
export function baseName(path: string | undefined | null): string {
  if (!path) return '';
  let end = path.length;
  while (end > 0 && (path[end - 1] === '"' || path[end - 1] === ' ')) end--;
  let i = end - 1;
  while (i >= 0 && path[i] !== '\\' && path[i] !== '/') i--;
  let start = i + 1;
  if (path[start] === '"') start++;
  return path.slice(start, end).toLowerCase();
}

const EXE_SUFFIX = /\.(exe|com|bat|cmd|scr|pif)$/;

/** Base name without a Windows executable extension (`powershell.exe` → `powershell`). */
export function stem(path: string | undefined | null): string {
  const b = baseName(path);
  return b.replace(EXE_SUFFIX, '');
}

/** ISO 8601 UTC with milliseconds, or an empty string for an invalid time. */
export function isoTime(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  return new Date(ms).toISOString();
}

const EPOCH = /^\d{1,16}(\.\d{1,9})?$/;
const SUB_MS = /(\.\d{3})\d+/;
const ZONE = /[zZ]|[+-]\d\d:?\d\d$/;

/**
 * Event time in ms UTC from what exporters write: ISO 8601 (no zone is read as UTC, which is what
 * Sysmon's UtcTime and most exporters mean), `YYYY-MM-DD HH:MM:SS[.fffffff]`, epoch seconds or ms.
 */
export function parseTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? (v > 1e12 ? v : v * 1000) : undefined;
  if (typeof v !== 'string' || !v) return undefined;
  let s = v.trim();
  if (EPOCH.test(s)) return parseTime(Number(s));
  // more than 3 fractional digits: keep ms precision (Date.parse rejects 7 digits on some inputs)
  s = s.replace(' ', 'T').replace(SUB_MS, '$1');
  if (!ZONE.test(s)) s += 'Z';
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}
