// Seed 002 (KIC Fallback Configuration guide), walked through as admission decisions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';
import { apply, messages, objectsFrom, review, SEED_002_SETUP, withAnnotations } from '../helpers.ts';

const SETUP = SEED_002_SETUP;
const BOB = 'configuration.konghq.com/KongConsumer:default/bob';
const ROUTE_A = 'gateway.networking.k8s.io/HTTPRoute:default/route-a';

async function validSetup(): Promise<Store> {
  return new Store(await objectsFrom(...SETUP));
}

/** The state after `kubectl annotate kongconsumer bob konghq.com/plugins-` got in without admission. */
async function brokenState(): Promise<Store> {
  const store = await validSetup();
  store.upsert(withAnnotations(store.get(BOB)!, { 'konghq.com/plugins': undefined }));
  return store;
}

test('seed 002: every object of the valid setup is allowed when applied in the guide\'s order', async () => {
  const store = new Store();
  for (const obj of await objectsFrom(...SETUP)) {
    const verdict = apply(store, obj);
    assert.equal(verdict.allowed, true, `${obj.kind} ${obj.metadata.name}: ${messages(verdict)}`);
  }
  assert.equal(store.size, 11);
});

test('seed 002: in the guide\'s order, creating rate-limit-consumer before bob warns (bob will scope it); strict denies', async () => {
  for (const strict of [false, true]) {
    const store = new Store(await objectsFrom(...SETUP.slice(0, 5)));
    const [keyAuth, base, consumerPlugin] = await objectsFrom('b3-kongplugins.yaml');
    apply(store, keyAuth!);
    apply(store, base!);
    const verdict = apply(store, consumerPlugin!, { ...DEFAULT_POLICY, strict });
    assert.equal(verdict.allowed, !strict);
    const [finding] = strict ? verdict.denials : verdict.warnings;
    assert.equal(finding?.rule, 'duplicate-plugin-scope');
    assert.match(finding!.message, /HTTPRoute default\/route-b/);
  }
});

test('seed 002: route-b applied before its plugins gets warnings, not a denial (batch apply order)', async () => {
  const store = new Store(await objectsFrom('a1-ingressclass-kong.yaml', 'a2-gatewayclass-kong.yaml', 'a3-gateway-kong.yaml', 'b1-service-echo.yaml'));
  const [, routeB] = await objectsFrom('b2-httproutes-route-a-route-b.yaml');
  const verdict = apply(store, routeB!);
  assert.equal(verdict.allowed, true);
  assert.deepEqual(
    verdict.warnings.map((w) => w.rule),
    ['missing-plugin', 'missing-plugin', 'missing-plugin'],
  );
});

test('seed 002: removing konghq.com/plugins from bob is denied, naming route-b, both plugins and the type', async () => {
  const store = await validSetup();
  const bob = store.get(BOB)!;
  const verdict = evaluate(store, { operation: 'UPDATE', object: withAnnotations(bob, { 'konghq.com/plugins': undefined }), oldObject: bob }, DEFAULT_POLICY);
  assert.equal(verdict.allowed, false);
  assert.equal(verdict.denials.length, 1);
  const [denial] = verdict.denials;
  assert.equal(denial!.rule, 'duplicate-plugin-scope');
  assert.deepEqual(denial!.object, { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default', name: 'route-b' });
  for (const text of ['HTTPRoute default/route-b', 'KongPlugin default/rate-limit-base', 'KongPlugin default/rate-limit-consumer', '"rate-limiting"', 'same scope (route)', 'KongConsumer default/bob', 'no longer names rate-limit-consumer']) {
    assert.ok(denial!.message.includes(text), `message lacks ${text}: ${denial!.message}`);
  }
  assert.deepEqual(denial!.related.map((r) => r.name).sort(), ['rate-limit-base', 'rate-limit-consumer']);
});

test('seed 002: the captured UPDATE reviews (plain and dry-run) are denied the same way', async () => {
  for (const file of ['12-update-kongconsumer-bob-dryrun.json', '13-update-kongconsumer-bob.json']) {
    const store = await validSetup();
    const { request } = review(file);
    const verdict = evaluate(store, { operation: request.operation, object: request.object as K8sObject, oldObject: request.oldObject as K8sObject }, DEFAULT_POLICY);
    assert.equal(verdict.allowed, false, file);
    assert.match(verdict.denials[0]!.message, /HTTPRoute default\/route-b/);
  }
});

test('seed 002: restoring the annotation (the fix) is allowed on the broken state', async () => {
  const store = await brokenState();
  const { request } = review('14-update-kongconsumer-bob.json');
  const verdict = evaluate(store, { operation: 'UPDATE', object: request.object as K8sObject, oldObject: store.get(BOB)! }, DEFAULT_POLICY);
  assert.equal(verdict.allowed, true, messages(verdict));
  assert.deepEqual(verdict.warnings, []);
});

test('seed 002: route-a can still be changed while route-b is broken', async () => {
  const store = await brokenState();
  const { request } = review('15-update-httproute-route-a.json');
  const verdict = evaluate(store, { operation: 'UPDATE', object: request.object as K8sObject, oldObject: store.get(ROUTE_A)! }, DEFAULT_POLICY);
  assert.equal(verdict.allowed, true, messages(verdict));
  assert.deepEqual(verdict.denials, []);
});

test('seed 002: an unrelated change to bob while route-b is broken is allowed, with the existing breakage as a warning', async () => {
  const store = await brokenState();
  const bob = store.get(BOB)!;
  const verdict = evaluate(store, { operation: 'UPDATE', object: { ...bob, custom_id: 'bob-42' }, oldObject: bob }, DEFAULT_POLICY);
  assert.equal(verdict.allowed, true);
  assert.deepEqual(verdict.denials, []);
});

test('seed 002: a change to route-b itself while it is broken is allowed, and warns that it is still broken', async () => {
  const store = await brokenState();
  const key = 'gateway.networking.k8s.io/HTTPRoute:default/route-b';
  const routeB = store.get(key)!;
  const verdict = evaluate(store, { operation: 'UPDATE', object: withAnnotations(routeB, { 'example.com/owner': 'team-b' }), oldObject: routeB }, DEFAULT_POLICY);
  assert.equal(verdict.allowed, true);
  assert.equal(verdict.warnings.length, 1);
  assert.equal(verdict.warnings[0]!.rule, 'duplicate-plugin-scope');
  assert.equal(verdict.warnings[0]!.preexisting, true);
});

test('seed 002: deleting KongPlugin key-auth that route-b still names warns that route-b loses authentication', async () => {
  const store = await validSetup();
  const { request } = review('27-delete-kongplugin-key-auth.json');
  const verdict = evaluate(store, { operation: 'DELETE', oldObject: request.oldObject as K8sObject }, DEFAULT_POLICY);
  assert.equal(verdict.allowed, true);
  assert.equal(verdict.warnings.length, 1);
  assert.equal(verdict.warnings[0]!.rule, 'missing-plugin');
  assert.match(verdict.warnings[0]!.message, /HTTPRoute default\/route-b loses authentication/);
});

test('seed 002: deleting the credential Secret bob still lists warns on bob', async () => {
  const store = await validSetup();
  const { request } = review('29-delete-secret-bob-key-auth.json');
  const verdict = evaluate(store, { operation: 'DELETE', oldObject: request.oldObject as K8sObject }, DEFAULT_POLICY);
  assert.equal(verdict.allowed, true);
  assert.deepEqual(verdict.warnings.map((w) => [w.rule, w.object.name]), [['missing-credential-secret', 'bob']]);
  assert.doesNotMatch(messages(verdict), /bob-password|Ym9iLXBhc3N3b3Jk/);
});

test('seed 002: deleting Service echo (dry-run) warns on both routes', async () => {
  const store = await validSetup();
  const { request } = review('28-delete-service-echo-dryrun.json');
  const verdict = evaluate(store, { operation: 'DELETE', oldObject: request.oldObject as K8sObject }, DEFAULT_POLICY);
  assert.equal(verdict.allowed, true);
  assert.deepEqual(verdict.warnings.map((w) => `${w.rule} ${w.object.name}`).sort(), ['missing-backend-service route-a', 'missing-backend-service route-b']);
});

test('seed 002: server-side apply of rate-limit-base (four UPDATEs, three no-ops) is allowed every time', async () => {
  const store = await validSetup();
  for (const file of ['30', '31', '32', '33'].map((n) => `${n}-update-kongplugin-rate-limit-base.json`)) {
    const { request } = review(file);
    const verdict = evaluate(store, { operation: 'UPDATE', object: request.object as K8sObject, oldObject: request.oldObject as K8sObject }, DEFAULT_POLICY);
    assert.equal(verdict.allowed, true, file);
    assert.deepEqual(verdict.warnings, [], file);
    store.upsert(request.object as K8sObject);
  }
});
