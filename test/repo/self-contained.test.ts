// The repository stands alone: a user's clone has nothing beside it. Every path that src/, test/ and bench/
// build from their own location must resolve inside the repository, and nothing may name a folder beside
// it (the development checkout's ../shared). .ci/run also runs the suite from a fresh clone in an empty
// directory, which catches what this static reading cannot (a path computed at run time).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|js|mjs|cjs)$/.test(f) && !f.includes('node_modules'))
    .map((f) => join(ROOT, dir, f));
}

const FILES = ['src', 'test', 'bench'].flatMap(sources);
/** This file's probes spell such paths on purpose. */
const SCANNED = FILES.filter((f) => f !== import.meta.filename);
const literals = (args: string) => [...args.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]!);

/** Every path built from the file's own location: join/resolve(import.meta.dirname, 'a', ...) and new URL('rel', import.meta.url). */
function anchoredPaths(file: string, text: string): { expression: string; target: string }[] {
  const found: { expression: string; target: string }[] = [];
  for (const m of text.matchAll(/(?:join|resolve)\(\s*import\.meta\.dirname((?:\s*,\s*(?:'[^']*'|"[^"]*"))*)/g)) {
    found.push({ expression: m[0], target: resolve(dirname(file), ...literals(m[1]!)) });
  }
  for (const m of text.matchAll(/new URL\(\s*('[^']*'|"[^"]*")\s*,\s*import\.meta\.url\s*\)/g)) {
    found.push({ expression: m[0], target: resolve(dirname(file), literals(m[1]!)[0]!) });
  }
  return found;
}

test('the scan sees the files and the anchored paths it is meant to check', () => {
  assert.ok(FILES.length > 50, `${FILES.length} source files`);
  assert.ok(FILES.some((f) => anchoredPaths(f, readFileSync(f, 'utf8')).length > 0));
  // The checker itself catches an escape.
  const probe = join(ROOT, 'test', 'x', 'probe.ts');
  const escaped = anchoredPaths(probe, "join(import.meta.dirname, '..', '..', '..', 'shared')");
  assert.equal(relative(ROOT, escaped[0]!.target).startsWith('..'), true);
});

test('no path built in src/, test/ or bench/ leaves the repository', () => {
  const escapes: string[] = [];
  for (const file of SCANNED) {
    for (const { expression, target } of anchoredPaths(file, readFileSync(file, 'utf8'))) {
      if (relative(ROOT, target).startsWith('..')) escapes.push(`${relative(ROOT, file)}: ${expression} -> ${target}`);
    }
  }
  assert.deepEqual(escapes, []);
});

test('nothing in src/, test/ or bench/ names a folder beside the repository, or an absolute path into the development machine', () => {
  const hits: string[] = [];
  for (const file of SCANNED) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/\.\.\/+shared\b|['"]\.\.['"]\s*,\s*['"]shared['"]|\.\.\/\.\.\/\.\.\/|['"`]\/work\//.test(line)) hits.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, []);
});
