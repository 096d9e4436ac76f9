// Keys users write that JavaScript treats specially ("__proto__"): a Secret data key, a header name, a JSON patch
// path are all valid Kubernetes, and KIC (Go maps) treats them as any other key. Here they must stay own keys of
// the objects built from them, and never reach Object.prototype: `node = node["__proto__"]` followed by a write
// changes every object in the webhook process, and with it every later verdict.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { audit } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { redactSecret } from '../../src/model/secret.ts';
import { Store } from '../../src/state/store.ts';
import { headerLines } from '../../src/trace/trace.ts';
import { REDACTED } from '../../src/translate/deck-common.ts';
import { toDeck } from '../../src/translate/deck.ts';
import { translateAll } from '../../src/translate/kong-config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { yamlObjects } from '../helpers.ts';

const PROTOTYPES = [Object.prototype, Array.prototype];
const before = PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort());

afterEach(() => {
  // Repair first, so one failure does not poison the tests after it; then fail.
  const added = PROTOTYPES.map((p, i) => Object.getOwnPropertyNames(p).filter((k) => !before[i]!.includes(k)));
  PROTOTYPES.forEach((p, i) => added[i]!.forEach((k) => delete (p as Record<string, unknown>)[k]));
  assert.deepEqual(added, [[], []], 'a prototype gained properties');
});

const BASE = `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: ingress-controllers.konghq.com/kong}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: kong}
spec: {controllerName: konghq.com/kic-gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: kong, namespace: default}
spec: {gatewayClassName: kong, listeners: [{name: http, protocol: HTTP, port: 80}]}
`;

const ingress = (annotations: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default, annotations: {${annotations}}}
spec:
  ingressClassName: kong
  rules:
  - host: a.example.com
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
`;

/** Judges and translates the objects as `check` and `translate --output deck` do; returns the deck file. */
function run(yaml: string): Record<string, unknown> {
  const store = new Store(yamlObjects(BASE + '---' + yaml));
  audit(store, DEFAULT_POLICY);
  const tr = new Translator(store, DEFAULT_POLICY.translate);
  return toDeck(tr, translateAll(tr, store)) as Record<string, unknown>;
}

type Deck = { services?: { routes?: { headers?: Record<string, string[]> }[] }[] };
const routes = (deck: Record<string, unknown>) => ((deck as Deck).services ?? []).flatMap((s) => s.routes ?? []);

test('a KongPlugin configPatches path through "__proto__" patches an own key, as KIC\'s JSON patch does', () => {
  const deck = run(`
apiVersion: v1
kind: Secret
metadata: {name: s, namespace: default}
stringData: {k: v}
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: p, namespace: default}
plugin: key-auth
configPatches:
- path: /__proto__/polluted
  valueFrom: {secretKeyRef: {name: s, key: k}}
---${ingress('konghq.com/plugins: p')}`);
  const config = (deck.plugins as { name: string; config: Record<string, unknown> }[]).find((p) => p.name === 'key-auth')!.config;
  assert.ok(Object.hasOwn(config, '__proto__'));
  assert.deepEqual(Object.getOwnPropertyDescriptor(config, '__proto__')?.value, { polluted: REDACTED });
});

test('an Ingress konghq.com/headers.__proto__ annotation becomes an own header of its Kong route', () => {
  const [route] = routes(run(ingress('konghq.com/headers.__proto__: x')));
  assert.deepEqual(Object.getOwnPropertyDescriptor(route!.headers!, '__proto__')?.value, ['x']);
});

test('an HTTPRoute header match named "__proto__" becomes an own header of its Kong route', () => {
  const [route] = routes(
    run(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: kong}]
  rules: [{matches: [{headers: [{name: __proto__, value: x}]}], backendRefs: [{name: web, port: 80}]}]
`),
  );
  assert.deepEqual(Object.getOwnPropertyDescriptor(route!.headers!, '__proto__')?.value, ['x']);
});

test('a GRPCRoute header match named "__proto__" is judged without an error (a property test found it throwing)', () => {
  run(`
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: g, namespace: default}
spec:
  parentRefs: [{name: kong}]
  rules: [{matches: [{headers: [{name: __proto__, value: x}, {name: __proto__, value: y}]}], backendRefs: [{name: web, port: 80}]}]
`);
});

test('a Secret data key "__proto__" is one more field of its facts', () => {
  const [secret] = yamlObjects('apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\nstringData: {__proto__: v, key: k}\n');
  const fields = redactSecret(secret!).facts.fields;
  assert.deepEqual(Object.keys(fields).sort(), ['__proto__', 'key']);
  assert.equal(Object.getPrototypeOf(fields), Object.prototype);
});

test('trace -H "__proto__: x" is one more request header', () => {
  const headers = headerLines(['__proto__: x', '__proto__: y']);
  assert.deepEqual(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value, ['x', 'y']);
});
