/** `shellwatch rules list|test`: for detection engineers. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { formatDiagnostic, LEVELS, type Alert, type Level } from '../core/index.js';
import { hunt } from '../pipeline/hunt.js';
import { terminalSafe } from './output/sanitize.js';

async function listRules(paths: string[], o: { format: string; loaded?: boolean; failed?: boolean; placeholders?: string }): Promise<void> {
  const { loadPlaceholders, setupSigma } = await import('../pipeline/sigma.js');
  const ph = o.placeholders ? loadPlaceholders(o.placeholders) : undefined;
  for (const d of ph?.diagnostics ?? []) process.stderr.write(terminalSafe(formatDiagnostic(d)) + '\n');
  const { listing } = setupSigma(paths, ph?.placeholders);
  const rows = listing.filter((r) => (o.loaded ? r.loaded : true) && (o.failed ? !r.loaded : true));
  if (o.format === 'jsonl') {
    for (const r of rows) {
      const { id, title, path, level, status, logsource, loaded, reason } = r;
      process.stdout.write(JSON.stringify({ id, title, path, level, status, logsource, loaded, reason: reason ?? null }) + '\n');
    }
    return;
  }
  for (const r of rows) {
    const ls = Object.entries(r.logsource).map(([k, v]) => `${k}=${v}`).join(',');
    process.stdout.write(terminalSafe(`${r.loaded ? 'ok  ' : 'FAIL'} ${r.level.padEnd(8)} ${r.id.padEnd(36)} ${r.title}  [${ls}]${r.reason ? `  — ${r.reason}` : ''}`) + '\n');
  }
  const ok = listing.filter((r) => r.loaded).length;
  process.stderr.write(`${ok} of ${listing.length} rules loaded\n`);
}

async function testRules(rule: string, events: string[], o: { minLevel: Level; expect?: string; quiet?: boolean }): Promise<void> {
  let n = 0;
  const summary = await hunt(events, {
    detectors: [],
    rules: { paths: [rule] },
    minLevel: o.minLevel,
    threads: 1,
    onDiagnostic: (d) => { if (!o.quiet && d.severity !== 'info') process.stderr.write(terminalSafe(formatDiagnostic(d)) + '\n'); },
  }, (a: Alert) => { n++; process.stdout.write(JSON.stringify(a) + '\n'); });
  process.stderr.write(`${summary.rulesLoaded} rule(s) loaded, ${summary.events} events, ${n} match(es)\n`);
  if (o.expect !== undefined && Number(o.expect) !== n) {
    process.stderr.write(`expected ${o.expect} match(es), got ${n}\n`);
    process.exitCode = 1;
  }
}

/** Adds the `rules` command group to the program. */
export function addRulesCommands(p: Command): void {
  const rules = p.command('rules').description('Work with Sigma rules: list what loads, test rules against sample events.');
  rules.command('list')
    .description('One line per rule found under the paths: id, title, path, level, status, logsource, loaded, and why not.')
    .argument('<paths...>', 'rule files or folders')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'jsonl']).default('table'))
    .option('--loaded', 'only rules that loaded')
    .option('--failed', 'only rules that did not load')
    .option('--placeholders <file>', 'values for Sigma expand placeholders: a YAML map of name to list')
    .action((paths: string[], o) => listRules(paths, o));
  rules.command('test')
    .description('Run a rule (file or folder) against sample events; print each match as an alert.')
    .argument('<rule>', 'rule file or folder')
    .argument('<events...>', 'event files or folders')
    .addOption(new Option('--min-level <level>', 'lowest level to report').choices([...LEVELS]).default('informational'))
    .option('--expect <n>', 'exit 1 unless exactly n matches')
    .option('-q, --quiet', 'no diagnostics')
    .action((rule: string, events: string[], o) => testRules(rule, events, o));
}
