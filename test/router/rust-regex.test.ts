// Rust regex syntax evaluated with JS RegExp: what is rewritten, what is refused (never a crash).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRustRegex } from '../../src/router/rust-regex.ts';

const js = (source: string) => {
  const c = compileRustRegex(source);
  assert.ok(c.ok, `${source}: ${c.ok ? '' : c.reason}`);
  return c.regex;
};
const refused = (source: string, why: RegExp) => {
  const c = compileRustRegex(source);
  assert.equal(c.ok, false, source);
  if (!c.ok) assert.match(c.reason, why);
};

test('plain syntax shared by both', () => {
  assert.ok(js('^/api/v\\d+').test('/api/v12'));
  assert.ok(!js('^/api/v\\d+$').test('/api/v1x'));
  assert.ok(js('[a-z]{3}').test('abc'));
});

test('named groups (?P<n>…) and inline flags (?i)', () => {
  assert.ok(js('^/status/(?P<foo>re)').test('/status/re'));
  assert.ok(js('^/(?i)webhook/foo').test('/WebHook/foo'));
  assert.ok(!js('^/(?i)webhook/foo').test('/x/foo'));
  assert.ok(js('^/a(?i)b(c)d').test('/aBCD'));
  assert.ok(!js('^/a(?i)b').test('/Ab'), 'the flag applies from where it stands');
});

test('\\A, \\z, one-letter Unicode classes and escaped punctuation', () => {
  assert.ok(js('\\A/x\\z').test('/x'));
  assert.ok(!js('\\A/x\\z').test('/xy'));
  assert.ok(js('^/\\pL+$').test('/été'));
  assert.ok(js('^/a\\/b').test('/a/b'));
  assert.ok(js('^/a\\-b').test('/a-b'));
  assert.ok(js('^/a\\#b').test('/a#b'));
  assert.ok(js('^[\\-a]+$').test('-a-'));
  assert.ok(js('[]a]').test(']'));
});

test('what Rust rejects is refused with the reason', () => {
  refused('^/(?=x)', /look-around/);
  refused('^/(?<!x)y', /look-around/);
  refused('^/(?P<=x)y', /look-around/);
  refused('^/(a)\\1', /back-references/);
});

test('what cannot be translated is refused, not thrown', () => {
  refused('^/(', /unclosed group|Invalid|cannot evaluate/);
  refused('^/[a', /unclosed character class/);
  refused('^/a)', /unbalanced/);
  refused('(?x)a b', /no JS equivalent/);
  refused('a(?i)b|c', /alternation/);
  refused('\\', /lone backslash/);
});
