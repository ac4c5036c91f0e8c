// Reads Atomic Red Team procedures (command lines, not logs) into process-start events the way
// Invoke-AtomicTest runs them: sh/bash executors as `bash -c '<command>'`, command_prompt lines as
// `cmd.exe /c <line>`, powershell executors as `powershell.exe -Command <script>`.
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ProcessStartEvent } from '../../src/core/index.js';
import { corpusPath } from '../helpers/corpus.js';
import { proc, shq, start } from './helpers.js';

export interface AtomicCase { technique: string; name: string; executor: string; events: ProcessStartEvent[] }

interface AtomicTest {
  name: string;
  input_arguments?: Record<string, { default?: unknown }>;
  executor?: { name?: string; command?: string };
}

const fill = (cmd: string, args: AtomicTest['input_arguments']): string =>
  cmd.replace(/#\{(\w+)\}/g, (m, k: string) => (args?.[k]?.default !== undefined ? String(args[k].default) : m));

/** A plain, non-interactive launcher context (the atomic runner), so only the command line decides. */
const RUNNER = [proc('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe -NoExit Invoke-AtomicTest', 90), proc('C:\\Windows\\System32\\svchost.exe', 'svchost.exe -k DcomLaunch', 80)];
const LINUX_RUNNER = [proc('/usr/bin/python3', 'python3 /opt/art/runner.py', 90), proc('/usr/lib/systemd/systemd', '/sbin/init', 1)];

function events(executor: string, command: string): ProcessStartEvent[] {
  if (executor === 'sh' || executor === 'bash') return [start(proc(`/bin/${executor}`, `${executor} -c ${shq(command)}`), ...LINUX_RUNNER)];
  if (executor === 'command_prompt') {
    return command.split('\n').filter((l) => l.trim()).map((l) => start(proc('C:\\Windows\\System32\\cmd.exe', `"cmd.exe" /c ${l.trim()}`), ...RUNNER));
  }
  if (executor === 'powershell') return [start(proc('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', `"powershell.exe" & {${command}}`), ...RUNNER)];
  return [];
}

/** Every atomic test of the corpus with a runnable executor. */
export function loadAtomics(): AtomicCase[] {
  const root = corpusPath('atomic-red-team', 'atomics');
  const out: AtomicCase[] = [];
  for (const dir of readdirSync(root).sort()) {
    const doc = parse(readFileSync(`${root}/${dir}/${dir}.yaml`, 'utf8')) as { atomic_tests: AtomicTest[] };
    for (const t of doc.atomic_tests ?? []) {
      const ex = t.executor?.name ?? '';
      if (!t.executor?.command) continue;
      const evs = events(ex, fill(t.executor.command, t.input_arguments));
      if (evs.length) out.push({ technique: dir, name: t.name, executor: ex, events: evs });
    }
  }
  return out;
}
