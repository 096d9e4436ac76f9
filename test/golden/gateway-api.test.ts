// Gateway API attachment: classes and parents that do not exist.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from '../../src/state/store.ts';
import { apply, objectsFrom, yamlObjects } from '../helpers.ts';

const ROUTE = (parent: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  parentRefs: [{name: ${parent}}]
  rules: [{backendRefs: [{name: echo, port: 1027}]}]
`;

test('a Gateway naming a GatewayClass that does not exist warns, with a suggestion', async () => {
  const store = new Store(await objectsFrom('a2-gatewayclass-kong.yaml'));
  const [gw] = yamlObjects('apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: default}\nspec: {gatewayClassName: kongg, listeners: [{name: http, protocol: HTTP, port: 80}]}\n');
  const verdict = apply(store, gw!);
  assert.equal(verdict.allowed, true);
  assert.equal(verdict.warnings[0]?.rule, 'unknown-gateway-class');
  assert.match(verdict.warnings[0]!.message, /did you mean "kong"/);
});

test('an HTTPRoute attached to a Gateway without a GatewayClass warns on the route', async () => {
  const store = new Store(await objectsFrom('b1-service-echo.yaml'));
  store.upsert(yamlObjects('apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g, namespace: default}\nspec: {gatewayClassName: nowhere, listeners: []}\n')[0]!);
  const verdict = apply(store, yamlObjects(ROUTE('g'))[0]!);
  assert.deepEqual(verdict.warnings.map((w) => w.rule), ['unknown-gateway-class']);
});

test('an HTTPRoute whose parent Gateway does not exist warns; with the Gateway of our class it is clean', async () => {
  const store = new Store(await objectsFrom('a2-gatewayclass-kong.yaml', 'a3-gateway-kong.yaml', 'b1-service-echo.yaml'));
  assert.deepEqual(apply(store, yamlObjects(ROUTE('missing'))[0]!).warnings.map((w) => w.rule), ['missing-gateway']);
  const fine = apply(store, yamlObjects(ROUTE('kong'))[0]!);
  assert.deepEqual([...fine.denials, ...fine.warnings], []);
});
