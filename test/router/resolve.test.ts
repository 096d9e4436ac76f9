// The resolution and its explanations: route splitting, the first failing predicate per part, the order of
// near misses, and why the winner beats each other matching part.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolve } from '../../src/router/resolve.ts';
import { splitPartId } from '../../src/router/route-id.ts';
import { splitRoute, type RouterRoute } from '../../src/router/route.ts';

const ID = '11111111-1111-5111-8111-111111111111';
let n = 0;
const r = (fields: Omit<RouterRoute, 'id'>): RouterRoute => ({ id: `00000000-0000-5000-8000-${String(++n).padStart(12, '0')}`, ...fields });

describe('splitRoute (transform.lua split_routes_and_services_by_path)', () => {
  test('groups: all regexes together, one per plain length, in order of first appearance', () => {
    const parts = splitRoute({ id: ID, name: 'r', paths: ['/ab', '~/x', '/cd', '/abc', '~/y'] });
    assert.deepEqual(parts.map((p) => p.paths), [['/ab', '/cd'], ['~/x', '~/y'], ['/abc']]);
    assert.deepEqual(parts.map((p) => p.group), [1, 2, 3]);
    assert.deepEqual(parts.map((p) => p.id), [1, 2, 3].map((i) => splitPartId(ID, i)));
  });
  test('one path, one group, no paths or an expression: not split, the route keeps its ID', () => {
    for (const fields of [{ paths: ['/a'] }, { paths: ['/a', '/b'] }, { paths: [] }, {}, { paths: ['/a', '~/b'], expression: 'http.path ^= "/"' }]) {
      const parts = splitRoute({ id: ID, name: 'r', ...fields });
      assert.equal(parts.length, 1);
      assert.equal(parts[0]!.id, ID);
      assert.equal(parts[0]!.group, undefined);
    }
  });
  test('plain lengths are counted in bytes, as Lua does', () => {
    assert.equal(splitRoute({ id: ID, name: 'r', paths: ['/é', '/ab'] }).length, 1);
  });
});

describe('failures of traditional parts, first in Kong order', () => {
  const first = (route: Omit<RouterRoute, 'id'>, request: Parameters<typeof resolve>[1]) => resolve([r(route)], request).notMatching[0]!.failure!;
  test('each group has its code and a message naming both sides', () => {
    const m = first({ name: 'm', methods: ['POST'] }, { method: 'GET' });
    assert.equal(m.code, 'method-mismatch');
    assert.match(m.message, /GET is not one of \["POST"\]/);
    assert.equal(first({ name: 'h', hosts: ['a.com'] }, {}).code, 'host-missing');
    assert.equal(first({ name: 'h', hosts: ['a.com'] }, { host: 'b.com' }).code, 'host-mismatch');
    assert.equal(first({ name: 'p', paths: ['/a'] }, { path: '/b' }).code, 'path-not-prefix');
    assert.equal(first({ name: 'p', paths: ['~/a/\\d+'] }, { path: '/a/x' }).code, 'path-regex');
    assert.equal(first({ name: 'p', paths: ['~/a$'] }, { path: '/a/' }).code, 'path-kic-exact');
    assert.equal(first({ name: 'x', headers: { 'X-Team': ['a'] } }, {}).code, 'header-missing');
    const h = first({ name: 'x', headers: { 'X-Team': ['a', 'b'] } }, { headers: { 'x-team': 'c' } });
    assert.equal(h.code, 'header-mismatch');
    assert.match(h.message, /case-insensitively/);
  });
  test('the order is snis, methods, hosts, paths, headers; all failures are kept', () => {
    const got = resolve([r({ name: 'all', methods: ['POST'], hosts: ['a'], paths: ['/a'], headers: { x: ['1'] } })], { host: 'b', path: '/b' });
    assert.deepEqual(got.notMatching[0]!.failures.map((f) => f.group), ['method', 'host', 'path', 'header']);
  });
  test('a certain failure is shown before an unevaluable one', () => {
    const got = resolve([r({ name: 'x', hosts: ['a'], paths: ['~/(?=x)'] })], { host: 'b' });
    assert.equal(got.notMatching[0]!.failure!.code, 'host-mismatch');
    assert.equal(got.unevaluable.length, 0);
  });
});

describe('near misses on a 404', () => {
  test('ranked by predicate groups that hold, then by priority', () => {
    const routes = [
      r({ name: 'one-of-three', hosts: ['x'], methods: ['POST'], paths: ['/other'] }),
      r({ name: 'two-of-three', hosts: ['a'], methods: ['GET'], paths: ['/other'] }),
      r({ name: 'two-of-three-regex', hosts: ['a'], methods: ['GET'], paths: ['~/other'] }),
    ];
    const got = resolve(routes, { host: 'a', path: '/p' });
    assert.equal(got.outcome.status, 404);
    assert.deepEqual(got.notMatching.map((c) => c.part.route.name), ['two-of-three-regex', 'two-of-three', 'one-of-three']);
    assert.deepEqual(got.notMatching.map((c) => c.passed), [2, 2, 0]);
  });
});

describe('why the winner wins', () => {
  const why = (routes: RouterRoute[], request: Parameters<typeof resolve>[1]) => resolve(routes, request).shadowed.map((s) => s.why);
  test('plain hosts, regex, match weight, headers, regex_priority, path length, route ID', () => {
    assert.equal(why([r({ name: 'w', hosts: ['a'] }), r({ name: 'l', hosts: ['*'], methods: ['GET'] })], { host: 'a' })[0]!.component, 'plain-hosts');
    assert.equal(why([r({ name: 'w', paths: ['~/'] }), r({ name: 'l', paths: ['/'], methods: ['GET'] })], {})[0]!.component, 'regex');
    const mw = why([r({ name: 'w', paths: ['/'], methods: ['GET'] }), r({ name: 'l', paths: ['/'] })], {})[0]!;
    assert.equal(mw.component, 'match-weight');
    assert.equal(mw.message, 'it matches on more fields (2 vs 1)');
    assert.equal(why([r({ name: 'w', headers: { a: ['1'], b: ['1'] } }), r({ name: 'l', headers: { a: ['1'] } })], { headers: { a: '1', b: '1' } })[0]!.message, 'it matches on more headers (2 vs 1)');
    assert.equal(why([r({ name: 'w', paths: ['~/'], regexPriority: 3 }), r({ name: 'l', paths: ['~/'], regexPriority: 2 })], {})[0]!.message, 'higher regex_priority (3 vs 2)');
    assert.equal(why([r({ name: 'w', paths: ['/ab'] }), r({ name: 'l', paths: ['/a'] })], { path: '/ab' })[0]!.message, 'longer plain path (3 vs 2 bytes)');
    const low = { id: '00000000-ffff-5000-8000-000000000000', name: 'l', paths: ['/a'] };
    const high = { id: 'ffffffff-0000-5000-8000-000000000000', name: 'w', paths: ['/a'] };
    const tie = why([low, high], { path: '/a' })[0]!;
    assert.equal(tie.component, 'route-id');
    assert.match(tie.message, /^same priority 0x0000000020000002; the tie is broken by route ID: Kong tries the greater ID first \(ffffffff-0000-5000-8000-000000000000 > 00000000-ffff-5000-8000-000000000000\)/);
  });
  test('when the deciding bit is not the plain reading of the inputs, the message says so', () => {
    const w = why(
      [r({ name: 'generic', paths: ['~/a'], regexPriority: 1, headers: { h: ['1'] } }), r({ name: 'specific', paths: ['~/a'], regexPriority: 2, headers: { h: ['1'] } })],
      { path: '/a', headers: { h: '1' } },
    )[0]!;
    assert.equal(w.component, 'regex-priority');
    assert.match(w.message, /^Kong 3\.x ORs match weight, header count and regex_priority into one 32-bit word/);
    assert.match(w.message, /Kong\/kong#14457/);
  });
  test('every other matching part is listed in Kong order, including the parts of the winning route', () => {
    const got = resolve([r({ name: 'prefix', paths: ['/foo/', '~/foo$'] }), r({ name: 'root', paths: ['/'] })], { path: '/foo/x' });
    assert.equal(got.winner!.part.route.name, 'prefix');
    assert.deepEqual(got.shadowed.map((s) => s.candidate.part.route.name), ['root']);
    assert.equal(got.winner!.matchedPath, '/foo/');
  });
});
