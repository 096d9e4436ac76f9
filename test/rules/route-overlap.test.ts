// Overlapping routes judged by the router. route-precedence: two routes of one namespace, the older one first; the
// newer one either takes requests the older, more specific one served, or never gets requests it matches more
// specifically. Each finding case names words its message must contain; each neighbour (overlap Kong resolves as
// the API's precedence does, another namespace, the same service) must stay silent. httproute-path-conflict: an
// exact duplicate names the route Kong's router really picks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { KONG_BASE } from '../../src/rules/example-base.ts';
import { routePrecedence } from '../../src/rules/route-precedence.ts';
import { httpRoutePathConflict, ingressPathConflict } from '../../src/rules/routing.ts';
import { Store } from '../../src/state/store.ts';
import { yamlObjects } from '../helpers.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import { run } from './support.ts';

/** The examples' base, a Gateway of ours in namespace team, and Services one, two and other-ns/one. */
const BASE = `${KONG_BASE}---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: kong, namespace: team}
spec:
  gatewayClassName: kong
  listeners:
  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
${['team/one', 'team/two', 'other/one']
  .map((s) => {
    const [ns, svc] = s.split('/');
    return `---
apiVersion: v1
kind: Service
metadata: {name: ${svc}, namespace: ${ns}}
spec: {ports: [{name: http, port: 80}]}
`;
  })
  .join('')}`;

interface Spec {
  name: string;
  ns?: string;
  /** Minutes after 10:00: the older object has the smaller one. */
  at: number;
  hosts?: string[];
  path: string;
  pathType?: string;
  service?: string;
  annotations?: Record<string, string>;
  method?: string;
}

function meta(s: Spec): string {
  const anns = s.annotations ? `, annotations: ${JSON.stringify(s.annotations)}` : '';
  return `metadata: {name: ${s.name}, namespace: ${s.ns ?? 'team'}, creationTimestamp: "2026-01-01T10:${String(s.at).padStart(2, '0')}:00Z"${anns}}`;
}

function ingress(s: Spec): string {
  const rules = (s.hosts ?? ['app.example.com'])
    .map((h) => `  - ${h ? `host: "${h}"\n    ` : ''}http:\n      paths:\n      - {path: "${s.path}", pathType: ${s.pathType ?? 'Prefix'}, backend: {service: {name: ${s.service ?? 'one'}, port: {number: 80}}}}\n`)
    .join('');
  return `---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n${meta(s)}\nspec:\n  ingressClassName: kong\n  rules:\n${rules}`;
}

function httpRoute(s: Spec): string {
  const method = s.method ? `, method: ${s.method}` : '';
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
${meta(s)}
spec:
  parentRefs: [{name: kong, namespace: team}]
  hostnames: ${JSON.stringify(s.hosts ?? ['app.example.com'])}
  rules:
  - matches: [{path: {type: ${s.pathType ?? 'PathPrefix'}, value: "${s.path}"}${method}}]
    backendRefs: [{name: ${s.service ?? 'one'}, port: 80}]
`;
}

interface Case {
  name: string;
  objects: string;
  /** Per finding, in order: the object it is on and words its message must contain; [] = silent. */
  want: [on: string, words: string[]][];
}

const cases: Case[] = [
  // ---- findings
  {
    name: 'a newer regex takes requests from an older, longer prefix (regex bit over path length)',
    objects: ingress({ name: 'users', at: 1, path: '/api/v1/users' }) + ingress({ name: 'versions', at: 2, path: '/~/api/v[0-9]+', pathType: 'ImplementationSpecific', service: 'two' }),
    want: [['Ingress team/versions', ['takes GET http://app.example.com/api/v1/users/', 'from Ingress team/users', 'regex path', 'longest matching path']]],
  },
  {
    name: 'a newer, longer prefix never gets requests an older regex takes',
    objects: ingress({ name: 'versions', at: 1, path: '/~/api/v[0-9]+', pathType: 'ImplementationSpecific' }) + ingress({ name: 'users', at: 2, path: '/api/v1/users', service: 'two' }),
    want: [['Ingress team/users', ['never receives GET http://app.example.com/api/v1/users/', 'of versions', 'regex path']]],
  },
  {
    name: 'a newer method-only catch-all takes a longer path (more matched fields over path length)',
    objects: ingress({ name: 'api', at: 1, path: '/api' }) + ingress({ name: 'gets', at: 2, path: '/', service: 'two', annotations: { 'konghq.com/methods': 'GET' } }),
    want: [['Ingress team/gets', ['takes GET http://app.example.com/api', 'more fields (3 vs 2)']]],
  },
  {
    name: 'HTTPRoute: a newer plain-host catch-all takes a longer path of a route that also has a wildcard hostname (plain-host bit)',
    objects: httpRoute({ name: 'v1', at: 1, hosts: ['app.example.com', '*.example.com'], path: '/v1' }) + httpRoute({ name: 'root', at: 2, path: '/', service: 'two' }),
    want: [['HTTPRoute team/root', ['takes GET http://app.example.com/v1', 'only plain (non-wildcard) hosts', "Gateway API's precedence"]]],
  },
  {
    name: 'HTTPRoute: a newer method match on / takes GET requests of an older, longer prefix',
    objects: httpRoute({ name: 'v1', at: 1, path: '/v1' }) + httpRoute({ name: 'gets', at: 2, path: '/', method: 'GET', service: 'two' }),
    want: [['HTTPRoute team/gets', ['takes GET http://app.example.com/v1', 'more fields']]],
  },
  // ---- neighbours: overlap Kong resolves as the API does, or not this rule's business
  { name: 'neighbour: a newer, longer prefix under an older /', objects: ingress({ name: 'root', at: 1, path: '/' }) + ingress({ name: 'api', at: 2, path: '/api', service: 'two' }), want: [] },
  {
    name: 'neighbour: a newer regex whose literal start is longer than the older prefix',
    objects: ingress({ name: 'root', at: 1, path: '/api' }) + ingress({ name: 'versions', at: 2, path: '/~/api/v[0-9]+', pathType: 'ImplementationSpecific', service: 'two' }),
    want: [],
  },
  {
    name: 'neighbour: a newer exact host next to an older wildcard',
    objects: ingress({ name: 'wild', at: 1, hosts: ['*.example.com'], path: '/api' }) + ingress({ name: 'app', at: 2, path: '/', service: 'two' }),
    want: [],
  },
  {
    name: 'neighbour: the same overlap in another namespace (route-stolen judges that change)',
    objects: ingress({ name: 'users', at: 1, path: '/api/v1/users' }) + ingress({ name: 'versions', ns: 'other', at: 2, path: '/~/api/v[0-9]+', pathType: 'ImplementationSpecific' }),
    want: [],
  },
  {
    name: 'neighbour: the same overlap to the same service (the same backend answers)',
    objects: ingress({ name: 'users', at: 1, path: '/api/v1/users' }) + ingress({ name: 'versions', at: 2, path: '/~/api/v[0-9]+', pathType: 'ImplementationSpecific' }),
    want: [],
  },
  {
    name: 'neighbour: an exact duplicate to another service is equal specificity (ingress-path-conflict denies it)',
    objects: ingress({ name: 'a', at: 1, path: '/api' }) + ingress({ name: 'b', at: 2, path: '/api', service: 'two' }),
    want: [],
  },
  { name: 'neighbour: HTTPRoute, a newer, longer prefix under an older /', objects: httpRoute({ name: 'root', at: 1, path: '/' }) + httpRoute({ name: 'v1', at: 2, path: '/v1', service: 'two' }), want: [] },
  {
    name: 'neighbour: HTTPRoute, a newer Exact path next to an older prefix',
    objects: httpRoute({ name: 'v1', at: 1, path: '/v1' }) + httpRoute({ name: 'exact', at: 2, path: '/v1/health', pathType: 'Exact', service: 'two' }),
    want: [],
  },
];

for (const c of cases) {
  test(`route-precedence: ${c.name}`, () => {
    const got = run(yamlObjects(BASE + c.objects), [routePrecedence]);
    assert.deepEqual(
      got.map((f) => `${f.object.kind} ${f.object.namespace}/${f.object.name}`),
      c.want.map(([on]) => on),
      got.map((f) => f.message).join('\n'),
    );
    c.want.forEach(([, words], i) => {
      for (const w of words) assert.ok(got[i]!.message.includes(w), `"${w}" missing in: ${got[i]!.message}`);
      assert.equal(got[i]!.severity, 'warn');
    });
  });
}

test('route-precedence: the exact duplicate stays ingress-path-conflict\'s denial, and route-precedence adds nothing to it', () => {
  const objects = yamlObjects(BASE + ingress({ name: 'a', at: 1, path: '/api' }) + ingress({ name: 'b', at: 2, path: '/api/', service: 'two' }));
  assert.deepEqual(
    run(objects, [ingressPathConflict, routePrecedence]).map((f) => [f.rule, f.severity]),
    [['ingress-path-conflict', 'deny']],
  );
});

test('route-precedence: judged on a CREATE too, as a warning on the created object', () => {
  const store = new Store(yamlObjects(BASE + ingress({ name: 'users', at: 1, path: '/api/v1/users' })));
  const [object] = yamlObjects(ingress({ name: 'versions', at: 2, path: '/~/api/v[0-9]+', pathType: 'ImplementationSpecific', service: 'two' })) as [K8sObject];
  const verdict = evaluate(store, { operation: 'CREATE', object }, DEFAULT_POLICY);
  assert.deepEqual(verdict.denials, []);
  assert.deepEqual(
    verdict.warnings.filter((w) => w.rule === 'route-precedence').map((w) => w.object.name),
    ['versions'],
  );
});

test("httproute-path-conflict: the duplicate's message names the route Kong picks: by route ID under traditional_compatible, the older one under expressions", () => {
  const objects = yamlObjects(BASE + httpRoute({ name: 'shop', at: 1, path: '/shop' }) + httpRoute({ name: 'shop-copy', at: 2, path: '/shop', service: 'two' }));
  const [compat] = run(objects, [httpRoutePathConflict]);
  assert.equal(compat?.object.name, 'shop-copy');
  assert.match(compat.message, /Kong sends GET http:\/\/app\.example\.com\/shop to route httproute\.team\.shop(-copy)?\.0\.0 of shop(-copy)?, so shop(-copy)? receives none of these requests: same priority .*tie is broken by route ID/);
  const [expressions] = run(objects, [httpRoutePathConflict], { ...DEFAULT_TRANSLATE_CONFIG, kongRouterFlavor: 'expressions' });
  assert.match(expressions!.message, /Kong sends GET http:\/\/app\.example\.com\/shop to route httproute\.team\.shop\.[^ ]* of shop, so shop-copy receives none of these requests: higher priority .*older/);
});

test('route-precedence: Exact and Prefix on the same path tie in Kong (route ID); only where the Prefix wins is the Exact route told', () => {
  // KIC's Prefix /foo is `~/foo$` plus `/foo/`; its exact half and the Exact route's `~/foo$` have the same priority, so the
  // greater route ID wins /foo (V-T6). The split part of prefix's route is f2763f17-…; exact's route a4d7ffa6-… is lower,
  // exact-k's f85335d1-… greater (kicRouteId of team.<name>.two.app.example.com.80).
  const pair = (exactName: string) => yamlObjects(BASE + ingress({ name: 'prefix', at: 1, path: '/foo' }) + ingress({ name: exactName, at: 2, path: '/foo', pathType: 'Exact', service: 'two' }));
  const [lost, ...more] = run(pair('exact'), [routePrecedence]);
  assert.equal(more.length, 0);
  for (const w of ['Ingress team/exact never receives GET http://app.example.com/foo', 'exactly /foo', 'prefix /foo', 'Exact before Prefix', 'tie is broken by route ID']) assert.ok(lost?.message.includes(w), `"${w}" missing in: ${lost?.message}`);
  assert.deepEqual(run(pair('exact-k'), [routePrecedence]), []);
});
