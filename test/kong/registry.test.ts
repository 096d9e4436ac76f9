// Every Lua function in the generated schemas has a TypeScript counterpart or is registered as not checked:
// regenerating from a newer Kong that adds a validator fails here until someone decides about it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ENTITY_CHECKS, FIELD_CHECKS, SHORTHANDS } from '../../src/kong/checks.ts';
import { DBLESS } from '../../src/kong/generated/3.9.3/plugins.ts';
import { luaPatternToRegExp } from '../../src/kong/lua-pattern.ts';
import { BUNDLED_PLUGINS, KONG_SOURCE, functionMarkers } from '../../src/kong/plugins.ts';

const markers = functionMarkers();

test('every field validator marker in the dump has a registry entry', () => {
  assert.deepEqual(markers.field.filter((m) => !(m in FIELD_CHECKS)), []);
});

test('every custom_entity_check marker in the dump has a registry entry', () => {
  assert.deepEqual(markers.entity.filter((m) => !(m in ENTITY_CHECKS)), []);
});

test('every shorthand without a replaced_with path has a rewrite', () => {
  assert.deepEqual(markers.shorthand.filter((m) => !(m in SHORTHANDS)), []);
  assert.ok(markers.genericShorthand.length > 0);
});

test('the registries hold no entry the dump no longer uses', () => {
  const used = new Set([...markers.field, ...markers.entity, ...markers.shorthand]);
  assert.deepEqual([...Object.keys(FIELD_CHECKS), ...Object.keys(ENTITY_CHECKS), ...Object.keys(SHORTHANDS)].filter((k) => !used.has(k)), []);
});

test('the dump is Kong 3.9.3 with its 45 bundled plugins', () => {
  assert.equal(KONG_SOURCE.tag, '3.9.3');
  assert.equal(KONG_SOURCE.commit, 'a643428bc4d5397152164a63bcc0f8bc65fce69d');
  assert.equal(BUNDLED_PLUGINS.length, 45);
});

test('every Lua pattern in the dump translates to a JavaScript RegExp', () => {
  const patterns: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const key of ['match', 'not_match']) if (typeof o[key] === 'string') patterns.push(o[key] as string);
      for (const key of ['match_all', 'match_none']) if (Array.isArray(o[key])) for (const m of o[key] as { pattern: string }[]) patterns.push(m.pattern);
      if (o.match_any && typeof o.match_any === 'object') patterns.push(...(o.match_any as { patterns: string[] }).patterns);
      Object.values(o).forEach(walk);
    }
  };
  walk(DBLESS);
  assert.ok(patterns.length >= 15, `${patterns.length} patterns`);
  for (const p of patterns) assert.doesNotThrow(() => luaPatternToRegExp(p), p);
});
