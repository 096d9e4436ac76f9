// route-stolen (router.md §9): a state of existing routes, then one change judged by the real engine. Each stealing
// case names the witness request the message must show; each coexisting case must stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { keyOf, type K8sObject } from '../../src/model/object.ts';
import { KONG_BASE } from '../../src/rules/example-base.ts';
import { routeStolen } from '../../src/rules/route-stealing.ts';
import { Store } from '../../src/state/store.ts';
import { yamlObjects } from '../helpers.ts';
import { run } from './support.ts';

/** The examples' base (IngressClass and GatewayClass kong), a Gateway that takes routes from every namespace, and each team's Services. */
const BASE = `${KONG_BASE}---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: kong, namespace: team-b}
spec:
  gatewayClassName: kong
  listeners:
  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
---
apiVersion: v1
kind: Service
metadata: {name: svc-a, namespace: team-a}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: svc-b, namespace: team-b}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: svc-a2, namespace: team-a}
spec: {ports: [{name: http, port: 80}]}
`;

interface IngressSpec {
  ns: string;
  name: string;
  host?: string;
  path: string;
  pathType?: string;
  annotations?: Record<string, string>;
}

function ingress(i: IngressSpec): string {
  const svc = i.ns === 'team-a' ? 'svc-a' : 'svc-b';
  const anns = i.annotations ? `\n  annotations: ${JSON.stringify(i.annotations)}` : '';
  return `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${i.name}
  namespace: ${i.ns}${anns}
spec:
  ingressClassName: kong
  rules:
  - ${i.host ? `host: "${i.host}"\n    ` : ''}http:
      paths:
      - {path: "${i.path}", pathType: ${i.pathType ?? 'Prefix'}, backend: {service: {name: ${svc}, port: {number: 80}}}}
`;
}

/** The route-stolen findings of applying `change` (CREATE or UPDATE) to the state `existing`. */
function stolen(existing: string, change: string): string[] {
  const store = new Store(yamlObjects(BASE + existing));
  const [object] = yamlObjects(change) as [K8sObject];
  const old = store.get(keyOf(object));
  const verdict = evaluate(store, old ? { operation: 'UPDATE', object, oldObject: old } : { operation: 'CREATE', object }, DEFAULT_POLICY);
  return [...verdict.denials, ...verdict.warnings].filter((f) => f.rule === 'route-stolen').map((f) => f.message);
}

interface Case {
  name: string;
  existing: string;
  change: string;
  /** Words each finding must contain (one entry per finding); [] = silent. */
  want: string[][];
}

const victim = (extra: Partial<IngressSpec> = {}) => ingress({ ns: 'team-a', name: 'api', host: 'app.example.com', path: '/api', ...extra });
const thief = (extra: Partial<IngressSpec> = {}) => ingress({ ns: 'team-b', name: 'thief', host: 'app.example.com', path: '/api', ...extra });

const cases: Case[] = [
  // ---- stealing
  {
    name: 'a longer prefix from another namespace takes a sub-path',
    existing: victim(),
    change: thief({ path: '/api/v1' }),
    want: [['Ingress team-a/api', 'http://app.example.com/api/v1', 'team-a.api.svc-a.app.example.com.80', 'longer plain path']],
  },
  {
    name: 'a regex over a prefix',
    existing: victim({ path: '/files' }),
    change: thief({ path: '/~/files/[0-9]+', pathType: 'ImplementationSpecific' }),
    want: [['Ingress team-a/api', 'http://app.example.com/files/0', 'regex path']],
  },
  {
    name: 'a wildcard host over a host-less route',
    existing: victim({ host: undefined, path: '/' }),
    change: thief({ host: '*.example.com', path: '/' }),
    want: [['Ingress team-a/api', '://x.example.com/', 'more fields (2 vs 1)']],
  },
  {
    name: 'a plain host under the victim\'s wildcard',
    existing: victim({ host: '*.example.com', path: '/' }),
    change: thief({ host: 'shop.example.com', path: '/' }),
    want: [['Ingress team-a/api', '://shop.example.com/', 'only plain (non-wildcard) hosts']],
  },
  {
    name: 'an exact duplicate whose route ID is greater (the victim has the lower one)',
    existing: victim({ path: '/dup' }),
    change: thief({ name: 'dup-b', path: '/dup' }),
    want: [['Ingress team-a/api', 'http://app.example.com/dup', 'tie is broken by route ID', 'renaming either object can flip this']],
  },
  {
    name: 'a header match added',
    existing: victim(),
    change: thief({ annotations: { 'konghq.com/headers.x-canary': 'on' } }),
    want: [['Ingress team-a/api', 'http://app.example.com/api', 'x-canary: on', 'more fields (3 vs 2)']],
  },
  {
    name: "an Exact path over another team's POST-only catch-all (V-T5: Kong's documented order says the opposite)",
    existing: ingress({ ns: 'team-a', name: 'api-post', path: '/', annotations: { 'konghq.com/methods': 'POST' } }),
    change: ingress({ ns: 'team-b', name: 'login', path: '/login', pathType: 'Exact' }),
    want: [['Ingress team-a/api-post', 'POST http://example.invalid/login', 'regex path', "documented order would pick the other route"]],
  },
  {
    name: 'an HTTPRoute over an Ingress prefix (a longer path)',
    existing: victim(),
    change: `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: v2, namespace: team-b}
spec:
  parentRefs: [{name: kong}]
  hostnames: [app.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api/v2}}]
    backendRefs: [{name: svc-b, port: 80}]
`,
    want: [['Ingress team-a/api', 'http://app.example.com/api/v2', 'HTTPRoute team-b/v2']],
  },
  // ---- coexisting
  { name: 'neighbour: the same path on another host', existing: victim(), change: thief({ host: 'other.example.com' }), want: [] },
  { name: 'neighbour: a different path on the same host', existing: victim(), change: thief({ path: '/shop' }), want: [] },
  { name: 'neighbour: a shorter prefix takes only what the victim never served', existing: victim({ path: '/api/v1' }), change: thief({ path: '/api' }), want: [] },
  { name: 'neighbour: an exact duplicate whose route ID is lower keeps losing', existing: victim({ path: '/dup' }), change: thief({ name: 'dup-c', path: '/dup' }), want: [] },
  { name: 'neighbour: the same namespace takes its own traffic', existing: victim(), change: ingress({ ns: 'team-a', name: 'v1', host: 'app.example.com', path: '/api/v1' }), want: [] },
  { name: 'neighbour: a wildcard host does not outrank a plain host', existing: victim(), change: thief({ host: '*.example.com' }), want: [] },
  { name: 'neighbour: a header-only route leaves requests without the header', existing: victim({ path: '/x' }), change: thief({ path: '/x', host: 'b.example.com', annotations: { 'konghq.com/headers.x-canary': 'on' } }), want: [] },
];

for (const c of cases) {
  test(`route-stolen: ${c.name}`, () => {
    const got = stolen(c.existing, c.change);
    assert.equal(got.length, c.want.length, got.join('\n'));
    c.want.forEach((words, i) => {
      for (const w of words) assert.ok(got[i]!.includes(w), `"${w}" missing in: ${got[i]}`);
    });
  });
}

test('route-stolen: the names that decide the route-ID tie are what the cases above assume', () => {
  // dup-b's route parts beat the victim's and dup-c's lose to it: if KIC's naming changed, the two tie cases would swap, not pass by luck.
  assert.equal(stolen(victim({ path: '/dup' }), thief({ name: 'dup-b', path: '/dup' })).length, 1);
  assert.equal(stolen(victim({ path: '/dup' }), thief({ name: 'dup-c', path: '/dup' })).length, 0);
});

test('route-stolen: a whole-state audit (no before) reports nothing, even where a change would have been a theft', () => {
  const objects = yamlObjects(BASE + victim() + thief({ path: '/api/v1' }));
  assert.deepEqual(run(objects, [routeStolen]), []);
});

test('route-stolen: an UPDATE that widens a route steals; re-applying it unchanged does not', () => {
  const existing = victim() + thief({ path: '/shop' });
  assert.equal(stolen(existing, thief({ path: '/api/v1' })).length, 1);
  assert.equal(stolen(victim() + thief({ path: '/api/v1' }), thief({ path: '/api/v1' })).length, 0);
});
