/** Alert writers for `hunt --format table|jsonl|csv`. Each writes one alert at a time (streaming). */
import { baseName, type Alert } from '../../core/index.js';
import { csvCell, terminalSafe } from './sanitize.js';

export interface AlertWriter { header(): string; line(a: Alert): string }

export const jsonlWriter: AlertWriter = {
  header: () => '',
  line: (a) => JSON.stringify(a) + '\n',
};

const CSV_COLUMNS: [string, (a: Alert) => unknown][] = [
  ['time', (a) => a.time], ['level', (a) => a.rule.level], ['rule_id', (a) => a.rule.id], ['rule_title', (a) => a.rule.title],
  ['rule_source', (a) => a.rule.source], ['techniques', (a) => a.rule.techniques.join(' ')], ['host', (a) => a.host], ['user', (a) => a.user],
  ['pid', (a) => a.process.pid], ['image', (a) => a.process.image], ['command_line', (a) => a.process.commandLine],
  ['parent_image', (a) => a.parent.image], ['parent_command_line', (a) => a.parent.commandLine],
  ['ancestors', (a) => a.ancestors.map((x) => baseName(x.image) || '?').join(' < ')], ['reason', (a) => a.reason],
  ['decoded', (a) => a.decoded.map((d) => d.text).at(-1) ?? ''], ['file', (a) => a.event.file], ['record', (a) => a.event.record],
  ['channel', (a) => a.event.channel], ['event_id', (a) => a.event.eventId],
];

export const csvWriter: AlertWriter = {
  header: () => CSV_COLUMNS.map(([n]) => n).join(',') + '\n',
  line: (a) => CSV_COLUMNS.map(([, f]) => csvCell(f(a))).join(',') + '\n',
};

/** `parent > command`; for task and service creations (no process) the command they were given. */
function processCell(a: Alert): string {
  const ev = a.evidence;
  const cmd = a.process.commandLine ?? a.process.image ?? [ev.commandLine, ev.action, ev.command].find((x) => typeof x === 'string') ?? '';
  const parent = baseName(a.parent.image);
  return parent ? `${parent} > ${String(cmd)}` : String(cmd);
}

function fit(s: string, w: number): string {
  const t = terminalSafe(s);
  return t.length > w ? t.slice(0, Math.max(0, w - 1)) + '…' : t.padEnd(w);
}

/** A fixed-width table for terminals; the last column takes the remaining width. */
export function tableWriter(width = 160): AlertWriter {
  const cols: [string, number, (a: Alert) => string][] = [
    ['TIME', 24, (a) => a.time],
    ['LEVEL', 8, (a) => a.rule.level],
    ['RULE', 35, (a) => a.rule.id],
    ['HOST', 16, (a) => a.host],
    ['USER', 18, (a) => a.user ?? ''],
    ['PROCESS', 0, (a) => processCell(a)],
  ];
  const fixed = cols.reduce((n, c) => n + c[1] + 1, 0);
  const last = Math.max(20, width - fixed);
  return {
    header: () => cols.map(([n, w]) => fit(n, w || last)).join(' ').trimEnd() + '\n',
    line: (a) =>
      cols.map(([, w, f]) => fit(f(a), w || last)).join(' ').trimEnd() + '\n' + ' '.repeat(26) + fit(`↳ ${a.reason}`, Math.max(20, width - 26)).trimEnd() + '\n',
  };
}
