#!/usr/bin/env node
/** shellwatch command line: a thin face over the pipeline. Exit 0 ok, 1 fatal error, 2 usage error. */
import { createWriteStream } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatDiagnostic, LEVELS, type Alert, type Diagnostic, type Level } from '../core/index.js';
// the hunt's entry alone: a parallel hunt starts its workers before anything else of the pipeline is
// loaded here (the rest of it is imported where a command needs it)
import { hunt } from '../pipeline/hunt.js';
import { formatSuppressionReport } from '../pipeline/summary.js';
import { csvWriter, jsonlWriter, tableWriter, type AlertWriter } from './output/writers.js';
import { terminalSafe } from './output/sanitize.js';
import { ProgressLine } from './progress.js';
import { formatSummary } from './summary.js';
import { addRulesCommands } from './rules.js';
import { addBaselineCommands } from './baseline.js';
import { addServeCommands } from './serve.js';
import { addClientCommands } from './client.js';

interface Out { write(s: string | Buffer): void; end(): Promise<void> }

function openOutput(file: string | undefined): Out {
  if (!file || file === '-') return { write: (s) => void process.stdout.write(s), end: async () => {} };
  const ws = createWriteStream(file);
  return { write: (s) => void ws.write(s), end: () => new Promise((res, rej) => { ws.on('error', rej); ws.end(res); }) };
}

/** Placeholder values from the file named on the command line (none when not given). */
export async function placeholdersFrom(path: string | undefined, print: (d: Diagnostic) => void): Promise<Record<string, string[]> | undefined> {
  if (!path) return undefined;
  const { loadPlaceholders } = await import('../pipeline/sigma.js');
  const p = loadPlaceholders(path);
  p.diagnostics.forEach(print);
  return p.placeholders;
}

function terminalSafeLines(s: string): string {
  return s.split('\n').map(terminalSafe).join('\n');
}

function diagPrinter(quiet: boolean, limit = 50): { print(d: Diagnostic): void; finish(): void } {
  let n = 0;
  return {
    print(d) {
      if (quiet || d.severity === 'info') return;
      if (++n <= limit) process.stderr.write(terminalSafe(formatDiagnostic(d)) + '\n');
    },
    finish() {
      if (!quiet && n > limit) process.stderr.write(`shellwatch: ${n - limit} more diagnostics (see the summary's counts)\n`);
    },
  };
}

function threadsOption(v: string): number | 'auto' {
  if (v === 'auto') return 'auto';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('a number from 1 to 64, or auto');
  return n;
}

const collect = (v: string, prev: string[]) => [...prev, v];
const statusList = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);

interface HuntCli {
  format?: string; output?: string; minLevel: Level; quiet?: boolean; summary: boolean; threads: number | 'auto';
  rules: string[]; builtin: boolean; status?: string[];
  allowlist: string[]; groups?: string; baseline?: string; suppressions?: boolean; placeholders?: string;
}

async function runHunt(paths: string[], o: HuntCli) {
  const toStdout = !o.output || o.output === '-';
  const toTerminal = toStdout && process.stdout.isTTY;
  const format = o.format ?? (toTerminal ? 'table' : 'jsonl');
  const writer: AlertWriter = format === 'csv' ? csvWriter : format === 'table' ? tableWriter(process.stdout.columns ?? 160) : jsonlWriter;
  const out = openOutput(o.output);
  const progress = new ProgressLine();
  const diags = diagPrinter(Boolean(o.quiet));
  out.write(writer.header());
  const summary = await hunt(paths, {
    detectors: o.builtin ? 'builtin' : [],
    rules: o.rules.length ? { paths: o.rules, statuses: o.status, placeholders: await placeholdersFrom(o.placeholders, diags.print) } : undefined,
    knownGood: { allowlist: o.allowlist, groups: o.groups, baseline: o.baseline },
    minLevel: o.minLevel,
    threads: o.threads,
    // (only asked for when shown: workers of a parallel hunt send theirs over IPC)
    onProgress: o.quiet || !progress.enabled ? undefined : (p) => progress.update(p),
    onDiagnostic: (d) => { progress.clear(); diags.print(d); },
    // JSON Lines from workers is written as they made it (jsonlWriter's line is JSON.stringify too)
    onAlertLines: writer === jsonlWriter ? (lines) => { if (toStdout) progress.clear(); out.write(lines); } : undefined,
  }, (a: Alert) => {
    // the progress line shares the terminal with alerts only when alerts go to stdout
    if (toStdout) progress.clear();
    out.write(writer.line(a));
  });
  progress.clear();
  await out.end();
  diags.finish();
  if (o.summary) process.stderr.write(formatSummary(summary));
  if (o.suppressions) process.stderr.write(terminalSafeLines(formatSuppressionReport(summary.suppressions)));
}

async function runEvents(paths: string[], o: { output?: string; quiet?: boolean }) {
  const out = openOutput(o.output);
  const diags = diagPrinter(Boolean(o.quiet));
  const { listEvents } = await import('../pipeline/events.js');
  await listEvents(paths, (e) => out.write(JSON.stringify(e) + '\n'), (d) => diags.print(d));
  await out.end();
  diags.finish();
}

function program(): Command {
  const p = new Command('shellwatch')
    .description('Detect command-interpreter abuse (MITRE ATT&CK T1059) in Windows, Linux and network telemetry.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  p.command('hunt')
    .description('Read telemetry (files, folders, .zip/.gz, - for stdin) and raise the playbook alerts.')
    .argument('<paths...>', 'files or folders to read')
    .addOption(new Option('-f, --format <format>', 'output format (default: table on a terminal, jsonl otherwise)').choices(['table', 'jsonl', 'csv']))
    .option('-o, --output <file>', 'write alerts to a file instead of stdout')
    .addOption(new Option('--min-level <level>', 'lowest alert level to report').choices([...LEVELS]).default('informational'))
    .option('-q, --quiet', 'no progress line and no diagnostics on stderr')
    .option('--no-summary', 'do not print the end-of-run summary on stderr')
    .option('--threads <n>', 'worker processes for folders of files: a number, or auto (the cores, when the files hold ~150 000 records or more)', threadsOption, 1)
    .option('-r, --rules <path>', 'Sigma rules to run as well: a file or folder (repeatable)', collect, [])
    .option('--no-builtin', 'run only the given Sigma rules, not the built-in playbook alerts')
    .option('--placeholders <file>', 'values for Sigma expand placeholders: a YAML map of name to list')
    .option('--status <list>', 'report Sigma rules of these statuses only (comma-separated: stable,test,experimental,…)', statusList)
    .option('--allowlist <path>', 'a site allowlist file or folder, on top of the shipped one (repeatable)', collect, [])
    .option('--groups <file>', 'host and user groups (YAML) for scoped allowlist entries and baselines')
    .option('--baseline <file>', 'judge alerts against a baseline (shellwatch baseline learn) and raise rare-shell-usage')
    .option('--suppressions', 'print what the allowlists suppressed, per entry and rule, with an example')
    .action((paths: string[], o: HuntCli) => runHunt(paths, o));
  addRulesCommands(p);
  addBaselineCommands(p);
  addServeCommands(p);
  addClientCommands(p);
  p.command('events')
    .description('Print every input record as one JSON line: normalized where a mapping exists, raw otherwise.')
    .argument('<paths...>', 'files or folders to read')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['jsonl']).default('jsonl'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('-q, --quiet', 'no diagnostics on stderr')
    .action((paths: string[], o) => runEvents(paths, o));
  return p;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    process.stderr.write(`shellwatch: fatal: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

// a closed pipe (`shellwatch events … | head`) ends the run quietly, as for any Unix filter
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then((code) => {
  // a command may already have set a non-zero status (rules test --expect)
  if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
});
