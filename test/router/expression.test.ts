// ATC expressions: parsing, evaluation (ALL-mode, any(), lower(), missing fields) and the reasons given.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conjuncts, evaluate, type Expr, ExpressionError, parseExpression, requiredHosts } from '../../src/router/expression.ts';
import { matchExpressionPart } from '../../src/router/expression-match.ts';
import { normaliseRequest, type RequestInput } from '../../src/router/request.ts';
import { splitRoute } from '../../src/router/route.ts';

const truth = (expr: string, input: RequestInput) => evaluate(parseExpression(expr), normaliseRequest(input));

/** The fully parenthesised form atc-router's own ast.rs tests print. */
function show(e: Expr): string {
  if (e.type === 'predicate') return `(${e.field} ${e.op} ${typeof e.value === 'string' ? JSON.stringify(e.value) : e.value})`;
  if (e.type === 'not') return `!${show(e.inner)}`;
  return `(${show(e.left)} ${e.type === 'and' ? '&&' : '||'} ${show(e.right)})`;
}

describe('parse', () => {
  test('|| binds tighter than && (atc-router src/ast.rs tests)', () => {
    assert.equal(show(parseExpression('a ^= "1" && b =^ "2" || c >= 3')), '((a ^= "1") && ((b =^ "2") || (c >= 3)))');
    assert.equal(show(parseExpression('a == 1 && b != 2 || c >= 3')), '((a == 1) && ((b != 2) || (c >= 3)))');
    assert.equal(show(parseExpression('a > 1 || b < 2 && c <= 3 || d not in "foo"')), '(((a > 1) || (b < 2)) && ((c <= 3) || (d not in "foo")))');
    assert.equal(show(parseExpression('a > 1 || ((b < 2) && (c <= 3)) || d not in "foo"')), '(((a > 1) || ((b < 2) && (c <= 3))) || (d not in "foo"))');
    // So a GET of /a does not match: this reads "(/a or /b) and POST".
    assert.equal(truth('http.path == "/a" || http.path == "/b" && http.method == "POST"', { path: '/a', method: 'GET' }), false);
  });
  test('parentheses and !()', () => {
    assert.equal(conjuncts(parseExpression('(a.b == "1") && (c.d == "2" || e.f == "3") && !(g.h == "4")')).length, 3);
  });
  test('raw strings, escapes, integers, transformations', () => {
    const p = parseExpression('lower(any(http.headers.x)) ~ r#"^a"b$"#');
    assert.ok(p.type === 'predicate' && p.lower && p.any && p.value === '^a"b$');
    const q = parseExpression('http.path == "a\\"b"');
    assert.ok(q.type === 'predicate' && q.value === 'a"b');
    const n = parseExpression('net.dst.port >= 8000');
    assert.ok(n.type === 'predicate' && n.value === 8000);
    const hex = parseExpression('net.dst.port == 0x1F90');
    assert.ok(hex.type === 'predicate' && hex.value === 8080);
    const oct = parseExpression('net.dst.port == 017');
    assert.ok(oct.type === 'predicate' && oct.value === 15);
    const notIn = parseExpression('net.src.ip not   in 10.0.0.0/8');
    assert.ok(notIn.type === 'predicate' && notIn.op === 'not in' && notIn.value === '10.0.0.0/8');
  });
  test('syntax errors are ExpressionError', () => {
    assert.throws(() => parseExpression('http.path =='), ExpressionError);
    assert.throws(() => parseExpression('http.path == "a" &&'), ExpressionError);
    assert.throws(() => parseExpression('(http.path == "a"'), ExpressionError);
    assert.throws(() => parseExpression('http.path == "a" x'), ExpressionError);
  });
});

describe('evaluate', () => {
  test('operators', () => {
    assert.equal(truth('http.path ^= "/a"', { path: '/abc' }), true);
    assert.equal(truth('http.path =^ "bc"', { path: '/abc' }), true);
    assert.equal(truth('http.path ~ "b"', { path: '/abc' }), true, '~ is unanchored');
    assert.equal(truth('http.path contains "bc"', { path: '/abc' }), true);
    assert.equal(truth('http.path != "/abc"', { path: '/abc' }), false);
    assert.equal(truth('net.dst.port == 8080', { host: 'a:8080' }), true);
    assert.equal(truth('net.dst.port < 100', { host: 'a' }), true);
    assert.equal(truth('!(http.method == "GET")', { method: 'POST' }), true);
  });
  test('a missing field makes the predicate false, even !=', () => {
    assert.equal(truth('http.headers.x != "a"', {}), false);
    assert.equal(truth('tls.sni == "a"', { host: 'a' }), false);
    assert.equal(truth('http.host == "a"', {}), false);
  });
  test('multi-valued fields: every value unless any()', () => {
    assert.equal(truth('http.headers.x == "a"', { headers: { x: ['a', 'a'] } }), true);
    assert.equal(truth('http.headers.x == "a"', { headers: { x: ['a', 'b'] } }), false);
    assert.equal(truth('any(http.headers.x) == "a"', { headers: { x: ['b', 'a'] } }), true);
    assert.equal(truth('lower(http.headers.x) == "a"', { headers: { X: 'A' } }), true);
  });
  test('an unevaluable regex or operator is reported, not guessed', () => {
    assert.deepEqual(truth('http.path ~ "(?=a)"', { path: '/a' }), { unevaluable: "the Rust regex engine of Kong's router refuses it (look-around, including look-ahead and look-behind, is not supported), so Kong rejects the route" });
    assert.equal(truth('net.src.ip in 10.0.0.0/8', {}), false, 'an absent field is false before the operator matters');
    assert.deepEqual(truth('http.host in 10.0.0.0/8', { host: 'a' }), { unevaluable: 'operator in is not evaluated here' });
    assert.equal(truth('http.path == "/x" && http.path ~ "(?=a)"', { path: '/y' }), false, 'a false conjunct settles it');
  });
});

describe('reasons', () => {
  const reasons = (expression: string, input: RequestInput, protocols?: string[]) =>
    matchExpressionPart(splitRoute({ id: 'x', name: 'x', expression, ...(protocols ? { protocols } : {}) })[0]!, normaliseRequest(input)).failures.map((f) => f.code);
  test('each conjunct is named by the fields it reads', () => {
    assert.deepEqual(reasons('(http.host == "a.com") && (http.path == "/x")', { host: 'b.com', path: '/y' }), ['host-mismatch', 'path-kic-exact']);
    assert.deepEqual(reasons('(http.path == "/x") || (http.path ^= "/x/")', { path: '/xy' }), ['path-kic-prefix']);
    assert.deepEqual(reasons('http.path ~ "^/a"', { path: '/b' }), ['path-regex']);
    assert.deepEqual(reasons('http.path ^= "/a"', { path: '/b' }), ['path-not-prefix']);
    assert.deepEqual(reasons('http.method == "POST"', {}), ['method-mismatch']);
    assert.deepEqual(reasons('http.headers.x == "a"', {}), ['header-missing']);
    assert.deepEqual(reasons('http.headers.x == "a"', { headers: { x: 'A' } }), ['header-mismatch']);
    assert.deepEqual(reasons('http.queries.q == "a"', { path: '/?q=b' }), ['query-mismatch']);
    assert.deepEqual(reasons('http.queries.q == "a"', {}), ['query-missing']);
    assert.deepEqual(reasons('tls.sni == "a.com"', { host: 'a.com' }), ['sni-missing']);
    assert.deepEqual(reasons('http.path == "/a" || http.method == "GET"', { method: 'PUT', path: '/b' }), ['expression-false']);
    assert.deepEqual(reasons('http.path ^= "/"', { scheme: 'https' }, ['http']), ['protocol-mismatch']);
    assert.deepEqual(reasons('http.path ==', {}), ['unevaluable']);
  });
});

describe('requiredHosts (trace indexes expression routes by the exact Host they require)', () => {
  const cases: [string, string[] | undefined][] = [
    ['(http.host == "a.com" || http.host == "b.com") && (http.path ^= "/x")', ['a.com', 'b.com']],
    ['http.path ^= "/x" && http.host == "A.com"', ['A.com']],
    // Any Host may match these: a wildcard's suffix, lower(), a disjunction with a non-host predicate, no host at all.
    ['(http.host == "a.com" || http.host =^ ".b.com") && http.path ^= "/"', undefined],
    ['lower(http.host) == "a.com"', undefined],
    ['http.host == "a.com" || http.path ^= "/x"', undefined],
    ['!(http.host == "a.com")', undefined],
    ['http.path ^= "/"', undefined],
  ];
  for (const [expr, want] of cases) {
    test(expr, () => {
      const got = requiredHosts(parseExpression(expr));
      assert.deepEqual(got, want);
      // Whenever hosts are required, a request with another Host never matches.
      if (got) assert.equal(evaluate(parseExpression(expr), normaliseRequest({ host: 'other.com', path: '/x' })), false);
    });
  }
});
