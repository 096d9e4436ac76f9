// The field-by-field matcher must agree with the ATC expression Kong itself builds from the same route.
// Expressions below were printed by Kong 3.9.3's kong/router/transform.lua `get_expression` under LuaJIT;
// both sides run on every request of a small grid. (Over 400 random routes x 60 requests: no disagreement.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, parseExpression } from '../../src/router/expression.ts';
import { normaliseRequest, type RequestInput } from '../../src/router/request.ts';
import { splitRoute, type RouterRoute } from '../../src/router/route.ts';
import { hostMatches, kongPathRegex, matchTraditionalPart, pathKind } from '../../src/router/traditional-match.ts';

const KONG_EXPRESSIONS: readonly (readonly [Omit<RouterRoute, 'id' | 'name'>, string])[] = [
  [
    { methods: ['GET'], hosts: ['a.com', '*.b.com', 'c.*', 'd.com:8080'], headers: { 'X-Team': ['a', '~*^B\\S+'], y: ['1'] }, snis: ['a.com', '*.x.com'], paths: ['/a', '~/b(?<n>c)'] },
    '(net.protocol != r#"https"# || (tls.sni == r#"a.com"# || tls.sni =^ r#".x.com"#)) && (http.method == r#"GET"#) && (http.host == r#"a.com"# || http.host =^ r#".b.com"# || http.host ^= r#"c."# || (http.host == r#"d.com"# && net.dst.port == 8080)) && (http.path ^= r#"/a"# || http.path ~ r#"^/b(?P<n>c)"#) && (any(lower(http.headers.y)) == r#"1"#) && (any(lower(http.headers.x_team)) == r#"a"# || any(lower(http.headers.x_team)) ~ r#"^b\\s+"#)',
  ],
  [{ paths: ['~/(?i)Up$'] }, '(http.path ~ r#"^/(?i)Up$"#)'],
  [
    { methods: ['POST', 'PUT'], hosts: ['*.a.com:80', 'b.com'], snis: ['a.com.'], paths: ['/x/'] },
    '(net.protocol != r#"https"# || (tls.sni == r#"a.com"#)) && (http.method == r#"POST"# || http.method == r#"PUT"#) && ((http.host =^ r#".a.com"# && net.dst.port == 80) || http.host == r#"b.com"#) && (http.path ^= r#"/x/"#)',
  ],
  [{ hosts: ['A.com'], headers: { 'x-team': ['A'] } }, '(http.host == r#"A.com"#) && (any(lower(http.headers.x_team)) == r#"a"#)'],
];

const grid: RequestInput[] = [];
for (const scheme of ['http', 'https'] as const)
  for (const method of ['GET', 'PUT', 'get'])
    for (const host of ['a.com', 'A.com', 'q.b.com', 'c.org', 'd.com:8080', 'd.com', 'x.a.com:80', 'b.com', undefined])
      for (const path of ['/a', '/abc', '/bc', '/b', '/UP', '/up/', '/x/y', '/x'])
        for (const headers of [{}, { 'x-team': 'a', y: '1' }, { 'X-TEAM': ['B1'], Y: '1' }, { 'x-team': 'A' }] as Record<string, string | string[]>[])
          for (const sni of [undefined, 'q.x.com', 'a.com'])
            grid.push({ scheme, method, ...(host === undefined ? {} : { host }), path, headers, ...(sni === undefined ? {} : { sni }) });

test("the matcher agrees with Kong's own expression for the route", () => {
  for (const [fields, expression] of KONG_EXPRESSIONS) {
    // Kong would split a route with several path groups; together its parts match what the whole expression does.
    const parts = splitRoute({ id: 'x', name: 'x', ...fields });
    const expr = parseExpression(expression);
    let matched = 0;
    for (const input of grid) {
      const req = normaliseRequest(input);
      const mine = parts.some((part) => matchTraditionalPart(part, req, 'traditional_compatible').failures.length === 0);
      assert.equal(mine, evaluate(expr, req), `${expression} on ${JSON.stringify(input)}`);
      if (mine) matched++;
    }
    assert.ok(matched > 0, `the grid reaches a match for ${expression}`);
  }
});

test('hostMatches: exact, suffix, prefix, port', () => {
  assert.equal(hostMatches('a.com', 'a.com', 80), true);
  assert.equal(hostMatches('*.a.com', 'b.a.com', 80), true);
  assert.equal(hostMatches('*.a.com', 'a.com', 80), false);
  assert.equal(hostMatches('a.*', 'a.org', 80), true);
  assert.equal(hostMatches('a.com:8080', 'a.com', 8080), true);
  assert.equal(hostMatches('a.com:8080', 'a.com', 80), false);
});

test('kongPathRegex and pathKind', () => {
  assert.equal(kongPathRegex('~/a(?<n>b)'), '^/a(?P<n>b)');
  assert.equal(pathKind('/foo', ['/foo']), 'prefix');
  assert.equal(pathKind('/foo/', ['/foo/', '~/foo$']), 'kic-prefix');
  assert.equal(pathKind('~/foo$', ['/foo/', '~/foo$']), 'kic-prefix');
  assert.equal(pathKind('~/foo/$', ['~/foo/$', '/foo/']), 'kic-prefix');
  assert.equal(pathKind('~/foo$', ['~/foo$']), 'kic-exact');
  assert.equal(pathKind('~/foo/\\d+', ['~/foo/\\d+']), 'regex');
});
