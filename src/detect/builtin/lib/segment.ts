/** One command of a chained command line, as the POSIX and cmd splitters produce it. */
export interface Segment {
  /** words after quote and escape removal */
  words: string[];
  /** the operator that joined this command to the previous one (null for the first) */
  op: string | null;
  /** the command's own text, as written */
  raw: string;
  /** inner scripts of $( … ) and back-tick substitutions inside this command */
  subs: string[];
  /** how many \xHH / octal / \u escapes $'…' words carried (obfuscation signal) */
  ansiEscapes: number;
}
