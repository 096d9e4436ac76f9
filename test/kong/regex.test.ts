// Route path regexes as Kong 3.9.3 judges them per router_flavor (src/kong/regex.ts): PCRE2 always, the ATC
// router's Rust regex too under traditional_compatible, only Rust (KIC's `^re` expression) under expressions.
// Expected verdicts: research/kong-validation.md §4.2 (PCRE2 and rregex 1.11.0 = Rust regex 1.11.1 runs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expressionRegexRefusal, MAX_JUDGED_LENGTH, pcreRefusal, routePathRegexRefusal, rustRefusal, type RouterFlavor } from '../../src/kong/regex.ts';

// rregex's build metadata is exported but not declared in its types.
const { metadata } = (await import('rregex')) as unknown as { metadata: Record<string, string> };

type Engine = 'path' | 'PCRE2' | 'Rust regex' | undefined;
const T: RouterFlavor = 'traditional';
const C: RouterFlavor = 'traditional_compatible';

const cases: [path: string, traditional: Engine, compatible: Engine, expressions: Engine, note: string][] = [
  ['~/api/v\\d+', undefined, undefined, undefined, 'everyday'],
  ['~/(?<id>\\d+)', undefined, undefined, undefined, '(?< is rewritten (?P< for Rust'],
  ['~/(?P<id>\\d+)', undefined, undefined, undefined, 'Python-style name'],
  ['~/(?i)abc', undefined, undefined, undefined, 'inline flag'],
  ['~/\\/foo', undefined, undefined, undefined, '\\/ is fine in regex >= 1.8'],
  ['~/a++', undefined, undefined, undefined, 'possessive in PCRE2, accepted by Rust'],
  ['~/\\p{L}+', undefined, undefined, undefined, 'property'],
  ['~/[[:alpha:]]', undefined, undefined, undefined, 'POSIX class'],
  ['~/users/(?=x)', undefined, 'Rust regex', 'Rust regex', 'look-ahead'],
  ['~/users/(?!admin)', undefined, 'Rust regex', 'Rust regex', 'negative look-ahead (KIC #5497)'],
  ['~/(?<=a)b', undefined, 'Rust regex', 'Rust regex', 'look-behind'],
  ['~/(a)\\1', undefined, 'Rust regex', 'Rust regex', 'back reference'],
  ['~/(?>a)', undefined, 'Rust regex', 'Rust regex', 'atomic group'],
  ['~/\\Qa.b\\E', undefined, 'Rust regex', 'Rust regex', '\\Q..\\E'],
  ['~/\\K', undefined, 'Rust regex', 'Rust regex', '\\K'],
  ['~/x{,5}', undefined, 'Rust regex', 'Rust regex', '{,n}'],
  ['~/\\u0041', 'PCRE2', 'PCRE2', undefined, 'PCRE2 does not support \\u; Rust does'],
  ['~/\\j', 'PCRE2', 'PCRE2', 'Rust regex', 'unknown escape'],
  ['~/[\\w-.]', 'PCRE2', 'PCRE2', 'Rust regex', 'class type as a range start'],
  ['~/a{2,1}', 'PCRE2', 'PCRE2', 'Rust regex', 'numbers out of order'],
  ['~/(foo', 'PCRE2', 'PCRE2', 'Rust regex', 'missing )'],
  ['~/\\d{1000}{100}', 'PCRE2', 'PCRE2', 'Rust regex', 'stacked quantifier; Rust: size limit'],
  ['~^/api', 'path', 'path', undefined, 'a regex path must start with ~/'],
  ['~/a//b', 'path', 'path', undefined, 'empty segment'],
];

for (const [path, traditional, compatible, expressions, note] of cases) {
  test(`regex: ${path} (${note}): traditional ${traditional ?? 'ok'}, traditional_compatible ${compatible ?? 'ok'}, expressions ${expressions ?? 'ok'}`, () => {
    assert.equal(routePathRegexRefusal(path, T)?.engine, traditional);
    assert.equal(routePathRegexRefusal(path, C)?.engine, compatible);
    assert.equal(expressionRegexRefusal(path.slice(1))?.engine, expressions);
  });
}

test('regex: Kong\'s own words', () => {
  assert.equal(routePathRegexRefusal('~/users/(foo', T)?.kong, "invalid regex: '/users/(foo' (PCRE returned: pcre2_compile() failed: missing closing parenthesis ...)");
  assert.equal(routePathRegexRefusal('~/users/(?=x)', C)?.kong, 'Router Expression failed validation: ... look-around, including look-ahead and look-behind, is not supported');
  assert.equal(routePathRegexRefusal('~^/api', C)?.kong, 'should start with: / (fixed path) or ~/ (regex path)');
});

test('regex: the Rust half is the regex crate Kong 3.9 builds atc-router with, with its 10 MiB size limit', () => {
  assert.equal(rustRefusal('^/\\d{1000}{100}'), 'Compiled regex exceeds size limit of 10485760 bytes.');
  assert.equal(rustRefusal('^/\\d{100}'), undefined);
  // Kong 3.9's Bazel lock (crate_locks/atc_router.Cargo.lock): regex 1.11.1, regex-syntax 0.8.5. Pin rregex to match.
  assert.equal(metadata.regex, '1.11.1');
  assert.equal(metadata['regex-syntax'], '0.8.5');
});

test('regex: a huge regex is not judged (accepted), so no object can make a judgement slow', () => {
  const huge = `/${'(a'.repeat(200_000)}`;
  assert.equal(routePathRegexRefusal(`~${huge}`, C), undefined);
  assert.equal(pcreRefusal(huge), undefined);
  assert.equal(rustRefusal(huge), undefined);
  assert.ok(routePathRegexRefusal(`~/${'('.repeat(10)}`, C), 'a short broken one still is');
  assert.ok(MAX_JUDGED_LENGTH >= 1024);
});
