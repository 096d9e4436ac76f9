// KongCustomEntity: translation into the entities KIC sends (foreign fields from the parentRef's plugin), the
// dependency edges of KIC's fallback graph, and the rules for what KIC skips or Kong rejects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dependencies } from '../../src/model/dependencies.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { CUSTOM_ENTITY_RULES } from '../../src/rules/custom-entities.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG, type TranslateConfig } from '../../src/translate/config.ts';
import { customEntityCollections } from '../../src/translate/custom-entities.ts';
import { Translator } from '../../src/translate/translator.ts';
import { ingress, run, world } from './support.ts';

const IDS = { service: (n: string) => `svc(${n})`, consumer: (u: string) => `consumer(${u})` };
const KONG = 'configuration.konghq.com';

function kce(name: string, spec: Record<string, unknown>, namespace = 'default'): K8sObject {
  return { apiVersion: `${KONG}/v1alpha1`, kind: 'KongCustomEntity', metadata: { name, namespace }, spec: { controllerName: 'kong', ...spec } };
}
const plugin = (name: string, namespace = 'default'): K8sObject => ({ apiVersion: `${KONG}/v1`, kind: 'KongPlugin', metadata: { name, namespace }, plugin: 'degraphql' } as K8sObject);
const clusterPlugin = (name: string): K8sObject => ({ apiVersion: `${KONG}/v1`, kind: 'KongClusterPlugin', metadata: { name, annotations: { 'kubernetes.io/ingress.class': 'kong' } }, plugin: 'degraphql' } as K8sObject);
const consumer = (name: string, plugins: string): K8sObject =>
  ({ apiVersion: `${KONG}/v1`, kind: 'KongConsumer', metadata: { name, namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'kong', 'konghq.com/plugins': plugins } }, username: name }) as K8sObject;
const parentRef = (kind: string, name: string, namespace?: string) => ({ group: KONG, kind, name, ...(namespace ? { namespace } : {}) });

const collections = (objects: K8sObject[], config: Partial<TranslateConfig> = {}) =>
  customEntityCollections(new Translator(new Store(objects), { ...DEFAULT_TRANSLATE_CONFIG, ...config }), IDS);

test("a plugin on an Ingress route fills a service foreign field with the route's service (getServiceIDFromPluginRels); enterprise types are not judged", () => {
  const objects = [
    ...world(),
    plugin('gql'),
    ingress('web', { annotations: { 'konghq.com/plugins': 'gql' } }),
    kce('contacts', { type: 'degraphql_routes', parentRef: parentRef('KongPlugin', 'gql'), fields: { uri: '/contacts', query: 'q' } }),
  ];
  assert.deepEqual(collections(objects, { kongEdition: 'enterprise' }), { degraphql_routes: [{ uri: '/contacts', query: 'q', service: { id: 'svc(default.echo.80)' } }] });
  // Kong OSS has no degraphql_routes: KIC cannot fetch the schema and skips the entity.
  assert.deepEqual(collections(objects), {});
});

test('a consumer foreign field: one entity per consumer, sorted by consumer ID; without parentRef the fields as written', () => {
  const objects = [
    ...world(),
    plugin('limit'),
    consumer('bob', 'limit'),
    consumer('alice', 'limit'),
    kce('gold', { type: 'acls', parentRef: parentRef('KongPlugin', 'limit'), fields: { group: 'gold' } }),
    kce('a-plain', { type: 'acls', fields: { group: 'x', consumer: { id: 'given' } } }),
    kce('other-class', { type: 'acls', controllerName: 'nginx', fields: { group: 'y' } }),
  ];
  assert.deepEqual(collections(objects), {
    acls: [
      { group: 'x', consumer: { id: 'given' } },
      { group: 'gold', consumer: { id: 'consumer(alice)' } },
      { group: 'gold', consumer: { id: 'consumer(bob)' } },
    ],
  });
});

test('a KongClusterPlugin parent relates the referrers in the entity\'s namespace; a remote KongPlugin needs a ReferenceGrant', () => {
  const elsewhere = consumer('carol', 'limit');
  elsewhere.metadata.namespace = 'other';
  const objects = [...world(), clusterPlugin('limit'), consumer('bob', 'limit'), elsewhere, kce('gold', { type: 'acls', parentRef: parentRef('KongClusterPlugin', 'limit'), fields: { group: 'gold' } })];
  assert.deepEqual(collections(objects), { acls: [{ group: 'gold', consumer: { id: 'consumer(bob)' } }] });

  const remote = [...world(), plugin('limit', 'shared'), kce('gold', { type: 'acls', parentRef: parentRef('KongPlugin', 'limit', 'shared'), fields: { group: 'gold', consumer: { id: 'c' } } })];
  assert.deepEqual(run(remote, CUSTOM_ENTITY_RULES).map((f) => f.rule), ['custom-entity-parent-missing']);
  assert.match(run(remote, CUSTOM_ENTITY_RULES)[0]!.message, /no ReferenceGrant in shared/);
  const grant: K8sObject = {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name: 'kce', namespace: 'shared' },
    spec: { from: [{ group: KONG, kind: 'KongCustomEntity', namespace: 'default' }], to: [{ group: KONG, kind: 'KongPlugin' }] },
  };
  assert.deepEqual(run([...remote, grant], CUSTOM_ENTITY_RULES), []);
  assert.deepEqual(collections([...remote, grant]), { acls: [{ group: 'gold', consumer: { id: 'c' } }] });
});

test("KIC's graph: the entity depends on its KongPlugin in its own namespace or its KongClusterPlugin; a remote KongPlugin is no edge there", () => {
  const edges = (spec: Record<string, unknown>) => dependencies(kce('x', spec)).map((d) => `${d.ref.kind}:${d.ref.namespace ?? ''}/${d.ref.name} ${d.inKicGraph}`);
  assert.deepEqual(edges({ parentRef: parentRef('KongPlugin', 'p') }), ['KongPlugin:default/p true']);
  assert.deepEqual(edges({ parentRef: parentRef('KongPlugin', 'p', 'other') }), ['KongPlugin:other/p false']);
  assert.deepEqual(edges({ parentRef: parentRef('KongClusterPlugin', 'p', 'other') }), ['KongClusterPlugin:/p true']);
  assert.deepEqual(edges({ parentRef: { group: 'example.com', kind: 'KongPlugin', name: 'p' } }), []);
});

test('rules: types KIC builds itself, types Kong OSS lacks (did you mean), a required consumer KIC cannot fill', () => {
  const findings = (spec: Record<string, unknown>, extra: K8sObject[] = []) => run([...world(), ...extra, kce('e', spec)], CUSTOM_ENTITY_RULES).map((f) => `${f.rule}: ${f.message}`);
  assert.match(findings({ type: 'plugins', fields: {} })[0] ?? '', /^invalid-custom-entity: .*"plugins", an entity type KIC builds itself/);
  assert.match(findings({ type: 'keyauth_credential', fields: {} })[0] ?? '', /did you mean "keyauth_credentials"/);
  assert.deepEqual(run([...world(), kce('e', { type: 'degraphql_routes', fields: {} })], CUSTOM_ENTITY_RULES, { kongEdition: 'enterprise' }), []);
  // The plugin exists but no consumer references it: KIC leaves "consumer" out and Kong refuses the entity.
  assert.match(findings({ type: 'acls', parentRef: parentRef('KongPlugin', 'limit'), fields: { group: 'g' } }, [plugin('limit')])[0] ?? '', /^custom-entity-foreign-missing: .*KongPlugin default\/limit \(spec.parentRef\) is attached to no consumer/);
  assert.deepEqual(findings({ type: 'acls', parentRef: parentRef('KongPlugin', 'limit'), fields: { group: 'g' } }, [plugin('limit'), consumer('bob', 'limit')]), []);
  // Not KIC's class: not judged.
  assert.deepEqual(findings({ type: 'plugins', controllerName: 'nginx', fields: {} }), []);
});
