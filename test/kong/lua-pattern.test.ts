// Lua patterns as Kong's schemas use them, translated to JavaScript (src/kong/lua-pattern.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { luaMatches, luaPatternToRegExp } from '../../src/kong/lua-pattern.ts';

test('classes are ASCII, as in the C locale', () => {
  assert.equal(luaMatches('abc123', '^%w+$'), true);
  assert.equal(luaMatches('é', '^%w+$'), false);
  assert.equal(luaMatches('GET', '^%u+$'), true);
  assert.equal(luaMatches('get', '^%u+$'), false);
});

test('sets, escapes and anchors (file-log path, request-transformer headers, statsd status ranges)', () => {
  assert.equal(luaMatches('/tmp/a*b', '^[^*&%%`]+$'), false);
  assert.equal(luaMatches('/var/log/kong.log', '^[^*&%%`]+$'), true);
  assert.equal(luaMatches('x-new:1', '^[^:]+:.*$'), true);
  assert.equal(luaMatches('x-new', '^[^:]+:.*$'), false);
  assert.equal(luaMatches('200-299', '^[0-9]+-[0-9]+$'), true);
  assert.equal(luaMatches('app:', '^.*[^:]$'), false);
});

test('`-` is the lazy star and a $ inside the pattern is literal', () => {
  assert.equal(luaPatternToRegExp('^a-b$').source, '^a*?b$');
  assert.equal(luaMatches('a$b', 'a$b'), true);
});

test('constructs Kong schemas do not use are refused, not mistranslated', () => {
  assert.throws(() => luaPatternToRegExp('%b()'), /unsupported/);
  assert.throws(() => luaPatternToRegExp('[abc'), /missing/);
});
