// router.md §14, one test per edge case that concerns the router (the translator's own cases, such as the
// oldest default backend or HTTPRoute queryParams under compat, belong to its tests).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normaliseRequest } from '../../src/router/request.ts';
import { resolve } from '../../src/router/resolve.ts';
import { kicRouteId } from '../../src/router/route-id.ts';
import { pathStart, type RouterFlavor, type RouterRoute } from '../../src/router/route.ts';
import type { RequestInput } from '../../src/router/request.ts';

let n = 0;
const r = (fields: Omit<RouterRoute, 'id'>): RouterRoute => ({ id: `00000000-0000-5000-8000-${String(++n).padStart(12, '0')}`, ...fields });
const winner = (routes: RouterRoute[], request: RequestInput, flavor?: RouterFlavor) => resolve(routes, request, flavor).winner?.part.route.name ?? 404;

describe('§14 edge cases', () => {
  test('a Kong plain prefix is not segment-aware; KIC Prefix is; ImplementationSpecific is not', () => {
    assert.equal(winner([r({ name: 'plain', paths: ['/api'] })], { path: '/apix' }), 'plain');
    assert.equal(winner([r({ name: 'kic-prefix', paths: ['/api/', '~/api$'] })], { path: '/apix' }), 404);
    assert.equal(winner([r({ name: 'kic-prefix', paths: ['/api/', '~/api$'] })], { path: '/api' }), 'kic-prefix');
    assert.equal(winner([r({ name: 'kic-prefix', paths: ['/api/', '~/api$'] })], { path: '/api/v1' }), 'kic-prefix');
    assert.equal(winner([r({ name: 'impl-specific', paths: ['/api'] })], { path: '/api-docs' }), 'impl-specific');
  });

  test('KIC Exact/Prefix values are unescaped regexes; an invalid one is unevaluable, not a crash', () => {
    assert.equal(winner([r({ name: 'exact', paths: ['~/v1.0$'] })], { path: '/v1x0' }), 'exact');
    assert.equal(winner([r({ name: 'exact', paths: ['~/a+b$'] })], { path: '/aab' }), 'exact');
    const got = resolve([r({ name: 'broken', paths: ['~/a(b$'] })], { path: '/a(b' });
    assert.equal(got.winner, undefined);
    assert.equal(got.unevaluable[0]!.part.route.name, 'broken');
    assert.equal(got.unevaluable[0]!.failure!.code, 'unevaluable');
  });

  test('compat regexes are Rust regexes: look-around and back-references are refused', () => {
    for (const path of ['~/a(?=b)', '~/(?<=a)b', '~/(a)\\1']) {
      const got = resolve([r({ name: 'x', paths: [path] })], { path: '/ab' });
      assert.equal(got.unevaluable.length, 1, path);
      assert.match(got.unevaluable[0]!.failure!.message, /Rust regex/);
    }
  });

  test('compat lower-cases the header regex text too: ~*\\S becomes \\s', () => {
    const routes = [r({ name: 'nonspace', headers: { x: ['~*^\\S+$'] } })];
    assert.equal(winner(routes, { headers: { x: 'abc' } }), 404);
    assert.equal(winner(routes, { headers: { x: '   ' } }), 'nonspace');
  });

  test('hosts: case-sensitive, wildcards span labels and never the bare suffix, the Host port counts', () => {
    assert.equal(winner([r({ name: 'h', hosts: ['a.com'] })], { host: 'A.com' }), 404);
    assert.equal(resolve([r({ name: 'h', hosts: ['a.com'] })], { host: 'A.com' }).notMatching[0]!.failure!.code, 'host-case');
    assert.equal(winner([r({ name: 'w', hosts: ['*.a.com'] })], { host: 'x.y.a.com' }), 'w');
    assert.equal(winner([r({ name: 'w', hosts: ['*.a.com'] })], { host: 'a.com' }), 404);
    assert.equal(resolve([r({ name: 'w', hosts: ['*.a.com'] })], { host: 'a.com' }).notMatching[0]!.failure!.code, 'host-wildcard-bare');
    assert.equal(winner([r({ name: 'p', hosts: ['a.com:8080'] })], { host: 'a.com:8080', listenerPort: 80 }), 'p');
    assert.equal(winner([r({ name: 'p', hosts: ['a.com:8080'] })], { host: 'a.com', listenerPort: 8080 }), 'p');
    assert.equal(resolve([r({ name: 'p', hosts: ['a.com:8080'] })], { host: 'a.com:80' }).notMatching[0]!.failure!.code, 'host-port-mismatch');
  });

  test('snis: ignored for http in compat; an expression tls.sni never matches plain HTTP; SNI may differ from Host', () => {
    const compat = [r({ name: 's', hosts: ['a.com'], snis: ['a.com'] })];
    assert.equal(winner(compat, { host: 'a.com' }), 's');
    assert.equal(winner(compat, { scheme: 'https', host: 'a.com' }), 's');
    assert.equal(winner(compat, { scheme: 'https', host: 'a.com', sni: 'b.com' }), 404);
    assert.equal(resolve(compat, { scheme: 'https', host: 'a.com', sni: 'b.com' }).notMatching[0]!.failure!.code, 'sni-mismatch');
    assert.equal(winner(compat, { scheme: 'https', host: 'a.com', sni: null }), 404);
    const expr = [r({ name: 'e', expression: '(http.host == "a.com") && (tls.sni == "a.com")', priority: 1 })];
    assert.equal(winner(expr, { host: 'a.com' }, 'expressions'), 404);
    assert.equal(winner(expr, { scheme: 'https', host: 'a.com' }, 'expressions'), 'e');
    assert.equal(winner([r({ name: 'w', snis: ['*.a.com'] }), r({ name: 'p', snis: ['b.*'] })], { scheme: 'https', host: 'z', sni: 'x.a.com' }), 'w');
    assert.equal(winner([r({ name: 'p', snis: ['b.*'] })], { scheme: 'https', host: 'z', sni: 'b.org' }), 'p');
    assert.equal(winner([r({ name: 'dot', snis: ['a.com.'] })], { scheme: 'https', host: 'z', sni: 'a.com' }), 'dot');
  });

  test('protocols [http]: an https request matches in traditional_compatible (Kong 3.9.3 compat.lua adds no protocol predicate), not in expressions', () => {
    const routes = [r({ name: 'http-only', paths: ['/'], protocols: ['http'] })];
    assert.equal(winner(routes, { scheme: 'https', host: 'a' }), 'http-only');
    assert.equal(winner(routes, { scheme: 'https', host: 'a' }, 'expressions'), 404);
    assert.equal(resolve(routes, { scheme: 'https', host: 'a' }, 'expressions').notMatching[0]!.failure!.code, 'protocol-mismatch');
    assert.equal(winner([r({ name: 'grpc', paths: ['/'], protocols: ['grpc', 'grpcs'] })], { scheme: 'https' }, 'expressions'), 'grpc');
  });

  test('split parts have their own IDs and priorities; renaming an object can flip a tie', () => {
    const ingress = (name: string, paths: string[]): RouterRoute => ({ id: kicRouteId(name), name, hosts: ['h.example.com'], paths });
    const before = [ingress('a.ing-a.svc-a.h.example.com.80', ['/foo/', '~/foo$']), ingress('b.ing-b.svc-b.h.example.com.80', ['~/foo$'])];
    assert.equal(winner(before, { host: 'h.example.com', path: '/foo' }), 'b.ing-b.svc-b.h.example.com.80');
    // Renaming ing-b's Service (svc-b -> svc-b3) changes its route name, so its ID (031207f1-… < b0e940d1-…), and nothing else.
    const renamed = [before[0]!, ingress('b.ing-b.svc-b3.h.example.com.80', ['~/foo$'])];
    const got = resolve(renamed, { host: 'h.example.com', path: '/foo' });
    assert.equal(got.winner!.part.route.name, 'a.ing-a.svc-a.h.example.com.80');
    assert.equal(got.shadowed[0]!.why.component, 'route-id');
  });

  test('created_at does not break ties in Kong 3.x; the ID does', () => {
    const older = r({ name: 'older', paths: ['/x'], createdAt: 1 });
    const newer = r({ name: 'newer', paths: ['/y'], createdAt: 2 });
    assert.ok(newer.id > older.id);
    assert.equal(winner([older, { ...newer, paths: ['/x'] }], { path: '/x' }), 'newer');
  });

  test('regex_priority: ordered for 0..1023 without headers; ignored by expression routes', () => {
    assert.equal(winner([r({ name: 'lo', paths: ['~/a'], regexPriority: 1 }), r({ name: 'hi', paths: ['~/a'], regexPriority: 1023 })], { path: '/a' }), 'hi');
    const top = [r({ name: 'neg', paths: ['~/a'], regexPriority: -5 }), r({ name: 'big', paths: ['~/a'], regexPriority: 5000 })];
    assert.equal(resolve(top, { path: '/a' }).outcome.status, 'undetermined');
    const expr = [r({ name: 'e1', expression: 'http.path ^= "/a"', priority: 2, regexPriority: 0 }), r({ name: 'e2', expression: 'http.path ^= "/a"', priority: 1, regexPriority: 999 })];
    assert.equal(winner(expr, { path: '/a' }, 'expressions'), 'e1');
  });

  test('expressions: an expression route outranks a traditional route in the same router', () => {
    const routes = [r({ name: 'trad', hosts: ['a'], paths: ['~/x'], methods: ['GET'] }), r({ name: 'expr', expression: 'http.path ^= "/"', priority: 0 })];
    const got = resolve(routes, { host: 'a', path: '/x' }, 'expressions');
    assert.equal(got.winner!.part.route.name, 'expr');
    assert.equal(got.shadowed[0]!.why.component, 'expression-over-traditional');
  });

  test('the path is normalised and the query ignored (except http.queries in expressions)', () => {
    const got = resolve([r({ name: 'x', paths: ['/a/b'] })], { path: '/a/./c/../b?q=1' });
    assert.equal(got.winner!.part.route.name, 'x');
    const miss = resolve([r({ name: 'x', paths: ['/a/b'] })], { path: '/a/%2e%2e/c' });
    assert.match(miss.notMatching[0]!.failure!.message, /normalised from "\/a\/%2e%2e\/c"/);
  });

  test('more than 100 header lines: the later ones are not seen', () => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < 120; i++) headers[`h${i}`] = 'v';
    const req = normaliseRequest({ host: 'a', headers });
    assert.equal(req.headers.has('h98'), true);
    assert.equal(req.headers.has('h99'), false, 'Host is line 1, so h98 is line 100');
    assert.equal(winner([r({ name: 'late', headers: { h110: ['v'] } })], { host: 'a', headers }), 404);
  });
});

test('pathStart: the literal start of plain and regex Kong paths', () => {
  assert.equal(pathStart('/api/'), '/api/');
  assert.equal(pathStart('~/api$'), '/api');
  assert.equal(pathStart('~^/v1/users/\\d+'), '/v1/users/');
  assert.equal(pathStart('~/apis?/x'), '/api');
  assert.equal(pathStart('~/a|/b'), '');
  assert.equal(pathStart('~(?i)/api'), '');
});
