// Ingress expression routes (Kong router_flavor = expressions) as KIC 3.5 builds them: subtranslator/ingress_atc.go
// `translateIntoKongExpressionRoute` and `calculateIngressRoutePriorityTraits`, translate_ingress.go
// `translateIngressDefaultBackendRoute`. The expected expressions and priorities are the values KIC's own golden
// tests record for equivalent Ingresses (internal/dataplane/testdata/golden/<case>/expression-routes-on_golden.yaml,
// v3.5.13, case named in each test); the manifests here are written for this test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { Store } from '../../src/state/store.ts';
import { traceRequest } from '../../src/trace/trace.ts';
import type { KongRoute } from '../../src/translate/kong.ts';
import { Translator } from '../../src/translate/translator.ts';
import { yamlObjects } from '../helpers.ts';

const CLASS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong}
spec: {controller: ingress-controllers.konghq.com/kong}
`;

function ingress(name: string, ns: string, spec: string, annotations = '{}'): string {
  return `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: ${ns}, annotations: ${annotations}}
spec:
  ingressClassName: kong
${spec}`;
}

const rule = (host: string, path: string, type: string) => `  rules:
  - host: ${JSON.stringify(host)}
    http:
      paths:
      - {path: ${JSON.stringify(path)}, pathType: ${type}, backend: {service: {name: foo-svc, port: {number: 80}}}}
`;

function expressionRoutes(yaml: string): { tr: Translator; routes: KongRoute[] } {
  const store = new Store(yamlObjects(CLASS + yaml));
  const tr = new Translator(store, { ...DEFAULT_POLICY.translate, kongRouterFlavor: 'expressions' });
  return { tr, routes: [...store.list('Ingress')].flatMap((o) => tr.routesOf(o)) };
}

const shape = (r: KongRoute) => ({ name: r.name, expression: r.expression, priority: r.priority, hosts: r.hosts, paths: r.paths, regex_priority: r.regex_priority });

test('golden ingress-v1-regex-prefix-exact-rule: host and Exact path', () => {
  const { routes } = expressionRoutes(ingress('foo', 'foo-namespace', rule('example.com', '/whatever', 'Exact')));
  assert.deepEqual(routes.map(shape), [
    { name: 'foo-namespace.foo.foo-svc.example.com.80', expression: '(http.host == "example.com") && (http.path == "/whatever")', priority: 57178899677193, hosts: [], paths: [], regex_priority: undefined },
  ]);
});

test('golden ingress-v1-regex-prefixed-path: an ImplementationSpecific /~ path is a start-anchored regex', () => {
  const { routes } = expressionRoutes(ingress('regex-prefix', 'foo-namespace', rule('example.com', '/~/foo/\\d{3}', 'ImplementationSpecific')));
  assert.equal(routes[0]!.expression, '(http.host == "example.com") && (http.path ~ "^/foo/\\\\d{3}")');
  assert.equal(routes[0]!.priority, 57178899677194);
});

test('golden ingress-v1-empty-path: an empty ImplementationSpecific path is the prefix /', () => {
  const { routes } = expressionRoutes(ingress('foo', 'foo-namespace', rule('example.com', '', 'ImplementationSpecific')));
  assert.equal(routes[0]!.expression, '(http.host == "example.com") && (http.path ^= "/")');
  assert.equal(routes[0]!.priority, 57178899611649);
});

test('golden ingress-v1-with-default-backend: the defaultBackend route matches every path at priority 0', () => {
  const { routes } = expressionRoutes(
    ingress('foo', 'foo-namespace', rule('example.com', '/', 'Exact')) +
      ingress('ing-with-default-backend', 'bar-namespace', '  defaultBackend: {service: {name: default-svc, port: {number: 80}}}\n'),
  );
  assert.deepEqual(
    routes.map((r) => [r.name, r.expression, r.priority]),
    [
      ['foo-namespace.foo.foo-svc.example.com.80', '(http.host == "example.com") && (http.path == "/")', 57178899677185],
      ['bar-namespace.ing-with-default-backend', 'http.path ^= "/"', 0],
    ],
  );
});

test('Prefix, wildcard host, host-aliases, headers, methods and SNIs go into the expression (ingress_atc.go), not the route fields', () => {
  const { routes } = expressionRoutes(
    ingress(
      'web',
      'default',
      rule('*.example.com', '/api/', 'Prefix'),
      '{konghq.com/host-aliases: "a.example.org", konghq.com/headers.x-team: "blue,~*^g", konghq.com/methods: "get", konghq.com/snis: "a.example.org", konghq.com/regex-priority: "5"}',
    ),
  );
  const r = routes[0]!;
  assert.equal(
    r.expression,
    '((http.host =^ ".example.com") || (http.host == "a.example.org")) && ((http.path == "/api") || (http.path ^= "/api/")) && ((http.headers.x_team == "blue") || (http.headers.x_team ~ "^g")) && (http.method == "GET") && (tls.sni == "a.example.org")',
  );
  // 3<<44 | 5 match fields<<41 | 1 header<<33 | no plain host (a wildcard) | regex (Prefix)<<16 | len("/api/") = 5
  assert.equal(r.priority, Number((3n << 44n) + (5n << 41n) + (1n << 33n) + (1n << 16n) + 5n));
  assert.deepEqual([r.hosts, r.methods, r.snis, r.headers, r.regex_priority], [[], [], undefined, undefined, undefined], 'kongstate/route.go overrideByAnnotation skips them with expression routes');
});

test('trace with expressions: an Ingress catch-all POST route now beats an Exact /login (more match fields), the reverse of traditional_compatible', () => {
  const yaml =
    ingress('login', 'team-a', '  rules:\n  - http:\n      paths:\n      - {path: /login, pathType: Exact, backend: {service: {name: login, port: {number: 80}}}}\n') +
    ingress('api-post', 'team-b', '  rules:\n  - http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}\n', '{konghq.com/methods: POST}');
  const { tr } = expressionRoutes(yaml);
  const t = traceRequest(tr, { url: 'http://any.example/login', method: 'POST' });
  assert.equal(t.flavor, 'expressions');
  assert.equal(t.resolution.winner?.part.route.name, 'team-b.api-post.api..80');
  const traditional = traceRequest(new Translator(new Store(yamlObjects(CLASS + yaml)), DEFAULT_POLICY.translate), { url: 'http://any.example/login', method: 'POST' });
  assert.equal(traditional.resolution.winner?.part.route.name, 'team-a.login.login..80');
});
