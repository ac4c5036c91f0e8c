// Locates the shared, read-only corpus (../shared/corpus beside the project root) for tests and benches.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (the folder holding package.json). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of a file or folder under ../shared/corpus. */
export function corpusPath(...parts: string[]): string {
  return join(projectRoot, '..', 'shared', 'corpus', ...parts);
}

/** True when the corpus is present (it always is on developer machines and in CI). */
export const hasCorpus = existsSync(corpusPath('PROVENANCE.md'));
