/**
 * encoded-obfuscated-cli: PowerShell -EncodedCommand in any spelling, FromBase64String, base64
 * decoded into a shell, cmd caret/substring/set-call obfuscation, char-code assembly and friends,
 * summed into an explained obfuscation score. Decoded layers travel with the finding.
 */
import type { DecodedLayer, DetectorInfo, Finding, Level, ShellEvent } from '../../core/index.js';
import { decodeIntoInterpreter } from './lib/decodepipe.js';
import { excerpt } from './lib/define.js';
import { INTERPRETERS, isShellName, procName } from './lib/names.js';
import { obfuscationFeatures, scoreOf, type Feature } from './lib/obfuscation.js';
import type { Analysis } from './lib/script.js';
import { subjectOf } from './lib/subject.js';

export const info: DetectorInfo = {
  id: 'encoded-obfuscated-cli',
  title: 'Encoded or Obfuscated Command Line',
  level: 'high',
  techniques: ['T1027', 'T1027.010', 'T1140', 'T1059.001', 'T1059.003', 'T1059.004'],
  description: 'A command line hides its payload: PowerShell -EncodedCommand, base64 decoded into an interpreter, or an obfuscation score at or above the threshold (carets, substring expansion, char-code assembly …).',
};

/** Score at which obfuscation alone alerts, and at which it is high. */
export const THRESHOLD = 5;
const HIGH = 8;

export function detect(ev: ShellEvent): Finding[] {
  // cheap pre-filter before any parsing: shells, interpreters and script hosts only
  if (ev.kind === 'process_start' && !isShellName(procName(ev.process)) && !INTERPRETERS.has(procName(ev.process))) return [];
  const sub = subjectOf(ev);
  if (!sub) return [];
  const a = sub.analysis;
  const extra: Feature[] = [];
  const layers: DecodedLayer[] = [...a.decoded];
  if (a.encodedSwitch) extra.push({ name: 'encoded-command', weight: 6, sample: `${a.encodedSwitch} (${a.decoded.length ? 'decoded' : 'not decodable'})` });
  const pipe = decodeIntoInterpreter(a);
  if (pipe) { extra.push({ name: 'base64-into-interpreter', weight: 6, sample: `${pipe.decoder} → ${pipe.runner}` }); layers.push(...pipe.layers); }
  const features = obfuscationFeatures(a, extra);
  const score = scoreOf(features);
  const decisive = !!a.encodedSwitch || !!pipe;
  if (!decisive && score < THRESHOLD) return [];
  return [finding(a, sub.what, features, score, layers)];
}

function finding(a: Analysis, what: string, features: Feature[], score: number, decoded: DecodedLayer[]): Finding {
  const level: Level = score >= HIGH ? 'high' : 'medium';
  const top = features.slice(0, 4).map((f) => `${f.name} ${f.weight}`).join(', ');
  const head = a.encodedSwitch
    ? `PowerShell ${a.encodedSwitch} payload${decoded[0] ? `: ${excerpt(decoded[0].text, 120)}` : ' (not decodable)'}`
    : features.some((f) => f.name === 'base64-into-interpreter')
      ? `base64 decoded into an interpreter (${features.find((f) => f.name === 'base64-into-interpreter')!.sample})`
      : `obfuscated command line`;
  return {
    level,
    reason: `${head} in ${what}; obfuscation score ${score} (${top})`,
    evidence: { score, threshold: THRESHOLD, features, encodedSwitch: a.encodedSwitch, commandLine: excerpt(a.commandLine, 1000) },
    decoded,
  };
}
