/**
 * encoded-obfuscated-cli: PowerShell -EncodedCommand in any spelling, FromBase64String, base64
 * decoded into a shell, cmd caret/substring/set-call obfuscation, char-code assembly and friends,
 * summed into an explained obfuscation score. Decoded layers travel with the finding. PowerShell
 * logging (4104 script blocks, 4103/800 pipelines, 400 host command lines) is scored the same way.
 */
import type { DecodedLayer, DetectorInfo, Finding, Level, ShellEvent } from '../../core/index.js';
import { decodeIntoInterpreter } from './lib/decodepipe.js';
import { excerpt } from './lib/define.js';
import { INTERPRETERS, isShellName, procName } from './lib/names.js';
import { obfuscationFeatures, scoreOf, type Feature } from './lib/obfuscation.js';
import type { Analysis } from './lib/script.js';
import { embeddedCommands, scriptSubjectOf } from './lib/scriptblock.js';
import { subjectOf } from './lib/subject.js';

export const info: DetectorInfo = {
  id: 'encoded-obfuscated-cli',
  title: 'Encoded or Obfuscated Command Line',
  level: 'high',
  techniques: ['T1027', 'T1027.010', 'T1140', 'T1059.001', 'T1059.003', 'T1059.004'],
  description: 'A command line or PowerShell script block hides its payload: PowerShell -EncodedCommand, base64 decoded into an interpreter, or an obfuscation score at or above the threshold (carets, substring expansion, char-code assembly, string concatenation, downloaded code run from memory …).',
};

/** Score at which obfuscation alone alerts, and at which it is high. */
export const THRESHOLD = 5;
const HIGH = 8;

export function detect(ev: ShellEvent): Finding[] {
  // cheap pre-filter before any parsing: shells, interpreters and script hosts only
  if (ev.kind === 'process_start' && !isShellName(procName(ev.process)) && !INTERPRETERS.has(procName(ev.process))) return [];
  const script = subjectOf(ev) ? null : scriptSubjectOf(ev);
  const sub = script ?? subjectOf(ev);
  if (!sub) return [];
  // a script that launches PowerShell -enc (WMI, services, Start-Process) carries it in a string
  const a = script && !script.analysis.encodedSwitch ? embeddedCommands(script.analysis).find((e) => e.encodedSwitch) ?? sub.analysis : sub.analysis;
  const extra: Feature[] = [];
  const layers: DecodedLayer[] = [...a.decoded];
  if (a.encodedSwitch) extra.push({ name: 'encoded-command', weight: 6, sample: `${a.encodedSwitch} (${a.decoded.length ? 'decoded' : 'not decodable'})` });
  const pipe = decodeIntoInterpreter(a);
  if (pipe) { extra.push({ name: 'base64-into-interpreter', weight: 6, sample: `${pipe.decoder} → ${pipe.runner}` }); layers.push(...pipe.layers); }
  const features = obfuscationFeatures(a, extra);
  const score = scoreOf(features);
  const decisive = !!a.encodedSwitch || !!pipe;
  if (!decisive && score < THRESHOLD) return [];
  return [finding(a, sub.what, features, score, layers, !!script && !a.steps[0]?.top)];
}

function finding(a: Analysis, what: string, features: Feature[], score: number, decoded: DecodedLayer[], script: boolean): Finding {
  const level: Level = score >= HIGH ? 'high' : 'medium';
  const top = features.slice(0, 4).map((f) => `${f.name} ${f.weight}`).join(', ');
  const head = a.encodedSwitch
    ? `PowerShell ${a.encodedSwitch} payload${decoded[0] ? `: ${excerpt(decoded[0].text, 120)}` : ' (not decodable)'}`
    : features.some((f) => f.name === 'base64-into-interpreter')
      ? `base64 decoded into an interpreter (${features.find((f) => f.name === 'base64-into-interpreter')!.sample})`
      : script ? 'obfuscated script' : 'obfuscated command line';
  return {
    level,
    reason: `${head} in ${what}; obfuscation score ${score} (${top})`,
    evidence: { score, threshold: THRESHOLD, features, encodedSwitch: a.encodedSwitch, commandLine: excerpt(a.commandLine, 1000) },
    decoded,
  };
}
