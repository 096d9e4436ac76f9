// HTTPRoute expression routes (Kong router_flavor = expressions) as KIC 3.5 builds them: subtranslator/httproute_atc.go
// (`SplitHTTPRoute`, `generateMatcherFromHTTPRouteMatch`, `calculateHTTPRouteMatchPriorityTraits`,
// `assignRoutePriorityToSplitHTTPRouteMatches`). Expected expressions and priorities are the values KIC's golden tests
// record for equivalent HTTPRoutes (internal/dataplane/testdata/golden/<case>/expression-routes-on_golden.yaml,
// v3.5.13, case named in each test) and router.md §11 (V-T4, V-T7); the manifests are written for this test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { Store } from '../../src/state/store.ts';
import { traceRequest } from '../../src/trace/trace.ts';
import { Translator } from '../../src/translate/translator.ts';
import { KONG_BASE } from '../../src/rules/example-base.ts';
import { yamlObjects } from '../helpers.ts';

/** HTTPRoute default/httproute-testing on Gateway kong (KONG_BASE), with these rules. */
const testingRoute = (rules: string) => `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: httproute-testing, namespace: default}
spec:
  parentRefs: [{name: kong}]
  rules:
${rules}`;

function translator(yaml: string): Translator {
  return new Translator(new Store(yamlObjects(KONG_BASE + yaml)), { ...DEFAULT_POLICY.translate, kongRouterFlavor: 'expressions' });
}

function routesOf(tr: Translator, kind = 'HTTPRoute') {
  return [...tr.view.list(kind)].flatMap((o) => tr.routesOf(o)).map((r) => [r.name, r.service, r.expression, r.priority]);
}

const prefixRule = (path: string, backend: string) => `  - matches: [{path: {type: PathPrefix, value: ${path}}}]\n    backendRefs: [{name: ${backend}, port: 80}]\n`;

test('golden httproute-example: one route per match, named with _ for no hostname, PathPrefix as == or ^= "/p/"', () => {
  const tr = translator(testingRoute(prefixRule('/httproute-testing', 'httpbin') + prefixRule('/echo', 'echo') + prefixRule('/content', 'echo') + prefixRule('/nginx', 'nginx')));
  assert.deepEqual(routesOf(tr), [
    ['httproute.default.httproute-testing._.0.0', 'httproute.default.httproute-testing.0', '(http.path == "/httproute-testing") || (http.path ^= "/httproute-testing/")', 35184514699263],
    ['httproute.default.httproute-testing._.1.0', 'httproute.default.httproute-testing.1', '(http.path == "/echo") || (http.path ^= "/echo/")', 35184405647359],
    ['httproute.default.httproute-testing._.2.0', 'httproute.default.httproute-testing.1', '(http.path == "/content") || (http.path ^= "/content/")', 35184430813183],
    ['httproute.default.httproute-testing._.3.0', 'httproute.default.httproute-testing.3', '(http.path == "/nginx") || (http.path ^= "/nginx/")', 35184414035967],
  ]);
});

test('golden httproute-url-rewrite-path-prefix: a URLRewrite ReplacePrefixMatch captures the rest of the path', () => {
  const tr = translator(
    testingRoute(`  - matches: [{path: {type: PathPrefix, value: /prefix}}]
    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /replacement}}}]
    backendRefs: [{name: httpbin, port: 80}]
`),
  );
  assert.deepEqual(routesOf(tr), [['httproute.default.httproute-testing._.0.0', 'httproute.default.httproute-testing.0', '(http.path == "/prefix") || (http.path ~ "^/prefix(/.*)")', 35184422424575]]);
});

test('hostnames, headers, query parameters and method go into one expression per hostname; equal priorities are ordered oldest first', () => {
  const tr = translator(`---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: b, namespace: default, creationTimestamp: "2025-01-02T00:00:00Z"}
spec:
  parentRefs: [{name: kong}]
  hostnames: [a.example.com, "*.example.org"]
  rules:
  - matches: [{path: {type: Exact, value: /x}, method: GET, headers: [{name: X-B, value: "1"}, {name: X-A, type: RegularExpression, value: "^v"}], queryParams: [{name: q, value: "1"}]}]
    backendRefs: [{name: echo, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a, namespace: default, creationTimestamp: "2025-01-03T00:00:00Z"}
spec:
  parentRefs: [{name: kong}]
  hostnames: [a.example.com]
  rules:
  - matches: [{path: {type: Exact, value: /y}, method: GET, headers: [{name: X-B, value: "1"}, {name: X-A, value: "2"}], queryParams: [{name: q, value: "1"}]}]
    backendRefs: [{name: echo, port: 80}]
`);
  const routes = routesOf(tr);
  assert.deepEqual(routes.map((r) => r[0]), ['httproute.default.b._.example.org.0.0', 'httproute.default.b.a.example.com.0.0', 'httproute.default.a.a.example.com.0.0']);
  assert.equal(
    routes[1]![2],
    '(http.host == "a.example.com") && ((http.path == "/x") && ((http.headers.x_a ~ "^v") && (http.headers.x_b == "1")) && (http.queries.q == "1") && (http.method == "GET"))',
  );
  assert.equal(routes[0]![2]!.toString().startsWith('(http.host =^ ".example.org") && '), true);
  // b (older) and a share every trait: b gets 4095, a 4094 (httproute_atc.go compareSplitHTTPRouteMatchesRelativePriority)
  const base = (2n << 44n) + (1n << 43n) + (13n << 35n) + (1n << 34n) + (1n << 23n) + (1n << 22n) + (2n << 17n) + (1n << 12n);
  assert.equal(routes[1]![3], Number(base + 4095n));
  assert.equal(routes[2]![3], Number(base + 4094n));
});

test('V-T7: with expressions an Ingress catch-all outranks an HTTPRoute /api on the same host (KIC kind bits)', () => {
  const tr = translator(`---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ui, namespace: default}
spec:
  ingressClassName: kong
  rules:
  - host: a.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: svc-ui, port: {number: 80}}}}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: default}
spec:
  parentRefs: [{name: kong}]
  hostnames: [a.com]
  rules:
${prefixRule('/api', 'svc-api')}`);
  const t = traceRequest(tr, { url: 'http://a.com/api/v1' });
  assert.equal(t.resolution.winner?.part.route.name, 'default.ui.svc-ui.a.com.80');
  assert.equal(t.resolution.winner?.part.route.priority, 57178899677185);
  assert.equal(t.resolution.shadowed[0]?.candidate.part.route.priority, 44152288972799);
});
