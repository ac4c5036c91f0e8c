/** Output sanitizers: every field is attacker-controlled, so terminals and spreadsheets get neutered text. */

// ANSI/VT escape sequences (CSI, OSC, single-char escapes), then remaining C0/C1 controls and DEL.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text safe for a terminal: escape sequences and control characters removed, tabs/newlines → space. */
export function terminalSafe(s: string): string {
  return s.replace(ESCAPES, '').replace(CONTROLS, '').replace(/[\t\n\r]+/g, ' ');
}

/** A CSV cell: formula prefixes (= + - @ tab CR) neutralised with a leading quote, then RFC 4180 quoting. */
export function csvCell(v: unknown): string {
  let s = v == null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}
