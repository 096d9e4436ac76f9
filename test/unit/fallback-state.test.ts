// translate --fallback's state (engine/fallback-state.ts) follows KIC's fallback.go: exclusion of the broken objects'
// subgraphs, then backfill of each excluded object's subgraph as the last valid state holds it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fallbackState } from '../../src/engine/fallback-state.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { keyOf } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';
import { yamlObjects } from '../helpers.ts';

const ingress = (name: string, plugins?: string) => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: default, annotations: {kubernetes.io/ingress.class: kong${plugins ? `, konghq.com/plugins: ${plugins}` : ''}}}
spec:
  rules: [{host: ${name}.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}}]
`;
const plugin = (minute: string) => `---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: limit, namespace: default}
plugin: rate-limiting
config: {minute: ${minute}}
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: default}
spec: {ports: [{port: 80}]}
`;
const store = (text: string) => new Store(yamlObjects(text));
const names = (s: Store) => [...s.all()].map((o) => o.metadata.name).sort();

test('a broken plugin takes out the Ingresses naming it; nothing else', () => {
  const f = fallbackState(store(SERVICE + ingress('a', 'limit') + ingress('b') + plugin('often')), DEFAULT_POLICY);
  assert.deepEqual(f.broken, ['configuration.konghq.com/KongPlugin:default/limit']);
  assert.deepEqual(names(f.store), ['api', 'b']);
  assert.equal(f.backfilled.size, 0);
});

test('backfill restores each excluded object as the last valid state holds it, also one that named the plugin only now', () => {
  const current = store(SERVICE + ingress('a', 'limit') + ingress('b', 'limit') + plugin('often'));
  // In the last valid state b did not name the plugin: KIC still backfills b, from its own subgraph there.
  const lastValid = store(SERVICE + ingress('a', 'limit') + ingress('b') + plugin('5'));
  const f = fallbackState(current, DEFAULT_POLICY, lastValid);
  assert.deepEqual(names(f.store), ['a', 'api', 'b', 'limit']);
  const b = [...f.store.list('Ingress')].find((o) => o.metadata.name === 'b')!;
  assert.equal(b.metadata.annotations?.['konghq.com/plugins'], undefined);
  assert.deepEqual([...f.backfilled.get(keyOf(b))!], [keyOf(b)]);
});

test('an excluded object the last valid state lacks stays out', () => {
  const f = fallbackState(store(SERVICE + ingress('a', 'limit') + plugin('often')), DEFAULT_POLICY, store(SERVICE));
  assert.deepEqual(names(f.store), ['api']);
});
