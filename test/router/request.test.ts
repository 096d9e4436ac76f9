// The request as Kong's router sees it (kong/router/atc.lua, transform.lua `split_host_port`,
// kong/tools/uri.lua `normalize`).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { headerField, normalisePath, normaliseRequest, splitHostPort } from '../../src/router/request.ts';

describe('host and port', () => {
  test('split at the first ":" when a number follows', () => {
    assert.deepEqual(splitHostPort('a.com:8080'), { host: 'a.com', port: 8080 });
    assert.deepEqual(splitHostPort('a.com'), { host: 'a.com', port: undefined });
    assert.deepEqual(splitHostPort('a.com:x'), { host: 'a.com:x', port: undefined });
    assert.deepEqual(splitHostPort('route.*:80'), { host: 'route.*', port: 80 });
  });
  test('the Host port is net.dst.port; otherwise the listener port, by default from the scheme', () => {
    assert.equal(normaliseRequest({ host: 'a:81' }).port, 81);
    assert.equal(normaliseRequest({ host: 'a' }).port, 80);
    assert.equal(normaliseRequest({ host: 'a', scheme: 'https' }).port, 443);
    assert.equal(normaliseRequest({ host: 'a', listenerPort: 8000 }).port, 8000);
  });
  test('the host keeps its case; no Host header means no host', () => {
    assert.equal(normaliseRequest({ host: 'A.Com' }).host, 'A.Com');
    assert.equal(normaliseRequest({}).host, undefined);
    assert.equal(normaliseRequest({ host: '' }).host, undefined);
  });
});

describe('path', () => {
  test('the query is cut off, except a "?" in first position', () => {
    assert.equal(normaliseRequest({ path: '/a?b=1' }).path, '/a');
    assert.equal(normaliseRequest({ path: '/a?b=1' }).target, '/a?b=1');
    assert.equal(normaliseRequest({ path: '?x' }).path, '?x');
  });
  test('percent-decoding of unreserved characters; reserved ones stay encoded, upper-cased', () => {
    assert.equal(normalisePath('/h%65llo'), '/hello');
    assert.equal(normalisePath('/a%2fb'), '/a%2Fb');
    assert.equal(normalisePath('/a%3Fb'), '/a%3Fb');
    assert.equal(normalisePath('/%7euser'), '/~user');
    assert.equal(normalisePath('/caf%C3%A9'), '/café');
  });
  test('dot segments are removed, slashes merged', () => {
    assert.equal(normalisePath('/foo/a/../bar'), '/foo/bar');
    assert.equal(normalisePath('/foo//bar'), '/foo/bar');
    assert.equal(normalisePath('/./a/./b/.'), '/a/b/');
    assert.equal(normalisePath('/a/b/..'), '/a/');
    assert.equal(normalisePath('/../a'), '/a');
    assert.equal(normalisePath('/%2e%2e/a'), '/a');
    assert.equal(normalisePath('/'), '/');
    assert.equal(normalisePath(''), '');
  });
});

describe('headers, queries, SNI, method', () => {
  test('header names are case-insensitive, "-" and "_" alike, several values kept', () => {
    assert.equal(headerField('X-Foo_Bar'), 'x_foo_bar');
    const r = normaliseRequest({ headers: { 'X-A': 'one', x_a: ['two', 'three'] } });
    assert.deepEqual(r.headers.get('x_a'), ['one', 'two', 'three']);
  });
  test('queries: repeated keys, "?a" as ""', () => {
    const r = normaliseRequest({ path: '/?a=1&a=2&b&c=x%20y' });
    assert.deepEqual(r.queries.get('a'), ['1', '2']);
    assert.deepEqual(r.queries.get('b'), ['']);
    assert.deepEqual(r.queries.get('c'), ['x y']);
  });
  test('SNI only for https; defaults to the host; null means none sent', () => {
    assert.equal(normaliseRequest({ host: 'a.com', sni: 'a.com' }).sni, undefined);
    assert.equal(normaliseRequest({ scheme: 'https', host: 'a.com:8443' }).sni, 'a.com');
    assert.equal(normaliseRequest({ scheme: 'https', host: 'a.com', sni: 'b.com' }).sni, 'b.com');
    assert.equal(normaliseRequest({ scheme: 'https', host: 'a.com', sni: null }).sni, undefined);
  });
  test('method defaults to GET and is kept as sent', () => {
    assert.equal(normaliseRequest({}).method, 'GET');
    assert.equal(normaliseRequest({ method: 'get' }).method, 'get');
  });
});
