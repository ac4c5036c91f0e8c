/** A compile problem with the YAML path it concerns (turned into a located SW4001 diagnostic). */
export class CompileError extends Error {
  constructor(message: string, readonly path: (string | number)[] = []) { super(message); }
}
