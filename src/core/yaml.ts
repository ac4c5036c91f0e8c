/**
 * YAML for data and configuration files (the shipped catalogs, mappings and allowlists; a site's
 * allowlists, groups and placeholders). The fast reader (yaml-fast.ts) takes what is inside its
 * subset, which is everything shellwatch ships; anything else, and every error, goes to the `yaml`
 * package, loaded on first need. Measured: importing `yaml` and parsing the shipped files with it took
 * ~100 ms of every process's start (each worker of a parallel hunt pays it), the fast reader ~12 ms.
 */
import { createRequire } from 'node:module';
import { parseFast } from './yaml-fast.js';

let yaml: typeof import('yaml') | undefined;

/** The value of the one document in `text`, as `yaml`'s `parse` gives it; throws as it does. */
export function parseYaml(text: string): unknown {
  const docs = parseFast(text);
  // one document, and no marker after it (`yaml` counts an empty document after `---` as another one)
  if (docs && docs.length === 1 && docs[0].index === 0 && !/\n(?:---|\.\.\.)/.test(text.slice(docs[0].start))) return docs[0].value;
  yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml.parse(text);
}
