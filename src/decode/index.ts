/**
 * decode: command-line tokenizers and static, multi-layer deobfuscation with provenance.
 *
 *   const { layers, score } = deobfuscate(commandLine);
 *   // layers[0] is the input; layers[1..] are decoded text, outermost first, each with the
 *   // technique that produced it and the span of the parent layer it came from.
 *
 * Nothing is executed: cmd.exe, PowerShell and POSIX shells are emulated over data, with
 * bounds on depth, output and time (docs/decode.md).
 */
export { deobfuscate, type DeobfuscateOptions, type DeobfuscateResult, type Layer, type Shell } from './deobfuscate.js';
export { DEFAULT_LIMITS, type Limits } from './budget.js';
export { entropy, scoreText, type Score, type ScoreFeature } from './score.js';
export { winArgv, cmdCommands, cmdPayload, type CmdCommand } from './tokenize/winargv.js';
export { posixCommands, ansiC, type PosixCommand, type Expander } from './tokenize/posix.js';
