/** Splits an expression with a sticky token regex (group 1 is the token); `bad` reports the first unit no token starts at. */
export function stickyTokens(src: string, token: RegExp, bad: (unit: string) => never): string[] {
  const out: string[] = [];
  const end = src.trimEnd().length;
  token.lastIndex = 0;
  let m: RegExpExecArray | null;
  // (a failed sticky match resets lastIndex to 0: the position is kept here)
  let pos = 0;
  while (pos < end && (m = token.exec(src))) { out.push(m[1]); pos = token.lastIndex; }
  if (pos < end) bad(src.slice(pos).trimStart()[0]);
  return out;
}
