// The PCRE2 syntax scanner (src/kong/pcre2.ts) against PCRE2 itself: test/fixtures/kong-oracle/pcre2.json holds
// pcre2test's verdict (and message) on hand-picked patterns and on seeded random ones
// (scripts/kong-schemas/pcre2-oracle.ts). The scanner must never refuse what PCRE2 compiles; where it refuses,
// a pattern with one error gets PCRE2's message.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { pcre2Error } from '../../src/kong/pcre2.ts';

interface Case {
  pattern: string;
  note: string;
  ok: boolean;
  error?: string;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/kong-oracle/pcre2.json', import.meta.url), 'utf8')) as { source: { pcre2: string }; cases: Case[] };
const chosen = fixture.cases.filter((c) => !c.note.startsWith('random'));
const random = fixture.cases.filter((c) => c.note.startsWith('random'));

/** Patterns PCRE2 refuses that the scanner accepts on purpose: it does not judge them. */
const NOT_JUDGED = new Map([
  ['/(*LIMIT_MATCH=1000)a', 'verbs and start-of-pattern options are not judged'],
  ['/(?<=a+)b', 'lookbehind lengths are not judged (PCRE2 10.43 changed what is allowed)'],
]);

for (const c of chosen) {
  test(`pcre2: ${JSON.stringify(c.pattern)} (${c.note}): ${c.ok ? 'compiles' : c.error}`, () => {
    const ours = pcre2Error(c.pattern);
    if (c.ok) return assert.equal(ours, undefined, `PCRE2 compiles it; the scanner says ${ours?.message}`);
    if (NOT_JUDGED.has(c.pattern)) return assert.equal(ours, undefined);
    assert.equal(ours?.message, c.error);
  });
}

test(`pcre2: ${random.length} random patterns: nothing ${fixture.source.pcre2} compiles is refused, most it refuses are`, () => {
  const falseRefusals = random.filter((c) => c.ok && pcre2Error(c.pattern)).map((c) => c.pattern);
  assert.deepEqual(falseRefusals, []);
  const refused = random.filter((c) => !c.ok);
  const caught = refused.filter((c) => pcre2Error(c.pattern));
  // The misses are the constructs left unjudged (verbs, property names, relative references, ...).
  assert.ok(caught.length >= refused.length * 0.8, `caught ${caught.length} of ${refused.length}`);
});

test('pcre2: PCRE2 10.43+ syntax that 10.42 refuses is never refused (Kong 3.9 ships 10.44)', () => {
  for (const p of ['/x{,5}', '/a{ 2 }', '/a{2, 3}', '/\\x{ 41 }', '/(?aD)\\d', '/(?r)a', '/(?<=ab?)c', '/\\N{ 3 }']) {
    assert.equal(pcre2Error(p), undefined, p);
  }
});
