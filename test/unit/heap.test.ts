// src/server/heap.ts: the collection after the start-up works without --expose-gc and does not leave gc() about.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const HEAP = join(import.meta.dirname, '..', '..', 'src', 'server', 'heap.ts');

test('returnStartupMemory: runs in a process without --expose-gc, frees garbage, and exposes gc() to no context afterwards', () => {
  const script = `
    import { returnStartupMemory } from ${JSON.stringify(HEAP)};
    import { runInNewContext } from 'node:vm';
    import { getHeapStatistics } from 'node:v8';
    let garbage = Array.from({ length: 200000 }, (_, i) => ({ i, s: 'x' + i }));
    const before = getHeapStatistics().used_heap_size;
    garbage = undefined;
    returnStartupMemory();
    const after = getHeapStatistics().used_heap_size;
    console.log(JSON.stringify({ freed: before - after, globalGc: typeof globalThis.gc, contextGc: runInNewContext('typeof gc') }));
  `;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })) as { freed: number; globalGc: string; contextGc: string };
  assert.ok(out.freed > 5 * 2 ** 20, `freed ${out.freed} bytes`);
  assert.equal(out.globalGc, 'undefined');
  assert.equal(out.contextGc, 'undefined');
});
