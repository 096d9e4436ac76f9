// router.md §11, vector by vector. Data is copied here (tests never read outside the repository); each row
// names its source. Kong unit-test IDs end in …81NN = e8fb37f1-102d-461e-9c51-6608a6bb81NN.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compatPriority } from '../../src/router/compat-priority.ts';
import { httpRouteExpressionPriority, ingressExpressionPriority } from '../../src/router/kic-priority.ts';
import { normaliseRequest, type RequestInput } from '../../src/router/request.ts';
import { resolve, winnerOf } from '../../src/router/resolve.ts';
import { kicRouteId, splitPartId } from '../../src/router/route-id.ts';
import { splitRoute, type RouterFlavor, type RouterRoute } from '../../src/router/route.ts';

const kongId = (n: number) => `e8fb37f1-102d-461e-9c51-6608a6bb81${String(n).padStart(2, '0')}`;

type Route = Omit<RouterRoute, 'id' | 'name'> & { id?: string; name: string };

function routes(list: readonly Route[]): RouterRoute[] {
  return list.map((r, i) => ({ id: r.id ?? kongId(i + 1), ...r }));
}

interface Case {
  readonly request: RequestInput;
  /** The winning route's name, or 404. */
  readonly expect: string | 404;
}

function check(list: readonly Route[], cases: readonly Case[], flavor: RouterFlavor = 'traditional_compatible') {
  const rs = routes(list);
  for (const c of cases) {
    const got = resolve(rs, c.request, flavor);
    const name = got.winner?.part.route.name ?? got.outcome.status;
    assert.equal(name, c.expect, `${JSON.stringify(c.request)} -> ${String(name)}; expected ${String(c.expect)}`);
    // The winner-only entry point (witness checks) picks the same part on the same path.
    const winner = winnerOf(rs, normaliseRequest(c.request), flavor);
    assert.equal(winner?.part, got.winner?.part, `winnerOf ${JSON.stringify(c.request)}`);
    assert.equal(winner?.matchedPath, got.winner?.matchedPath);
  }
}

const hexOf = (r: RouterRoute, group?: number) => {
  const parts = splitRoute(r);
  const part = group === undefined ? parts[0]! : parts.find((p) => p.group === group)!;
  return `0x${compatPriority(part).value.toString(16).padStart(16, '0')}`;
};

describe("Kong's own behaviour (V-K)", () => {
  test('V-K1 longer plain prefix first', () =>
    check(
      [
        { name: 'R1', paths: ['/my-route/hello'] },
        { name: 'R2', paths: ['/my-route'] },
      ],
      [
        { request: { path: '/my-route/hello/world' }, expect: 'R1' },
        { request: { path: '/my-route/world' }, expect: 'R2' },
      ],
    ));

  test('V-K2 a plain path is a string prefix', () =>
    check([{ name: 'R3', paths: ['/my-route'] }], [{ request: { path: '/my-route-uri', host: '' }, expect: 'R3' }]));

  test('V-K3 prefixes are anchored', () =>
    check(
      [
        { name: 'R1', paths: ['/something/my-route'] },
        { name: 'R2', hosts: ['example.com'], paths: ['/my-route'] },
      ],
      [{ request: { host: 'example.com', path: '/something/my-route' }, expect: 'R1' }],
    ));

  test('V-K4 regex over a plain prefix', () =>
    check(
      [
        { name: 'R1', paths: ['/route/persons'] },
        { name: 'R2', paths: ['~/route/persons/\\d+/profile'] },
      ],
      [{ request: { path: '/route/persons/123/profile' }, expect: 'R2' }],
    ));

  test('V-K5 regex over an equal plain path', () =>
    check(
      [
        { name: 'R1', paths: ['/route/fixture'] },
        { name: 'R2', paths: ['~/route/(fixture)'] },
      ],
      [{ request: { path: '/route/fixture' }, expect: 'R2' }],
    ));

  test('V-K6 regexes are start-anchored', () =>
    check([{ name: 'R1', paths: ['~/prefix/[0-9]+'] }], [{ request: { path: '/extra/prefix/123' }, expect: 404 }]));

  test('V-K7 host with port; equal priorities tie on the route ID', () => {
    const list: Route[] = [
      { id: kongId(1), name: 'R1', hosts: ['domain-1.org', 'domain-2.org'] },
      { id: kongId(13), name: 'R13', hosts: ['domain-1.org:321', 'domain-2.org'] },
      { id: kongId(14), name: 'R14', hosts: ['domain-3.org:321'] },
    ];
    check(list, [
      { request: { host: 'domain-1.org:321' }, expect: 'R13' },
      { request: { host: 'domain-1.org:80' }, expect: 'R1' },
      { request: { host: 'domain-3.org:123' }, expect: 404 },
    ]);
    const rs = routes(list);
    assert.equal(hexOf(rs[0]!), '0x1000000020000000');
    assert.equal(hexOf(rs[1]!), '0x1000000020000000');
    assert.equal(resolve(rs, { host: 'domain-1.org:321' }).shadowed[0]!.why.component, 'route-id');
  });

  test('V-K8 wildcard hosts, prefix and suffix', () =>
    check(
      [
        { name: 'R1', hosts: ['*.route.com'] },
        { name: 'R2', hosts: ['route.*'] },
        { name: 'plain', hosts: ['plain.route.com'] },
        { name: 'R4', hosts: ['route.com'] },
      ],
      [
        { request: { host: 'route.com' }, expect: 'R4' },
        { request: { host: 'route.org' }, expect: 'R2' },
        { request: { host: 'plain.route.com' }, expect: 'plain' },
        { request: { host: 'foo.route.com' }, expect: 'R1' },
      ],
    ));

  test('V-K9 a wildcard serves a subdomain whose plain route fails on path', () =>
    check(
      [
        { name: 'R1', hosts: ['*.route.com'], paths: ['/path1'] },
        { name: 'R2', hosts: ['plain.route.com'], paths: ['/path2'] },
      ],
      [{ request: { host: 'plain.route.com', path: '/path1' }, expect: 'R1' }],
    ));

  test('V-K10 more headers first; any header value may match', () =>
    check(
      [
        { name: 'R1', headers: { version: ['v1', 'v2'], user_agent: ['foo', 'bar'] } },
        { name: 'R2', headers: { version: ['v1', 'v2'], user_agent: ['foo', 'bar'], location: ['east', 'west'] } },
      ],
      [{ request: { headers: { version: 'v1', 'user-agent': 'foo', location: ['north', 'west'] } }, expect: 'R2' }],
    ));

  test('V-K11 header values are case-insensitive in compat', () =>
    check(
      [
        { name: 'R1', headers: { user_agent: ['foo', 'bar'] } },
        { name: 'R2', headers: { user_agent: ['BAZ'] } },
      ],
      [
        { request: { headers: { user_agent: 'FOO' } }, expect: 'R1' },
        { request: { headers: { user_agent: 'baz' } }, expect: 'R2' },
      ],
    ));

  test('V-K12 a split route: its plain part does not inherit the regex rank', () =>
    check(
      [
        { name: 'R1', hosts: ['domain-1.org'], paths: ['~/some/thing/else', '/foo'] },
        { name: 'R2', hosts: ['domain-1.org'], paths: ['/foo/bar'] },
      ],
      [
        { request: { host: 'domain-1.org', path: '/some/thing/else' }, expect: 'R1' },
        { request: { host: 'domain-1.org', path: '/foo/bar' }, expect: 'R2' },
      ],
    ));

  test('V-K13 regex_priority is ignored for plain paths', () =>
    check(
      [
        { name: 'R1', hosts: ['domain-1.org'], paths: ['/.*'] },
        { name: 'R2', hosts: ['domain-2.org'], paths: ['/'], regexPriority: 5 },
        { name: 'R3', hosts: ['domain-2.org'], paths: ['/v1'] },
      ],
      [{ request: { host: 'domain-2.org', path: '/v1' }, expect: 'R3' }],
    ));

  test('V-K14 regex_priority orders regex routes without headers', () => {
    const list: Route[] = [
      { name: 'regex_1', paths: ['~/status/(?<foo>re)'], regexPriority: 0 },
      { name: 'regex_2', paths: ['~/status/(re)'], regexPriority: 4 },
    ];
    check(list, [{ request: { path: '/status/re' }, expect: 'regex_2' }]);
    assert.equal(hexOf(routes(list)[1]!), '0x0008000020200000');
    assert.equal(hexOf(routes(list)[0]!), '0x0008000020000000');
  });

  test('V-K15 expressions: multi-valued fields are ALL-mode unless any()', () =>
    check(
      [
        { name: 'A', expression: 'http.path == "/foo/bar" && http.queries.a == "1"', priority: 100 },
        { name: 'B', expression: 'http.path == "/foo/bar" && http.queries.a == ""', priority: 100 },
        { name: 'C', expression: 'http.path == "/foo/bar" && any(http.queries.a) == "2"', priority: 100 },
      ],
      [
        { request: { path: '/foo/bar?a=1' }, expect: 'A' },
        { request: { path: '/foo/bar?a=' }, expect: 'B' },
        { request: { path: '/foo/bar?a' }, expect: 'B' },
        { request: { path: '/foo/bar?a=2&a=10' }, expect: 'C' },
        { request: { path: '/foo/bar?a=x' }, expect: 404 },
      ],
      'expressions',
    ));

  test('V-K16 expressions: header values are case-sensitive unless lower()', () =>
    check(
      [
        { name: 'A', expression: 'http.path == "/foo/bar" && http.headers.test1 == "Quote"', priority: 100 },
        { name: 'B', expression: 'http.path == "/foo/bar" && lower(http.headers.test2) == "quote"', priority: 100 },
      ],
      [
        { request: { path: '/foo/bar', headers: { test1: 'quote' } }, expect: 404 },
        { request: { path: '/foo/bar', headers: { test1: 'quoTe' } }, expect: 404 },
        { request: { path: '/foo/bar', headers: { test1: 'Quote' } }, expect: 'A' },
        { request: { path: '/foo/bar', headers: { test2: 'QuoTe' } }, expect: 'B' },
      ],
      'expressions',
    ));

  test('V-K17 the path is normalised before matching', () =>
    check(
      [
        { name: '/foo/bar', paths: ['/foo/bar'] },
        { name: '/hello', paths: ['/hello'] },
        { name: '/anything/world', paths: ['/anything/world'] },
      ],
      [
        { request: { path: '/foo/a/../bar' }, expect: '/foo/bar' },
        { request: { path: '/foo//bar' }, expect: '/foo/bar' },
        { request: { path: '/h%65llo' }, expect: '/hello' },
      ],
    ));

  test('V-K18 no route: 404 "no Route matched with those values"', () => {
    const got = resolve(routes([{ name: 'R1', hosts: ['example.com'] }]), { host: 'inexistent.com' });
    assert.deepEqual(got.outcome, { status: 404, message: 'no Route matched with those values' });
    assert.equal(got.notMatching[0]!.failure!.code, 'host-mismatch');
  });

  test('V-K19 wildcard with port; tie on the route ID', () =>
    check(
      [
        { id: kongId(1), name: 'R1', hosts: ['route.*'] },
        { id: kongId(2), name: 'R2', hosts: ['route.*:80', 'route.com.*'] },
      ],
      [{ request: { host: 'route.org:80' }, expect: 'R2' }],
    ));
});

describe("Kong 3.x compat priority at runtime (V-C)", () => {
  test('V-C1 a plain host outranks more fields', () => {
    const list: Route[] = [
      { name: 'G', paths: ['/x'], methods: ['GET'], headers: { h: ['1'] } },
      { name: 'D', hosts: ['a.com'], paths: ['/x'] },
    ];
    check(list, [{ request: { host: 'a.com', path: '/x', headers: { h: '1' } }, expect: 'D' }]);
    assert.equal(hexOf(routes(list)[0]!), '0x0000000060100002');
    assert.equal(hexOf(routes(list)[1]!), '0x1000000040000002');
    const why = resolve(routes(list), { host: 'a.com', path: '/x', headers: { h: '1' } }).shadowed[0]!.why;
    assert.equal(why.component, 'plain-hosts');
    assert.equal(why.documentedOrderDisagrees, true);
  });

  test('V-C2 a regex outranks more fields', () => {
    const list: Route[] = [
      { name: 'C', paths: ['~/x'] },
      { name: 'B', paths: ['/x'], methods: ['GET'] },
    ];
    check(list, [{ request: { path: '/x' }, expect: 'C' }]);
    assert.equal(hexOf(routes(list)[0]!), '0x0008000020000000');
    assert.equal(hexOf(routes(list)[1]!), '0x0000000040000002');
  });

  test('V-C3 headers invert regex_priority (Kong/kong#14457)', () => {
    const header = { 'Environment-Region': ['production-us'] };
    const withHeaders: Route[] = [
      { name: 'generic', paths: ['~/webhook/([a-zA-Z0-9-]+)'], regexPriority: 1, headers: header },
      { name: 'specific', paths: ['~/(?i)webhook/foo/bar/?$'], regexPriority: 2, headers: header },
    ];
    check(withHeaders, [{ request: { path: '/webhook/foo/bar', headers: { 'Environment-Region': 'production-us' } }, expect: 'generic' }]);
    assert.equal(hexOf(routes(withHeaders)[0]!), '0x0008000040180000');
    assert.equal(hexOf(routes(withHeaders)[1]!), '0x0008000040100000');
    const why = resolve(routes(withHeaders), { path: '/webhook/foo/bar', headers: { 'Environment-Region': 'production-us' } }).shadowed[0]!.why;
    assert.equal(why.documentedOrderDisagrees, true);
    const without = withHeaders.map(({ headers: _h, ...r }) => r);
    check(without, [{ request: { path: '/webhook/foo/bar' }, expect: 'specific' }]);
    assert.equal(hexOf(routes(without)[0]!), '0x0008000020080000');
    assert.equal(hexOf(routes(without)[1]!), '0x0008000020100000');
  });

  test('V-C4 regex_priority 1024 wraps into match weight: a tie, decided by ID', () => {
    const list: Route[] = [
      { id: kongId(1), name: 'A', paths: ['~/x'], regexPriority: 0 },
      { id: kongId(2), name: 'B', paths: ['~/x2'], regexPriority: 1024 },
    ];
    assert.equal(hexOf(routes(list)[0]!), '0x0008000020000000');
    assert.equal(hexOf(routes(list)[1]!), '0x0008000020000000');
    check(list, [{ request: { path: '/x2' }, expect: 'B' }]);
    // The same routes with the IDs swapped: the other wins.
    check(
      [
        { ...list[0]!, id: kongId(2) },
        { ...list[1]!, id: kongId(1) },
      ],
      [{ request: { path: '/x2' }, expect: 'A' }],
    );
  });

  test('V-C5 a negative regex_priority lands in the top band', () => {
    const list: Route[] = [
      { name: 'A', paths: ['~/x'], regexPriority: -1 },
      { name: 'B', hosts: ['a.com'], paths: ['/x/y'], methods: ['GET'] },
    ];
    check(list, [{ request: { host: 'a.com', path: '/x/y' }, expect: 'A' }]);
    assert.equal(resolve(routes(list), { host: 'a.com', path: '/x/y' }).shadowed[0]!.why.component, 'top-band');
  });

  test('V-C6 two top-band routes: the order is undetermined', () => {
    const list: Route[] = [
      { name: 'I1', hosts: ['*.a.com'], paths: ['/x'], methods: ['GET'], headers: { h: ['1'] } },
      { name: 'I2', hosts: ['*.a.com'], paths: ['/x/y'], methods: ['GET'], headers: { h: ['1'] } },
    ];
    const got = resolve(routes(list), { host: 'b.a.com', path: '/x/y', headers: { h: '1' } });
    assert.equal(got.winner, undefined);
    assert.deepEqual(got.possibleWinners.map((c) => c.part.route.name).sort(), ['I1', 'I2']);
    assert.equal(got.outcome.status, 'undetermined');
    assert.equal(got.shadowed[0]!.why.component, 'undetermined');
  });
});

describe('KIC translation and ties (V-T), Kong routes written as KIC 3.5 emits them', () => {
  const fooName = 'foo-namespace.foo.foo-svc.example.com.80';
  const foo: Route = { id: kicRouteId(fooName), name: fooName, hosts: ['example.com'], paths: ['~/whatever$'] };

  test('V-T1 ID, compat priority and KIC expression priority of an Exact path', () => {
    assert.equal(foo.id, '3eee2c18-8fcc-5661-8f84-5c89adfa404f');
    assert.equal(hexOf(routes([foo])[0]!), '0x1008000040000000');
    const priority = ingressExpressionPriority({ matchFields: 2, headerCount: 0, plainHostsOnly: true, hasRegexPath: true, maxPathLength: 9 });
    assert.equal(priority, 57178899677193n);
    check([{ ...foo, paths: undefined, hosts: undefined, expression: '(http.host == "example.com") && (http.path == "/whatever")', priority }], [
      { request: { host: 'example.com', path: '/whatever' }, expect: fooName },
      { request: { host: 'example.com', path: '/whatever/' }, expect: 404 },
    ], 'expressions');
    check([foo], [{ request: { host: 'example.com', path: '/whatever' }, expect: fooName }]);
  });

  test('V-T2 Exact needs the whole path', () => {
    const got = resolve(routes([foo]), { host: 'example.com', path: '/whatever/' });
    assert.equal(got.outcome.status, 404);
    assert.equal(got.notMatching[0]!.part.route.name, fooName);
    assert.equal(got.notMatching[0]!.failure!.code, 'path-kic-exact');
    assert.match(got.notMatching[0]!.failure!.message, /\^\/whatever\$/);
  });

  test('V-T3 the Ingress default backend catches what nothing else does', () => {
    const dbName = 'bar-namespace.ing-with-default-backend';
    const list: Route[] = [
      { id: kicRouteId(fooName), name: fooName, hosts: ['example.com'], paths: ['~/$'] },
      { id: kicRouteId(dbName), name: dbName, paths: ['/'] },
    ];
    check(list, [
      { request: { host: 'example.com', path: '/' }, expect: fooName },
      { request: { host: 'other.com', path: '/random' }, expect: dbName },
    ]);
    check(
      [
        { ...list[0]!, hosts: undefined, paths: undefined, expression: '(http.host == "example.com") && (http.path == "/")', priority: ingressExpressionPriority({ matchFields: 2, headerCount: 0, plainHostsOnly: true, hasRegexPath: true, maxPathLength: 1 }) },
        { ...list[1]!, paths: undefined, expression: 'http.path ^= "/"', priority: 0 },
      ],
      [
        { request: { host: 'example.com', path: '/' }, expect: fooName },
        { request: { host: 'other.com', path: '/random' }, expect: dbName },
      ],
      'expressions',
    );
  });

  test('V-T4 HTTPRoute PathPrefix is segment-aware', () => {
    const name = 'httproute.default.httproute-testing.1.0';
    const list: Route[] = [{ id: kicRouteId(name), name, paths: ['~/echo$', '/echo/', '~/content$', '/content/'] }];
    check(list, [
      { request: { path: '/echo/x' }, expect: name },
      { request: { path: '/echoes' }, expect: 404 },
    ]);
    assert.equal(
      httpRouteExpressionPriority({ preciseHostname: false, hostnameLength: 0, pathType: 'PathPrefix', pathLength: 5, hasMethodMatch: false, headerCount: 0, queryParamCount: 0, relativeOrder: 4095 }),
      35184405647359n,
    );
    const miss = resolve(routes(list), { path: '/echoes' }).notMatching.find((c) => c.part.paths?.includes('/echo/'))!;
    assert.equal(miss.failure!.code, 'path-kic-prefix');
  });

  test('V-T5 an Exact /login of one team outranks another team\'s POST / (compat), not in the documented order', () => {
    const login = 'team-a.login.login..80';
    const api = 'team-b.api-post.api..80';
    const list: Route[] = [
      { id: kicRouteId(login), name: login, paths: ['~/login$'] },
      { id: kicRouteId(api), name: api, paths: ['/'], methods: ['POST'] },
    ];
    check(list, [{ request: { method: 'POST', path: '/login' }, expect: login }]);
    assert.equal(hexOf(routes(list)[0]!), '0x0008000020000000');
    assert.equal(hexOf(routes(list)[1]!), '0x0000000040000001');
    const why = resolve(routes(list), { method: 'POST', path: '/login' }).shadowed[0]!.why;
    assert.equal(why.component, 'regex');
    assert.equal(why.documentedOrderDisagrees, true);
  });

  test('V-T6 Prefix vs Exact on one host: a tie decided by the split part ID', () => {
    const a = 'a.ing-a.svc-a.h.example.com.80';
    const b = 'b.ing-b.svc-b.h.example.com.80';
    const list: Route[] = [
      { id: kicRouteId(a), name: a, hosts: ['h.example.com'], paths: ['/foo/', '~/foo$'] },
      { id: kicRouteId(b), name: b, hosts: ['h.example.com'], paths: ['~/foo$'] },
    ];
    check(list, [
      { request: { host: 'h.example.com', path: '/foo' }, expect: b },
      { request: { host: 'h.example.com', path: '/foo/x' }, expect: a },
    ]);
    const got = resolve(routes(list), { host: 'h.example.com', path: '/foo' });
    assert.equal(hexOf(routes(list)[0]!, 2), '0x1008000040000000');
    assert.equal(got.shadowed[0]!.candidate.part.id, splitPartId(kicRouteId(a), 2));
    assert.equal(got.shadowed[0]!.candidate.part.id.slice(0, 8), 'b0e940d1');
    assert.equal(got.shadowed[0]!.why.component, 'route-id');
    assert.match(got.shadowed[0]!.why.message, /renaming either object can flip this/);
  });

  test('V-T7 expressions: an Ingress catch-all outranks an HTTPRoute /api (kind bits)', () => {
    const ing = ingressExpressionPriority({ matchFields: 2, headerCount: 0, plainHostsOnly: true, hasRegexPath: true, maxPathLength: 1 });
    const hr = httpRouteExpressionPriority({ preciseHostname: true, hostnameLength: 5, pathType: 'PathPrefix', pathLength: 4, hasMethodMatch: false, headerCount: 0, queryParamCount: 0, relativeOrder: 4095 });
    assert.equal(ing, 57178899677185n);
    assert.equal(hr, 44152288972799n);
    const list: Route[] = [
      { name: 'ui', expression: '(http.host == "a.com") && (http.path ^= "/")', priority: ing },
      { name: 'api', expression: '(http.host == "a.com") && ((http.path == "/api") || (http.path ^= "/api/"))', priority: hr },
    ];
    check(list, [{ request: { host: 'a.com', path: '/api/v1' }, expect: 'ui' }], 'expressions');
    const why = resolve(routes(list), { host: 'a.com', path: '/api/v1' }, 'expressions').shadowed[0]!.why;
    assert.match(why.message, /kind: Ingress routes outrank HTTPRoute routes/);
  });

  test('V-T12 an https-only route answers http with 426, or the redirect code it names', () => {
    const list: Route[] = [{ name: 'r', hosts: ['a.com'], paths: ['/'], protocols: ['https'] }];
    assert.deepEqual(resolve(routes(list), { host: 'a.com', path: '/x?y=1' }).outcome, { status: 426, message: 'Please use HTTPS protocol' });
    const redirect = resolve(routes([{ ...list[0]!, httpsRedirectStatusCode: 301 }]), { host: 'a.com', path: '/x?y=1' }).outcome;
    assert.deepEqual(redirect, { status: 301, message: 'Location: https://a.com/x?y=1' });
    assert.equal(resolve(routes(list), { scheme: 'https', host: 'a.com', path: '/x' }).outcome.status, 'proxied');
  });
});

describe('Gateway API conformance (V-G), HTTPRoutes as KIC 3.5 translates them (compat)', () => {
  const ns = 'gateway-conformance-infra';
  const route = (name: string, extra: Omit<Route, 'name'>): Route => ({ id: kicRouteId(name), name, ...extra });

  test('V-G1 httproute-matching', () => {
    const v1 = `httproute.${ns}.matching.0`;
    const v2 = `httproute.${ns}.matching.1`;
    const list = [
      route(`${v1}.0`, { paths: ['~/$', '/'] }),
      route(`${v1}.1`, { paths: ['~/$', '/'], headers: { version: ['one'] } }),
      route(`${v2}.0`, { paths: ['~/v2$', '/v2/'] }),
      route(`${v2}.1`, { paths: ['~/$', '/'], headers: { version: ['two'] } }),
    ];
    const backend = (name: string | 404) => (typeof name === 'string' && name.startsWith(v2) ? 'v2' : name === 404 ? 404 : 'v1');
    const cases: [RequestInput, string][] = [
      [{ path: '/' }, 'v1'],
      [{ path: '/example' }, 'v1'],
      [{ path: '/v2' }, 'v2'],
      [{ path: '/v2/example' }, 'v2'],
      [{ path: '/v2/' }, 'v2'],
      [{ path: '/v2example' }, 'v1'],
      [{ path: '/foo/v2/example' }, 'v1'],
      [{ path: '/', headers: { version: 'two' } }, 'v2'],
    ];
    for (const [request, expected] of cases) {
      const got = resolve(routes(list), request);
      assert.equal(backend(got.winner?.part.route.name ?? 404), expected, JSON.stringify(request));
    }
  });

  test('V-G2 httproute-matching-across-routes (both routes on example.com)', () => {
    const list = [
      route(`httproute.${ns}.matching-part1.0.0`, { hosts: ['example.com', 'example.net'], paths: ['~/$', '/'] }),
      route(`httproute.${ns}.matching-part1.0.1`, { hosts: ['example.com', 'example.net'], paths: ['~/$', '/'], headers: { version: ['one'] } }),
      route(`httproute.${ns}.matching-part2.0.0`, { hosts: ['example.com'], paths: ['~/v2$', '/v2/'] }),
      route(`httproute.${ns}.matching-part2.0.1`, { hosts: ['example.com'], paths: ['~/$', '/'], headers: { version: ['two'] } }),
    ];
    check(list, [
      { request: { host: 'example.com', path: '/v2' }, expect: `httproute.${ns}.matching-part2.0.0` },
      { request: { host: 'example.net', path: '/v2' }, expect: `httproute.${ns}.matching-part1.0.0` },
    ]);
  });

  test('V-G3 httproute-header-matching: version two + color blue goes to v2 by route ID, by luck', () => {
    const base = `httproute.${ns}.header-matching`;
    const all = { paths: ['~/$', '/'] };
    const list = [
      route(`${base}.0.0`, { ...all, headers: { version: ['one'] } }),
      route(`${base}.2.0`, { ...all, headers: { version: ['two'], color: ['orange'] } }),
      route(`${base}.3.0`, { ...all, headers: { color: ['blue'] } }),
      route(`${base}.3.1`, { ...all, headers: { color: ['green'] } }),
      route(`${base}.1.0`, { ...all, headers: { version: ['two'] } }),
      route(`${base}.4.0`, { ...all, headers: { color: ['red'] } }),
      route(`${base}.4.1`, { ...all, headers: { color: ['yellow'] } }),
    ];
    const got = resolve(routes(list), { path: '/', headers: { version: 'two', color: 'blue' } });
    assert.equal(got.winner!.part.route.name, `${base}.1.0`); // a v2 backend
    assert.equal(got.winner!.part.id.slice(0, 8), 'ee055611');
    const rule3 = got.shadowed.find((s) => s.candidate.part.route.name === `${base}.3.0` && s.candidate.part.group === 1)!;
    assert.equal(rule3.candidate.part.id.slice(0, 8), '49ea0f9b');
    assert.equal(rule3.why.component, 'route-id');
    assert.equal(hexOf(routes(list)[4]!, 1), '0x0008000040100000');
  });
});
