/** Recon / enumeration vocabulary (recon.yaml) and the weight a command carries in a chain. */
import { readFileSync } from 'node:fs';
import type { Command } from './command.js';
import { parseYaml } from '../../../core/index.js';

interface ReconSpec { args?: string[]; weight?: number; bare?: boolean }
interface ReconFile { commands: Record<string, ReconSpec | null>; fileReaders: string[]; sensitiveFiles: Record<string, number> }

const raw = parseYaml(readFileSync(new URL('./recon.yaml', import.meta.url), 'utf8')) as ReconFile;
const COMMANDS = new Map(Object.entries(raw.commands).map(([k, v]) => [k.toLowerCase(), v ?? {}]));
const READERS = new Set(raw.fileReaders.map((x) => x.toLowerCase()));
const FILES = new Map(Object.entries(raw.sensitiveFiles));

export interface ReconHit { label: string; weight: number }

/** Recon weight of one command (null when it is not recon). */
export function reconOf(c: Command | null): ReconHit | null {
  if (!c) return null;
  const args = c.args.map((a) => a.toLowerCase());
  const spec = COMMANDS.get(c.name);
  if (spec) {
    if (spec.bare && args.length) return null;
    if (spec.args && !args.some((a) => spec.args!.some((v) => a === v || a.startsWith(v + ' ')))) return null;
    const sub = spec.args ? ` ${args.find((a) => spec.args!.includes(a))}` : '';
    return { label: `${c.name}${sub}`, weight: spec.weight ?? 1 };
  }
  if (READERS.has(c.name)) {
    for (const a of args) {
      const w = FILES.get(a);
      if (w) return { label: `${c.name} ${a}`, weight: w };
    }
  }
  return null;
}
