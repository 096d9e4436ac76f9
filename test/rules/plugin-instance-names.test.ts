// duplicate-plugin-instance-name: Kong keeps instance_name unique; KIC suffixes it per scope (kongstate.go FillPlugins)
// except on global KongClusterPlugins. Each denied case sits next to its valid neighbour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { K8sObject } from '../../src/model/object.ts';
import { duplicatePluginInstanceName } from '../../src/rules/plugin-instance-names.ts';
import { duplicateGlobalPlugin, duplicatePluginScope } from '../../src/rules/plugins.ts';
import { httpRoute, run, world } from './support.ts';

const RULES = [duplicatePluginInstanceName, duplicatePluginScope, duplicateGlobalPlugin];

function plugin(name: string, type: string, instanceName?: string, config: Record<string, unknown> = {}): K8sObject {
  return { apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name, namespace: 'default' }, plugin: type, config, ...(instanceName ? { instance_name: instanceName } : {}) };
}

function global(name: string, type: string, instanceName: string | undefined, created: string): K8sObject {
  return {
    apiVersion: 'configuration.konghq.com/v1',
    kind: 'KongClusterPlugin',
    metadata: { name, labels: { global: 'true' }, annotations: { 'kubernetes.io/ingress.class': 'kong' }, creationTimestamp: created },
    plugin: type,
    ...(instanceName ? { instance_name: instanceName } : {}),
  };
}

const onRoute = (name: string, plugins: string) => httpRoute(name, { annotations: { 'konghq.com/plugins': plugins } });
const bob = (plugins: string): K8sObject => ({ apiVersion: 'configuration.konghq.com/v1', kind: 'KongConsumer', metadata: { name: 'bob', namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'kong', 'konghq.com/plugins': plugins } }, username: 'bob' });

const CASES: { name: string; objects: K8sObject[]; expect: string[] }[] = [
  { name: 'two types, one instance_name, one route: the same suffix, Kong rejects', objects: [plugin('a', 'rate-limiting', 'edge', { minute: 5 }), plugin('b', 'cors', 'edge'), onRoute('r', 'a, b')], expect: ['duplicate-plugin-instance-name'] },
  { name: 'neighbour: different instance_names on one route', objects: [plugin('a', 'rate-limiting', 'edge-a', { minute: 5 }), plugin('b', 'cors', 'edge-b'), onRoute('r', 'a, b')], expect: [] },
  { name: 'neighbour: one instance_name on two routes (different suffixes)', objects: [plugin('a', 'rate-limiting', 'edge', { minute: 5 }), plugin('b', 'cors', 'edge'), onRoute('r1', 'a'), onRoute('r2', 'b')], expect: [] },
  { name: 'neighbour: one plugin with an instance_name on two routes', objects: [plugin('a', 'cors', 'edge'), onRoute('r1', 'a'), onRoute('r2', 'a')], expect: [] },
  { name: 'one type twice with one instance_name: duplicate-plugin-scope alone says it', objects: [plugin('a', 'cors', 'edge'), plugin('b', 'cors', 'edge'), onRoute('r', 'a, b')], expect: ['duplicate-plugin-scope'] },
  { name: 'neighbour: a consumer moves one of them to consumer x route, another scope', objects: [plugin('a', 'rate-limiting', 'edge', { minute: 5 }), plugin('b', 'cors', 'edge'), onRoute('r', 'a, b'), bob('a')], expect: [] },
  { name: 'two global KongClusterPlugins of different types with one instance_name: not suffixed, Kong rejects', objects: [global('g1', 'prometheus', 'edge', '2026-01-01T00:00:00Z'), global('g2', 'correlation-id', 'edge', '2026-01-02T00:00:00Z')], expect: ['duplicate-plugin-instance-name'] },
  { name: 'neighbour: global plugins with different instance_names', objects: [global('g1', 'prometheus', 'edge-1', '2026-01-01T00:00:00Z'), global('g2', 'correlation-id', 'edge-2', '2026-01-02T00:00:00Z')], expect: [] },
  { name: 'two globals of one type: duplicate-global-plugin alone says it', objects: [global('g1', 'prometheus', 'edge', '2026-01-01T00:00:00Z'), global('g2', 'prometheus', 'edge', '2026-01-02T00:00:00Z')], expect: ['duplicate-global-plugin'] },
  { name: 'neighbour: a global and a route plugin share a name (the route one is suffixed)', objects: [global('g1', 'prometheus', 'edge', '2026-01-01T00:00:00Z'), plugin('a', 'cors', 'edge'), onRoute('r', 'a')], expect: [] },
];

for (const c of CASES) {
  test(`duplicate-plugin-instance-name: ${c.name}`, () => {
    assert.deepEqual(run([...world(), ...c.objects], RULES).map((f) => f.rule), c.expect);
  });
}

test('the finding names both plugins, the scope, the suffixed name and Kong\'s message, and blames the newer plugin', () => {
  const older = { ...plugin('a', 'rate-limiting', 'edge', { minute: 5 }), metadata: { name: 'a', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' } };
  const newer = { ...plugin('b', 'cors', 'edge'), metadata: { name: 'b', namespace: 'default', creationTimestamp: '2026-02-01T00:00:00Z' } };
  const [f] = run([...world(), older, newer, onRoute('r', 'a, b')], [duplicatePluginInstanceName]);
  assert.ok(f);
  assert.match(f.message, /KongPlugin default\/a \("rate-limiting"\) and KongPlugin default\/b \("cors"\) on the same scope \(route\), all with instance_name "edge"/);
  assert.match(f.message, /uniqueness violation: 'plugins' entity with instance_name set to 'edge-<hash>' already declared/);
  assert.equal(f.broken.name, 'b');
  assert.equal(f.breaks, true);
  const [g] = run([...world(), global('g1', 'prometheus', 'edge', '2026-01-01T00:00:00Z'), global('g2', 'correlation-id', 'edge', '2026-01-02T00:00:00Z')], [duplicatePluginInstanceName]);
  assert.equal(g!.object.name, 'g2');
  assert.match(g!.message, /instance_name set to 'edge' already declared/);
});
