// bench/review.ts runs: it judges the workloads it is given over a small generated state, checks each verdict
// is the one the benchmark expects (it throws otherwise), and prints a profile rooted at evaluate. No timing is asserted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

test('bench/review.ts judges the workloads and profiles the loop under evaluate', () => {
  const out = execFileSync(process.execPath, ['bench/review.ts', '--objects', '1000', '--iterations', '300', '--workloads', 'plugin-create,consumer-bob-update', '--top', '5'], { encoding: 'utf8' });
  assert.match(out, /^plugin-create at 1000 objects: [\d.]+ us per review wall, [\d.]+ us CPU .*allowed\)$/m);
  assert.match(out, /^consumer-bob-update at 1000 objects: .*denied\)$/m);
  assert.doesNotMatch(out, /ingress-update/);
  assert.equal(out.match(/^ {2}under evaluate, inclusive:\n {2}100\.0% {2}evaluate src\/engine\/evaluate\.ts:\d+$/gm)?.length, 2);
});
