// Route fields as KIC 3.5 sets them (traditional_compatible router), table-driven; each case names the KIC
// function it follows. Objects are real manifests parsed from YAML and translated by the Translator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { kicRouteId } from '../../src/router/route-id.ts';
import { Store } from '../../src/state/store.ts';
import type { KongRoute } from '../../src/translate/kong.ts';
import { hostnameCovers, httpRouteKongPaths, ingressKongPaths } from '../../src/translate/route-fields.ts';
import { Translator } from '../../src/translate/translator.ts';
import { KONG_BASE } from '../../src/rules/example-base.ts';
import { duplicatePluginScope } from '../../src/rules/plugins.ts';
import { run } from '../rules/support.ts';
import { yamlObjects } from '../helpers.ts';

// KIC's classes (example-base.ts) and a Gateway `edge` with an HTTP listener for any host and an HTTPS one for *.example.com.
const BASE = `${KONG_BASE}---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: default}
spec:
  gatewayClassName: kong
  listeners:
  - {name: http, protocol: HTTP, port: 80}
  - {name: https, protocol: HTTPS, port: 443, hostname: "*.example.com"}
`;

/** The head of HTTPRoute default/r on Gateway edge, up to its rules. */
const ROUTE_R = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: edge}]
  rules:`;

function routes(yaml: string): KongRoute[] {
  const store = new Store(yamlObjects(BASE + '---\n' + yaml));
  const tr = new Translator(store, DEFAULT_POLICY.translate);
  return [...store.list('Ingress'), ...store.list('HTTPRoute')].flatMap((o) => tr.routesOf(o));
}

function ingressWith(annotations: Record<string, string>, path = '/foo', pathType = 'Prefix', host = 'a.example.com'): string {
  return `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: default
  annotations: ${JSON.stringify(annotations)}
spec:
  ingressClassName: kong
  rules:
  - host: ${JSON.stringify(host)}
    http:
      paths:
      - {path: ${JSON.stringify(path)}, pathType: ${pathType}, backend: {service: {name: echo, port: {number: 80}}}}
`;
}

// ---------------------------------------------------------------- path forms

const ingressPaths: { source: string; pathType: string; path: string; prefix?: string; want: string[] }[] = [
  { source: 'ingress.go PathsFromIngressPaths, Prefix: "/"+Trim(p,"/")+"/" then the regex', pathType: 'Prefix', path: '//foo//', want: ['/foo/', '~/foo$'] },
  { source: 'ingress.go PathsFromIngressPaths, Prefix of only slashes', pathType: 'Prefix', path: '///', want: ['/'] },
  { source: 'ingress.go PathsFromIngressPaths, Exact keeps a trailing slash', pathType: 'Exact', path: '/foo/', want: ['~/foo/$'] },
  { source: 'ingress.go Add: flattenMultipleSlashes before the path type', pathType: 'Exact', path: '//a//b', want: ['~/a/b$'] },
  { source: 'ingress.go PathsFromIngressPaths, ImplementationSpecific as written', pathType: 'ImplementationSpecific', path: '/foo', want: ['/foo'] },
  { source: 'ingress.go MaybePrependRegexPrefix, /~ becomes ~', pathType: 'ImplementationSpecific', path: '/~/api/v\\d+', want: ['~/api/v\\d+'] },
  { source: 'ingress.go MaybePrependRegexPrefixForIngressV1Fn, konghq.com/regex-prefix', pathType: 'ImplementationSpecific', path: '/re/api', prefix: '/re', want: ['~/api'] },
  { source: 'ingress.go: the regex prefix is applied to every generated path, Prefix included', pathType: 'Prefix', path: '/~x', want: ['~x/', '~/~x$'] },
];

for (const c of ingressPaths) {
  test(`Ingress paths (${c.source}): ${c.pathType} ${JSON.stringify(c.path)} -> ${JSON.stringify(c.want)}`, () => {
    assert.deepEqual(ingressKongPaths(c.pathType, c.path, c.prefix), c.want);
  });
}

const httpRoutePaths: { type: string; value: string; want: string[] }[] = [
  { type: 'PathPrefix', value: '/foo', want: ['~/foo$', '/foo/'] },
  { type: 'PathPrefix', value: '/foo/', want: ['~/foo/$', '/foo/'] },
  { type: 'PathPrefix', value: '/', want: ['~/$', '/'] },
  { type: 'Exact', value: '/foo', want: ['~/foo$'] },
  { type: 'RegularExpression', value: '/v[0-9]+', want: ['~/v[0-9]+'] },
];

for (const c of httpRoutePaths) {
  test(`HTTPRoute paths (httproute.go generateKongRoutePathFromHTTPRouteMatch): ${c.type} ${c.value} -> ${JSON.stringify(c.want)}`, () => {
    assert.deepEqual(httpRouteKongPaths(c.type, c.value), c.want);
  });
}

test('Ingress route: paths of every entry of one host and backend, in order, and the KIC defaults (ingress.go translateIntoKongRoute)', () => {
  const [r] = routes(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default}
spec:
  ingressClassName: kong
  rules:
  - http:
      paths:
      - {path: /b, pathType: Exact, backend: {service: {name: echo, port: {number: 80}}}}
      - {path: /a, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}
`);
  assert.equal(r!.name, 'default.web.echo..80');
  assert.equal(r!.id, kicRouteId('default.web.echo..80'));
  assert.deepEqual(r!.paths, ['~/b$', '/a/', '~/a$']);
  assert.deepEqual(r!.hosts, []);
  assert.deepEqual(
    { strip_path: r!.strip_path, preserve_host: r!.preserve_host, regex_priority: r!.regex_priority, request_buffering: r!.request_buffering, response_buffering: r!.response_buffering, protocols: r!.protocols },
    { strip_path: false, preserve_host: true, regex_priority: 0, request_buffering: true, response_buffering: true, protocols: undefined },
  );
});

// ---------------------------------------------------------------- annotations (kongstate/route.go overrideByAnnotation)

const annotationCases: { source: string; annotations: Record<string, string>; want: Partial<KongRoute> }[] = [
  { source: 'overrideStripPath', annotations: { 'konghq.com/strip-path': 'TRUE' }, want: { strip_path: true } },
  { source: 'overrideStripPath: not a boolean, no override', annotations: { 'konghq.com/strip-path': 'yes' }, want: { strip_path: false } },
  { source: 'overridePreserveHost', annotations: { 'konghq.com/preserve-host': 'false' }, want: { preserve_host: false } },
  { source: 'overrideRegexPriority', annotations: { 'konghq.com/regex-priority': '10' }, want: { regex_priority: 10 } },
  { source: 'overrideRegexPriority: not an integer, no override', annotations: { 'konghq.com/regex-priority': '1.5' }, want: { regex_priority: 0 } },
  { source: 'overrideMethods: trimmed, upper-cased', annotations: { 'konghq.com/methods': 'get, post' }, want: { methods: ['GET', 'POST'] } },
  { source: 'overrideMethods: one invalid method drops them all', annotations: { 'konghq.com/methods': 'GET,P0ST' }, want: { methods: [] } },
  { source: 'overrideSNIs', annotations: { 'konghq.com/snis': 'a.example.com, b.example.com' }, want: { snis: ['a.example.com', 'b.example.com'] } },
  { source: 'overrideSNIs: a wildcard is invalid, no override', annotations: { 'konghq.com/snis': '*.example.com' }, want: { snis: undefined } },
  { source: 'overrideSNIs: an empty value clears the SNIs', annotations: { 'konghq.com/snis': '' }, want: { snis: [] } },
  { source: 'overrideHosts: host-aliases appended, deduplicated', annotations: { 'konghq.com/host-aliases': 'b.example.com,a.example.com' }, want: { hosts: ['a.example.com', 'b.example.com'] } },
  { source: 'overrideHosts: one invalid alias drops them all', annotations: { 'konghq.com/host-aliases': 'b.example.com,bad_host' }, want: { hosts: ['a.example.com'] } },
  { source: 'overrideHeaders (ExtractHeaders): split at commas, trimmed', annotations: { 'konghq.com/headers.x-team': 'a, b' }, want: { headers: { 'x-team': ['a', 'b'] } } },
  { source: 'overrideHeaders: konghq.com/headers-separator', annotations: { 'konghq.com/headers.x-team': 'a,b;c', 'konghq.com/headers-separator': ';' }, want: { headers: { 'x-team': ['a,b', 'c'] } } },
  { source: 'overrideProtocols: valid list as written', annotations: { 'konghq.com/protocols': 'https, http' }, want: { protocols: ['https', 'http'] } },
  { source: 'ingressRouteProtocols: an invalid entry keeps the sorted list (Kong then rejects it)', annotations: { 'konghq.com/protocols': 'https,ftp' }, want: { protocols: ['ftp', 'https'] } },
  { source: 'normalizeProtocols: grpc mixed with http becomes [http, https]', annotations: { 'konghq.com/protocols': 'grpc,http' }, want: { protocols: ['http', 'https'], strip_path: undefined } },
  { source: 'overrideHTTPSRedirectCode', annotations: { 'konghq.com/protocols': 'https', 'konghq.com/https-redirect-status-code': '301' }, want: { protocols: ['https'], https_redirect_status_code: 301 } },
  { source: 'overrideHTTPSRedirectCode: a code Kong does not know is ignored', annotations: { 'konghq.com/https-redirect-status-code': '303' }, want: { https_redirect_status_code: undefined } },
  { source: 'overrideHTTPSRedirectCode: ingress.kubernetes.io/force-ssl-redirect (302, https only)', annotations: { 'ingress.kubernetes.io/force-ssl-redirect': 'true' }, want: { protocols: ['https'], https_redirect_status_code: 302 } },
  { source: 'overrideRequestBuffering (strconv.ParseBool)', annotations: { 'konghq.com/request-buffering': 'f' }, want: { request_buffering: false } },
  { source: 'overrideResponseBuffering: not a boolean, no override', annotations: { 'konghq.com/response-buffering': 'nope' }, want: { response_buffering: true } },
  { source: 'overridePathHandling', annotations: { 'konghq.com/path-handling': 'v1' }, want: { path_handling: 'v1' } },
  { source: 'overridePathHandling: not v<digit>, no override', annotations: { 'konghq.com/path-handling': 'x' }, want: { path_handling: undefined } },
];

for (const c of annotationCases) {
  test(`Ingress annotations (kongstate/route.go ${c.source})`, () => {
    const [r] = routes(ingressWith(c.annotations));
    for (const [field, value] of Object.entries(c.want)) assert.deepEqual(r![field as keyof KongRoute], value, field);
  });
}

// ---------------------------------------------------------------- HTTPRoute

test('HTTPRoute: header matches, listener protocols, preserve_host and strip_path (httproute.go GenerateKongRoutesFromHTTPRouteMatches)', () => {
  const [r] = routes(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: edge}]
  hostnames: [a.example.com]
  rules:
  - matches:
    - path: {type: Exact, value: /x}
      headers: [{name: X-Env, value: prod}, {name: X-Re, type: RegularExpression, value: "^v[0-9]"}]
    backendRefs: [{name: echo, port: 80}]
`);
  assert.equal(r!.name, 'httproute.default.r.0.0');
  assert.deepEqual(r!.headers, { 'X-Env': ['prod'], 'X-Re': ['~*^v[0-9]'] });
  assert.deepEqual(r!.protocols, ['http', 'https'], 'protocolsFromHTTPRoutesGatewayListeners: HTTP and HTTPS listeners, sorted');
  assert.equal(r!.preserve_host, true);
  assert.equal(r!.strip_path, false);
  assert.equal(r!.regex_priority, undefined, 'KIC leaves regex_priority unset on HTTPRoute routes');
});

test('HTTPRoute: konghq.com/headers.* replaces the header matches, konghq.com/strip-path applies (FillOverrides runs on every route)', () => {
  const [r] = routes(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: default
  annotations: {konghq.com/headers.x-team: blue, konghq.com/strip-path: "true"}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /x}, headers: [{name: X-Env, value: prod}]}]
    backendRefs: [{name: echo, port: 80}]
`);
  assert.deepEqual(r!.headers, { 'x-team': ['blue'] });
  assert.equal(r!.strip_path, true);
});

test('HTTPRoute grouping (httproute.go translateHTTPRouteRulesMetaToKongstateRoutes): same backends, filters and match key -> one route named by the first match', () => {
  const out = routes(`
${ROUTE_R}
  - matches: [{path: {type: PathPrefix, value: /a}}, {path: {type: PathPrefix, value: /b}, method: GET}]
    backendRefs: [{name: echo, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /c}}]
    backendRefs: [{name: echo, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /d}}]
    filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x, value: "1"}]}}]
    backendRefs: [{name: echo, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /e}}]
    backendRefs: [{name: other, port: 80}]
`);
  assert.deepEqual(
    out.map((r) => [r.name, r.service, r.paths, r.methods]),
    [
      ['httproute.default.r.0.0', 'httproute.default.r.0', ['~/a$', '/a/', '~/c$', '/c/'], []],
      ['httproute.default.r.0.1', 'httproute.default.r.0', ['~/b$', '/b/'], ['GET']],
      ['httproute.default.r.2.0', 'httproute.default.r.0', ['~/d$', '/d/'], []],
      ['httproute.default.r.3.0', 'httproute.default.r.3', ['~/e$', '/e/'], []],
    ],
  );
});

test('HTTPRoute hostnames (route_utils.go filterHostnames): intersected with the listener hostnames', () => {
  const withSection = (hostnames: string, section: string) =>
    routes(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: edge, sectionName: ${section}}]
  hostnames: ${hostnames}
  rules: [{backendRefs: [{name: echo, port: 80}]}]
`).map((r) => r.hosts);
  assert.deepEqual(withSection('[a.example.com, other.org]', 'https'), [['a.example.com']], 'a listener *.example.com keeps a.example.com, drops other.org');
  assert.deepEqual(withSection('["*.sub.example.com"]', 'https'), [['*.sub.example.com']]);
  assert.deepEqual(withSection('[other.org]', 'https'), [], 'no intersection: not accepted, no route');
  assert.deepEqual(withSection('[]', 'https'), [['*.example.com']], 'no hostnames: the listener hostname');
  assert.deepEqual(withSection('[]', 'http'), [[]], 'a listener without hostname matches any host');
});

test('HTTPRoute with a query parameter match: KIC refuses it with this router (translate_httproute.go validateHTTPRoute)', () => {
  assert.deepEqual(
    routes(`
${ROUTE_R}
  - matches: [{path: {type: PathPrefix, value: /a}, queryParams: [{name: q, value: "1"}]}]
    backendRefs: [{name: echo, port: 80}]
`),
    [],
  );
});

test('hostnameCovers (util/hostname.go HostnamesMatch): a * label stands for one or more labels', () => {
  assert.equal(hostnameCovers('*.example.com', 'a.example.com'), true);
  assert.equal(hostnameCovers('*.example.com', 'a.b.example.com'), true);
  assert.equal(hostnameCovers('*.example.com', 'example.com'), false);
  assert.equal(hostnameCovers('a.example.com', '*.example.com'), false);
  assert.equal(hostnameCovers('a.example.com', 'a.example.com'), true);
});

// ---------------------------------------------------------------- verdicts that follow from the translation

test('verdict change: two rate-limiting plugins on an HTTPRoute KIC refuses (a queryParams match) are no duplicate scope, since Kong never gets its route', async () => {
  const plugins = `---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: rl-a, namespace: default}
plugin: rate-limiting
config: {minute: 5}
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: rl-b, namespace: default}
plugin: rate-limiting
config: {minute: 9}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: default
  annotations: {konghq.com/plugins: "rl-a,rl-b"}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /a}QUERY}]
    backendRefs: [{name: echo, port: 80}]
`;
  const findings = (query: string) => run(yamlObjects(BASE + plugins.replace('QUERY', query)), [duplicatePluginScope]).map((f) => f.rule);
  assert.deepEqual(findings(''), ['duplicate-plugin-scope'], 'the valid neighbour: the route exists and carries both');
  assert.deepEqual(findings(', queryParams: [{name: q, value: "1"}]'), [], 'translate_httproute.go validateHTTPRoute refuses the HTTPRoute (httproute-features says so)');
});
