/** Diagnostics: every problem a user can see has a stable code, a severity and a location. */
import { CODES, type Code, type Severity } from './codes.js';

export type { Code, Severity };

/** Where a problem is: the file (for archives `outer.zip!inner.json`) and the finest position known. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
  /** byte offset in the (decompressed) file */
  offset?: number;
  record?: number | string;
  chunk?: number;
}

export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  location?: Location;
  /** rule id when the problem is about a rule */
  ruleId?: string;
}

/** Builds a diagnostic with the catalog's severity for `code`. */
export function diag(code: Code, message: string, location?: Location, ruleId?: string): Diagnostic {
  const d: Diagnostic = { code, severity: CODES[code].severity, message };
  if (location) d.location = location;
  if (ruleId) d.ruleId = ruleId;
  return d;
}

/** One line for humans: `file:line:col (offset N): SWxxxx severity: message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const l = d.location;
  let where = '';
  if (l) {
    where = l.file;
    if (l.line !== undefined) where += `:${l.line}${l.column !== undefined ? `:${l.column}` : ''}`;
    const extra: string[] = [];
    if (l.chunk !== undefined) extra.push(`chunk ${l.chunk}`);
    if (l.record !== undefined) extra.push(`record ${l.record}`);
    if (l.offset !== undefined) extra.push(`offset ${l.offset}`);
    if (extra.length) where += ` (${extra.join(', ')})`;
    where += ': ';
  }
  return `${where}${d.code} ${d.severity}: ${d.message}${d.ruleId ? ` [rule ${d.ruleId}]` : ''}`;
}
