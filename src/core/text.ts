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

/** Base name without a Windows executable extension (`powershell.exe` → `powershell`). */
export function stem(path: string | undefined | null): string {
  const b = baseName(path);
  return b.replace(/\.(exe|com|bat|cmd|scr|pif)$/, '');
}

/** ISO 8601 UTC with milliseconds, or an empty string for an invalid time. */
export function isoTime(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  return new Date(ms).toISOString();
}
