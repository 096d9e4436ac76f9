// Seed 000 (KIC fallback service) and seed 003 (ingress-nginx "default backend - 404" causes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit, evaluate } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';
import { apply, messages, objectsFrom, review, yamlObjects } from '../helpers.ts';

async function kongCluster(): Promise<Store> {
  return new Store(await objectsFrom('a1-ingressclass-kong.yaml', 'b1-service-echo.yaml', 'e1-ingress-demo.yaml', 'e2-service-fallback-svc.yaml'));
}

test('seed 000: the fallback Ingress (spec.defaultBackend) is allowed', async () => {
  const store = await kongCluster();
  const verdict = apply(store, (await objectsFrom('e3-ingress-fallback.yaml'))[0]!);
  assert.equal(verdict.allowed, true, messages(verdict));
  assert.deepEqual(verdict.warnings, []);
});

test('seed 000: a second defaultBackend is denied, naming the Ingress that holds the fallback', async () => {
  const store = await kongCluster();
  apply(store, (await objectsFrom('e3-ingress-fallback.yaml'))[0]!);
  const { request } = review('21-create-ingress-fallback-2.json');
  const verdict = evaluate(store, { operation: 'CREATE', object: request.object as K8sObject }, DEFAULT_POLICY);
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.denials[0]!.rule, 'duplicate-default-backend');
  assert.equal(verdict.denials[0]!.object.name, 'fallback-2');
  assert.match(verdict.denials[0]!.message, /Ingress default\/fallback already holds the fallback/);
  // KIC ignores the second default backend at translation time: Kong never rejects anything, no fallback runs.
  assert.doesNotMatch(verdict.denials[0]!.message, /KIC's fallback would exclude/);
});

test('seed 000: a defaultBackend for another controller\'s class is not ours to judge', async () => {
  const store = await kongCluster();
  apply(store, (await objectsFrom('e3-ingress-fallback.yaml'))[0]!);
  const [nginxClass, other] = yamlObjects(`
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: nginx-fallback, namespace: default}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: nowhere, port: {number: 80}}}
`);
  apply(store, nginxClass!);
  const verdict = apply(store, other!);
  assert.equal(verdict.allowed, true);
  assert.deepEqual(verdict.warnings, []);
});

test('seed 000: deleting the fallback holder and creating a new one is allowed', async () => {
  const store = await kongCluster();
  apply(store, (await objectsFrom('e3-ingress-fallback.yaml'))[0]!);
  store.delete('networking.k8s.io/Ingress:default/fallback');
  const verdict = apply(store, (await objectsFrom('e4-ingress-fallback-2.yaml'))[0]!);
  assert.equal(verdict.allowed, true, messages(verdict));
});

test('seed 003: an ingressClassName that no IngressClass defines is denied with a suggestion', async () => {
  const store = await kongCluster();
  store.upsert(yamlObjects('apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n')[0]!);
  const { request } = review('22-create-ingress-web.json');
  const verdict = evaluate(store, { operation: 'CREATE', object: request.object as K8sObject }, DEFAULT_POLICY);
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.denials[0]!.rule, 'unknown-ingress-class');
  assert.match(verdict.denials[0]!.message, /"ngnix".*did you mean "nginx"\?/);
});

test('seed 003: a backend Service that does not exist warns (it may come later in the apply); strict denies', async () => {
  const { request } = review('23-create-ingress-orphan.json');
  for (const strict of [false, true]) {
    const verdict = evaluate(await kongCluster(), { operation: 'CREATE', object: request.object as K8sObject }, { ...DEFAULT_POLICY, strict });
    assert.equal(verdict.allowed, !strict);
    const finding = strict ? verdict.denials[0] : verdict.warnings[0];
    assert.equal(finding?.rule, 'missing-backend-service');
    assert.match(finding!.message, /Service default\/missing-svc, which does not exist/);
  }
});

test('seed 003: a backend port the Service does not expose warns', async () => {
  const store = await kongCluster();
  const [ing] = yamlObjects(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: wrong-port, namespace: default}
spec:
  ingressClassName: kong
  rules:
  - http:
      paths:
      - {path: /wrong, pathType: Prefix, backend: {service: {name: echo, port: {number: 8080}}}}
`);
  const verdict = apply(store, ing!);
  assert.equal(verdict.allowed, true);
  assert.equal(verdict.warnings[0]?.rule, 'missing-service-port');
  assert.match(verdict.warnings[0]!.message, /exposes 1027 \(http\)/);
});

const HOSTED = (name: string, path: string, pathType = 'Prefix', extra = '', service = 'echo') => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: default
  ${extra}
spec:
  ingressClassName: kong
  rules:
  - host: app.example.com
    http:
      paths:
      - {path: ${path}, pathType: ${pathType}, backend: {service: {name: ${service}, port: {number: ${service === 'echo' ? 1027 : 80}}}}}
`;

test('seed 003: two Ingresses sending the same host and path to different Services: the second is denied', async () => {
  const store = await kongCluster();
  assert.equal(apply(store, yamlObjects(HOSTED('web-a', '/'))[0]!).allowed, true);
  const verdict = apply(store, yamlObjects(HOSTED('web-b', '/', 'Prefix', '', 'fallback-svc'))[0]!);
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.denials[0]!.rule, 'ingress-path-conflict');
  assert.match(verdict.denials[0]!.message, /host "app.example.com" path "\/" \(Prefix\).*to Service default\/fallback-svc:80, while Ingress default\/web-a already sends it to Service default\/echo:1027/);
});

test('seed 003: two Ingresses sending the same host and path to the same Service are allowed (the same backend answers)', async () => {
  const store = await kongCluster();
  assert.equal(apply(store, yamlObjects(HOSTED('web-a', '/'))[0]!).allowed, true);
  const verdict = apply(store, yamlObjects(HOSTED('web-b', '/'))[0]!);
  assert.equal(verdict.allowed, true, messages(verdict));
  assert.deepEqual(verdict.warnings.map((w) => w.rule), []);
});

const OTHER = 'fallback-svc';
const NEIGHBOURS: [string, string][] = [
  ['a trailing slash on a Prefix path is the same path', HOSTED('web-b', '/api/', 'Prefix', '', OTHER)],
  ['a different path is fine', HOSTED('web-b', '/other', 'Prefix', '', OTHER)],
  ['Exact and Prefix on the same path match different requests', HOSTED('web-b', '/api', 'Exact', '', OTHER)],
  ['konghq.com/methods separates the routes', HOSTED('web-b', '/api', 'Prefix', 'annotations: {konghq.com/methods: GET}', OTHER)],
];

for (const [title, manifest] of NEIGHBOURS) {
  test(`seed 003 neighbour: ${title}`, async () => {
    const store = await kongCluster();
    apply(store, yamlObjects(HOSTED('web-a', '/api'))[0]!);
    const verdict = apply(store, yamlObjects(manifest)[0]!);
    const conflict = verdict.denials.some((d) => d.rule === 'ingress-path-conflict');
    assert.equal(conflict, title.startsWith('a trailing slash'), messages(verdict));
  });
}

test('seed 003: HTTPRoutes claiming the same match only warn (Gateway API picks the oldest)', async () => {
  const store = new Store(await objectsFrom('a2-gatewayclass-kong.yaml', 'a3-gateway-kong.yaml', 'b1-service-echo.yaml', 'b2-httproutes-route-a-route-b.yaml'));
  const [copy] = yamlObjects(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: route-a-copy, namespace: default}
spec:
  parentRefs: [{name: kong}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /route-a}}]
    backendRefs: [{name: echo, port: 1027}]
`);
  const verdict = apply(store, copy!);
  assert.equal(verdict.allowed, true);
  assert.deepEqual(verdict.warnings.map((w) => w.rule), ['httproute-path-conflict']);
});

test('every bundled valid example and every valid seed manifest is free of deny findings', async () => {
  const store = new Store(await objectsFrom('/' + new URL('../../examples/cluster', import.meta.url).pathname.slice(1)));
  assert.deepEqual(audit(store, DEFAULT_POLICY), []);
});

test('seed 000: the ignored second default backend gets no missing-backend-service warning (only the denial that explains it)', async () => {
  const store = await kongCluster();
  apply(store, (await objectsFrom('e3-ingress-fallback.yaml'))[0]!);
  const [second] = yamlObjects(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback-3, namespace: default}
spec:
  ingressClassName: kong
  defaultBackend: {service: {name: nowhere, port: {number: 80}}}
`);
  const verdict = apply(store, second!);
  assert.deepEqual([...verdict.denials, ...verdict.warnings].map((f) => f.rule), ['duplicate-default-backend']);
});

test('a Service that backs no route is not translated: a dangling plugin on it is not reported until a route uses it', async () => {
  const store = await kongCluster();
  const [lonely, ing] = yamlObjects(`
apiVersion: v1
kind: Service
metadata: {name: lonely, namespace: default, annotations: {konghq.com/plugins: nope}}
spec: {ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: uses-lonely, namespace: default}
spec:
  ingressClassName: kong
  rules: [{http: {paths: [{path: /lonely, pathType: Prefix, backend: {service: {name: lonely, port: {number: 80}}}}]}}]
`);
  assert.deepEqual(apply(store, lonely!).warnings, []);
  const verdict = apply(store, ing!);
  assert.deepEqual(verdict.warnings.map((w) => `${w.rule} ${w.object.name}`), ['missing-plugin lonely']);
});
