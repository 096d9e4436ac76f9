// Route regexes evaluated as Kong's router does, by the Rust `regex` crate (rregex): its syntax, its Unicode
// classes, its refusals (never a crash), and its linear time on regexes that make a backtracking engine explode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRustRegex } from '../../src/router/rust-regex.ts';

const rust = (source: string) => {
  const c = compileRustRegex(source);
  assert.ok(c.ok, `${source}: ${c.ok ? '' : c.reason}`);
  return c.regex;
};
const refused = (source: string, why: RegExp) => {
  const c = compileRustRegex(source);
  assert.equal(c.ok, false, source);
  if (!c.ok) assert.match(c.reason, why);
};

test('plain syntax, and KIC\'s literal path regexes', () => {
  assert.ok(rust('^/api/v\\d+').test('/api/v12'));
  assert.ok(!rust('^/api/v\\d+$').test('/api/v1x'));
  assert.ok(rust('[a-z]{3}').test('abc'));
  assert.ok(rust('^/foo$').test('/foo'));
  assert.ok(!rust('^/foo$').test('/foo/'));
  assert.ok(rust('^/a.b$').test('/a-b'), '"." is any character in a literal-looking path too');
});

test('named groups (?P<n>…) and inline flags (?i) scoped as in Rust', () => {
  assert.ok(rust('^/status/(?P<foo>re)').test('/status/re'));
  assert.ok(rust('^/(?i)webhook/foo').test('/WebHook/foo'));
  assert.ok(!rust('^/(?i)webhook/foo').test('/x/foo'));
  assert.ok(rust('^/a(?i)b(c)d').test('/aBCD'));
  assert.ok(!rust('^/a(?i)b').test('/Ab'), 'the flag applies from where it stands');
  assert.ok(rust('(?x)a b').test('ab'), 'verbose mode ignores the space');
});

test('\\A, \\z, Unicode classes, escaped punctuation and a leading "]"', () => {
  assert.ok(rust('\\A/x\\z').test('/x'));
  assert.ok(!rust('\\A/x\\z').test('/xy'));
  assert.ok(rust('^/\\pL+$').test('/été'));
  assert.ok(rust('^/\\d$').test('/٣'), 'Rust\'s \\d is Unicode-aware: an Arabic-Indic digit');
  assert.ok(rust('^/a\\/b').test('/a/b'));
  assert.ok(rust('^/a\\-b').test('/a-b'));
  assert.ok(rust('^/a\\#b').test('/a#b'));
  assert.ok(rust('^[\\-a]+$').test('-a-'));
  assert.ok(rust('[]a]').test(']'));
});

test('what Rust rejects is refused with the crate\'s reason', () => {
  refused('^/(?=x)', /look-around/);
  refused('^/(?<!x)y', /look-around/);
  refused('^/(a)\\1', /backreferences/);
  refused('^/(', /unclosed group/);
  refused('^/[a', /unclosed character class/);
  refused('^/a)', /unopened group/);
  refused('\\', /incomplete escape/);
});

test('a regex that makes a backtracking engine explode runs in linear time, as in Kong', { timeout: 60_000 }, () => {
  // JavaScript's RegExp takes seconds at 30 characters and longer than the age of the universe here.
  const evil = rust('^/(a+)+$');
  assert.equal(evil.test(`/${'a'.repeat(100_000)}!`), false);
  assert.equal(rust('^/(a|a)*$').test(`/${'a'.repeat(100_000)}!`), false);
  assert.equal(evil.test(`/${'a'.repeat(100_000)}`), true);
});
