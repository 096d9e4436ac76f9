// The README's trace transcript is what the command prints: each "$ npx node src/cli/main.ts trace ..." line
// of the `trace` section is run for real, and its output must be the lines that follow it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');

test('README: the trace transcript is what ingress-guard trace prints on examples/cluster', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /## The `trace` command\n[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(section, 'the README has a trace section with a transcript');
  const runs = section.split(/^(?=\$ )/m).filter((b) => b.startsWith('$ '));
  assert.ok(runs.length >= 2, 'at least two commands in the transcript');
  for (const run of runs) {
    const [command, ...output] = run.split('\n');
    const args = command!.replace(/^\$ npx node src\/cli\/main\.ts /, '').split(' ');
    const r = spawnSync(process.execPath, [join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, output.join('\n'), command);
  }
});
