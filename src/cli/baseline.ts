/** `shellwatch baseline learn|show|diff`: what is normal here, learned from past telemetry. */
import type { Command } from 'commander';
import { formatDiagnostic } from '../core/index.js';
import { terminalSafe } from './output/sanitize.js';

// the pipeline, loaded when a baseline command runs (not for every command line)
const pipeline = () => import('../pipeline/baseline.js');

async function learn(paths: string[], o: { output: string; groups?: string; from?: string; to?: string; merge?: boolean; quiet?: boolean }): Promise<void> {
  const { learnBaseline } = await pipeline();
  const { baseline, learned, events } = await learnBaseline(paths, {
    groups: o.groups, from: o.from, to: o.to, mergeWith: o.merge ? o.output : undefined,
    onDiagnostic: (d) => { if (!o.quiet && d.severity !== 'info') process.stderr.write(terminalSafe(formatDiagnostic(d)) + '\n'); },
  });
  baseline.save(o.output);
  const st = baseline.stats();
  process.stderr.write(`learned ${learned} process starts of ${events} events; ${o.output}: ${st.entries} entries (${st.pairs} parent→child pairs, ${st.templates} command templates, ${st.users} users) in ${st.scopes} scopes\n`);
}

/** Adds the `baseline` command group. */
export function addBaselineCommands(p: Command): void {
  const b = p.command('baseline').description('Learn what shell usage is normal per host, host group and user group; compare baselines.');
  b.command('learn')
    .description('Learn a baseline from telemetry (files or folders) and write it to a file.')
    .argument('<paths...>', 'telemetry to learn from')
    .requiredOption('-o, --output <file>', 'baseline file to write')
    .option('--groups <file>', 'host and user groups (YAML; see rules/groups.example.yaml)')
    .option('--from <time>', 'learn only events at or after this time (ISO 8601)')
    .option('--to <time>', 'learn only events before this time (ISO 8601)')
    .option('--merge', 'merge into the existing output file instead of replacing it')
    .option('-q, --quiet', 'no diagnostics')
    .action((paths: string[], o) => learn(paths, o));
  b.command('show')
    .description('Summarise a baseline: scopes, counts, the most common entries.')
    .argument('<file>')
    .option('--limit <n>', 'entries to list per kind', '20')
    .action(async (file: string, o: { limit: string }) => { process.stdout.write(terminalSafeLines((await pipeline()).showBaseline(file, Number(o.limit) || 20))); });
  b.command('diff')
    .description('What one baseline has that the other has not, and what changed.')
    .argument('<a>')
    .argument('<b>')
    .action(async (a: string, bb: string) => { process.stdout.write(terminalSafeLines((await pipeline()).baselineDiff(a, bb))); });
}

function terminalSafeLines(s: string): string {
  return s.split('\n').map(terminalSafe).join('\n');
}
