// Test helper: compile a rule from YAML text and run it on hand-written records.
import type { RawRecord } from '../../../src/core/index.js';
import { collect } from '../../../src/detect/sigma/collector.js';
import { createEngine } from '../../../src/detect/sigma/engine.js';
import { compileRule } from '../../../src/detect/sigma/compiler/rule.js';
import { readRuleFile } from '../../../src/detect/sigma/reader.js';
import { loadRules } from '../../../src/detect/sigma/load.js';
import type { CompiledRule } from '../../../src/detect/sigma/types.js';
import type { Diagnostic } from '../../../src/core/index.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Sysmon process-creation record with the given EventData. */
export function sysmon1(data: Record<string, unknown>, eventId = 1): RawRecord {
  return { format: 'evtx-json', ref: { file: 't', record: 1, channel: 'Microsoft-Windows-Sysmon/Operational', eventId }, system: { channel: 'Microsoft-Windows-Sysmon/Operational', eventId, provider: 'Microsoft-Windows-Sysmon', computer: 'host1', timeMs: 0 }, data };
}

/** Wraps a detection body (YAML, indented by 4) into a process_creation rule. */
export function ruleText(detection: string, extra = ''): string {
  return `title: t\nid: 00000000-0000-0000-0000-000000000001\nlogsource:\n    product: windows\n    category: process_creation\n${extra}detection:\n${detection.replace(/^/gm, '    ')}\n`;
}

/** Compiles; throws the compile error message. */
export function compile(detection: string, placeholders: Record<string, string[]> = {}): CompiledRule {
  const diags: Diagnostic[] = [];
  const docs = collect(readRuleFile('t.yml', ruleText(detection), diags));
  if (diags.length) throw new Error(diags[0].message);
  return compileRule(docs[0], placeholders);
}

/** True when the detection fires on a Sysmon 1 record carrying `data`. */
export function fires(detection: string, data: Record<string, unknown>, placeholders: Record<string, string[]> = {}): boolean {
  const e = createEngine([compile(detection, placeholders)]);
  return e.match(sysmon1(data)).length > 0;
}

/** Loads YAML text (possibly several documents) from a temporary file through the full loader. */
export function loadText(text: string): ReturnType<typeof loadRules> {
  const dir = mkdtempSync(join(tmpdir(), 'sigma-'));
  const f = join(dir, 'rule.yml');
  writeFileSync(f, text);
  return loadRules([f]);
}
