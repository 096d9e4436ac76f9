// Regex route paths: routePathRegexRefusal (src/kong/regex.ts) under router_flavor traditional against Kong 3.9.3's
// own routes validator (test/fixtures/kong-oracle/route-paths-traditional.json, scripts/kong-schemas/routes-harness.lua):
// the same verdict, and PCRE2's reason or the router_path message Kong gives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { routePathRegexRefusal } from '../../src/kong/regex.ts';

interface Case {
  path: string;
  note: string;
  valid: boolean;
  errors: string[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/kong-oracle/route-paths-traditional.json', import.meta.url), 'utf8')) as { source: { tag: string }; cases: Case[] };

/** Paths Kong refuses that are accepted on purpose: the PCRE2 scanner does not judge them. */
const NOT_JUDGED = new Set(['~/(*LIMIT_MATCH=1000)a', '~/(?<=a+)b']);

test(`route paths: Kong ${fixture.source.tag}'s verdict on ${fixture.cases.length} regex paths`, () => {
  const wrong: string[] = [];
  for (const c of fixture.cases) {
    const ours = routePathRegexRefusal(c.path, 'traditional');
    if (c.valid || NOT_JUDGED.has(c.path)) {
      if (ours) wrong.push(`${c.path}: Kong accepts it, we say ${ours.kong}`);
      continue;
    }
    const kong = c.errors[0] ?? '';
    // "invalid regex: '/(foo' (PCRE returned: pcre2_compile() failed: missing closing parenthesis (pattern offset: 6) in ...)"
    const pcre = /pcre2_compile\(\) failed: (.*) \(pattern offset: \d+\)/.exec(kong)?.[1];
    const want = pcre ?? kong;
    const got = ours?.engine === 'PCRE2' ? ours.reason : ours?.kong;
    if (got !== want) wrong.push(`${c.path}: Kong says ${kong}; we say ${ours ? ours.kong : 'nothing'}`);
  }
  assert.deepEqual(wrong, []);
});
