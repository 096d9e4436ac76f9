// Our validator against Kong 3.9.3's own (test/fixtures/kong-oracle, made by scripts/kong-schemas/harness.lua
// running Kong's unmodified schema code under LuaJIT): the same verdict, the same error paths, on every case.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUNDLED_PLUGINS, validatePlugin, type KongDatabase } from '../../src/kong/plugins.ts';

interface Fixture {
  source: { database: KongDatabase; tag: string; commit: string };
  cases: { id: string; plugin: string; config?: unknown; protocols?: unknown; ordering?: unknown; consumer?: boolean; valid: boolean; errors: Record<string, string[]> }[];
}

const DIR = join(import.meta.dirname, '..', 'fixtures', 'kong-oracle');

/**
 * Known, justified differences: the case id and why. Kong's message is compared too, except where Kong's
 * text comes from iterating a Lua hash table (the order of `expected one of` lists built with pairs()).
 */
const MESSAGE_ORDER_VARIES = new Set(['config.propagation.extract.1', 'config.propagation.inject.1', 'config.propagation.default_format']);

/**
 * Known misses, each explained: configurations Kong refuses and we accept, because the check needs Lua itself.
 * These validators are registered NOT_CHECKED in src/kong/checks.ts (scripts/kong-schemas/README.md says why:
 * a verdict needs LuaJIT's own parser, and any parser difference would be a false denial). The test fails if
 * one of them stops being exactly this miss (Kong refuses at that path and we accept), so a fix must remove it.
 */
const PHASE_CODE = "pre-function/post-function phase code is compiled with LuaJIT's loadstring (validate_function, kong/plugins/pre-function/_schema.lua): the syntax error is LuaJIT's parser's";
const TEMPLATE = "request-transformer compiles a value's $(...) templates as Lua with penlight (check_for_value, kong/plugins/request-transformer/schema.lua): the syntax error is LuaJIT's parser's";
const KNOWN_MISSES: Record<string, { path: string; why: string }> = {
  'spec/pre-function/Plugin: pre-function (by phase=functions) schema > errors > with an invalid function': { path: 'config.access.1', why: PHASE_CODE },
  'spec/pre-function/Plugin: pre-function (by phase=functions) schema > errors > with a valid and invalid function': { path: 'config.access.2', why: PHASE_CODE },
  'spec/post-function/Plugin: post-function (by phase=functions) schema > errors > with an invalid function': { path: 'config.access.1', why: PHASE_CODE },
  'spec/post-function/Plugin: post-function (by phase=functions) schema > errors > with a valid and invalid function': { path: 'config.access.2', why: PHASE_CODE },
  'spec/request-transformer/Plugin: request-transformer(schema) > error for malformed regex pattern in value': { path: 'config.add.querystring.1', why: TEMPLATE },
};

for (const file of ['plugins-dbless.json', 'plugins-postgres.json', 'docs-examples-dbless.json', 'spec-examples-dbless.json', 'spec-inserts-dbless.json', 'spec-inserts-postgres.json']) {
  const fixture = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Fixture;
  const misses = fixture.cases.filter((c) => c.id in KNOWN_MISSES).length;
  test(`Kong ${fixture.source.tag} oracle, ${file}: same verdict, paths and messages on ${fixture.cases.length} cases${misses ? ` (${misses} known misses)` : ''}`, () => {
    const mismatches: string[] = [];
    for (const c of fixture.cases) {
      const ours = validatePlugin(c.plugin, { config: c.config, protocols: c.protocols, ordering: c.ordering, consumer: c.consumer }, fixture.source.database);
      assert.ok(ours, `${c.id}: ${c.plugin} is not a bundled plugin`);
      const known = KNOWN_MISSES[c.id];
      if (known) {
        if (c.valid || !ours.valid || JSON.stringify(Object.keys(c.errors)) !== JSON.stringify([known.path])) {
          mismatches.push(`${c.id}: no longer the known miss (Kong refuses at ${known.path}, we accept): Kong ${c.valid ? 'accepts' : 'rejects'} ${JSON.stringify(c.errors)}, we ${ours.valid ? 'accept' : 'reject'} ${JSON.stringify(ours.errors)}`);
        }
        continue;
      }
      const want = Object.fromEntries(Object.entries(c.errors).filter(([k]) => !MESSAGE_ORDER_VARIES.has(k)));
      const got = Object.fromEntries(Object.entries(ours.errors).filter(([k]) => !MESSAGE_ORDER_VARIES.has(k)));
      if (ours.valid !== c.valid || JSON.stringify(Object.keys(got).sort()) !== JSON.stringify(Object.keys(want).sort())) {
        mismatches.push(`${c.id}: Kong ${c.valid ? 'accepts' : 'rejects'} ${JSON.stringify(c.errors)}, we ${ours.valid ? 'accept' : 'reject'} ${JSON.stringify(ours.errors)}`);
        continue;
      }
      for (const [path, messages] of Object.entries(want)) {
        if (JSON.stringify(got[path]) !== JSON.stringify(messages)) mismatches.push(`${c.id}: ${path}: Kong says ${JSON.stringify(messages)}, we say ${JSON.stringify(got[path])}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });
}

test('every known miss names a case of the fixtures', () => {
  const ids = new Set(['plugins-dbless.json', 'plugins-postgres.json', 'docs-examples-dbless.json', 'spec-examples-dbless.json', 'spec-inserts-dbless.json', 'spec-inserts-postgres.json'].flatMap((f) => (JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Fixture).cases.map((c) => c.id)));
  assert.deepEqual(Object.keys(KNOWN_MISSES).filter((id) => !ids.has(id)), []);
});

test('the fixtures cover every bundled plugin with an accepted case, and the research §1.8 discrepancies by name', () => {
  const cases = ['plugins-dbless.json', 'docs-examples-dbless.json'].flatMap((f) => (JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Fixture).cases);
  const accepted = new Set(cases.filter((c) => c.valid).map((c) => c.plugin));
  assert.deepEqual(BUNDLED_PLUGINS.filter((p) => !accepted.has(p)), []);
  const byId = new Map(cases.map((c) => [c.id, c]));
  const verdicts = Object.fromEntries(
    ['jwt/maximum_expiration-without-claims', 'acl/allow-empty-deny-set', 'key-auth/key_names-empty', 'ip-restriction/allow-empty', 'cors/origins-empty-object', 'acl/protocols-ws', 'rate-limiting/policy-cluster', 'key-auth/keys-unknown-field'].map((id) => [id, byId.get(id)?.valid]),
  );
  assert.deepEqual(verdicts, {
    'jwt/maximum_expiration-without-claims': true,
    'acl/allow-empty-deny-set': true,
    'key-auth/key_names-empty': true,
    'ip-restriction/allow-empty': false,
    'cors/origins-empty-object': true,
    'acl/protocols-ws': false,
    'rate-limiting/policy-cluster': false,
    'key-auth/keys-unknown-field': false,
  });
});
