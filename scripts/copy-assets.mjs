// Copies the data files the runtime loads (normalization mappings, rule packs) next to the compiled code,
// and makes the command-line entry point executable (`npx shellwatch` runs the file itself).
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const exts = new Set(['.yaml', '.yml', '.json']);
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (exts.has(name.slice(name.lastIndexOf('.')))) {
      const out = join('dist', relative('src', p));
      mkdirSync(dirname(out), { recursive: true });
      cpSync(p, out);
    }
  }
}
if (existsSync('src')) walk('src');
if (existsSync('dist/cli/main.js')) chmodSync('dist/cli/main.js', 0o755);
