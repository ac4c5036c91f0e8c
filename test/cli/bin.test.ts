// The README's first command runs `npx shellwatch`, which executes dist/cli/main.js itself: the build
// must leave it executable with its shebang (a build that forgot it broke `npm ci && npx shellwatch`).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';

const BIN = 'dist/cli/main.js';

describe('command-line entry point', () => {
  it('the built entry point is executable and runs', { skip: !existsSync(BIN) && 'not built (npm run build)' }, () => {
    assert.ok((statSync(BIN).mode & 0o111) !== 0, `${BIN} is not executable`);
    const out = execFileSync(`./${BIN}`, ['--help'], { encoding: 'utf8' });
    assert.match(out, /hunt/);
  });
});
