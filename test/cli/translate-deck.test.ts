// `translate --output deck|deck-json` from the command line: YAML and JSON carry the same document, stdin works,
// the default JSON output (with provenance) is unchanged, and a bad --output is a usage error.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const CASE = join(import.meta.dirname, '..', 'golden', 'deck', 'plugin-scopes');

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [MAIN, ...args], { input: input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('translate --output deck prints the golden YAML; deck-json the same document as JSON; both from stdin too', () => {
  const yaml = run(['translate', '--output', 'deck', join(CASE, 'in.yaml')]);
  assert.equal(yaml.code, 0, yaml.stderr);
  assert.equal(yaml.stdout, readFileSync(join(CASE, 'expected.yaml'), 'utf8'));
  const json = run(['translate', '--output', 'deck-json', '-'], readFileSync(join(CASE, 'in.yaml'), 'utf8'));
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), parse(yaml.stdout));
  assert.deepEqual(Object.keys(JSON.parse(json.stdout) as object), ['_format_version', 'consumers', 'plugins', 'services', 'upstreams']);
});

test('translate without --output still prints the entities with their sources', () => {
  const r = run(['translate', join(CASE, 'in.yaml')]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { services: { sources: unknown[] }[]; errors: unknown[] };
  assert.ok(out.services[0]!.sources.length > 0);
  assert.deepEqual(out.errors, []);
});

test('translate --output with an unknown format is a usage error (exit 2)', () => {
  const r = run(['translate', '--output', 'kong', join(CASE, 'in.yaml')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--output must be json, deck or deck-json/);
});
