// Regenerates docs/diagnostics.md from the code catalog (src/core/codes.ts). A test checks it is current.
import { readFileSync, writeFileSync } from 'node:fs';

export function render(src) {
  const rows = [...src.matchAll(/(SW\d{4}): \{ severity: '(\w+)', title: '([^']+)' \}/g)];
  return ['# Diagnostic codes', '', 'Every problem shellwatch reports has one of these stable codes. Codes are never renumbered or reused.',
    'Generated from `src/core/codes.ts` by `node scripts/gen-diagnostics-doc.mjs`.', '', '| code | severity | meaning |', '|---|---|---|',
    ...rows.map(([, c, s, t]) => `| ${c} | ${s} | ${t} |`), ''].join('\n');
}
if (process.argv[1]?.endsWith('gen-diagnostics-doc.mjs')) writeFileSync('docs/diagnostics.md', render(readFileSync('src/core/codes.ts', 'utf8')));
