// Upstream settings and vaults (KIC 3.5 kongstate.FillUpstreamOverrides, upstream.go, FillVaults; admission ValidateVault).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { K8sObject } from '../../src/model/object.ts';
import { UPSTREAM_AND_VAULT_RULES } from '../../src/rules/upstreams-and-vaults.ts';
import { httpRoute, ingress, run, service, world } from './support.ts';

const KONG = 'configuration.konghq.com';
const echo = (annotations: Record<string, string>) => [...world().filter((o) => !(o.kind === 'Service' && o.metadata.name === 'echo')), service('echo', annotations)];
const policy = (name: string, spec: Record<string, unknown>): K8sObject => ({ apiVersion: `${KONG}/v1beta1`, kind: 'KongUpstreamPolicy', metadata: { name, namespace: 'default' }, spec });
const kongIngress = (name: string, body: Record<string, unknown>): K8sObject => ({ apiVersion: `${KONG}/v1`, kind: 'KongIngress', metadata: { name, namespace: 'default' }, ...body });
const vault = (name: string, prefix: string, created: string, cls = 'kong'): K8sObject => ({
  apiVersion: `${KONG}/v1alpha1`,
  kind: 'KongVault',
  metadata: { name, creationTimestamp: created, annotations: { 'kubernetes.io/ingress.class': cls } },
  spec: { backend: 'env', prefix },
});
const STICKY = { algorithm: 'sticky-sessions', hashOn: { input: 'none' }, stickySessions: { cookie: 'sid' } };

const CASES: { name: string; objects: K8sObject[]; expect: string[]; edition?: 'oss' | 'enterprise' }[] = [
  { name: 'a Service behind an Ingress names a missing KongUpstreamPolicy', objects: [...echo({ 'konghq.com/upstream-policy': 'p' }), ingress('web')], expect: ['missing-upstream-policy'] },
  { name: 'neighbour: the policy exists', objects: [...echo({ 'konghq.com/upstream-policy': 'p' }), ingress('web'), policy('p', { algorithm: 'least-connections' })], expect: [] },
  { name: 'neighbour: a Service no managed route uses is not KIC\'s', objects: [...echo({ 'konghq.com/upstream-policy': 'p' })], expect: [] },
  { name: 'a Service names a missing KongIngress (konghq.com/override)', objects: [...echo({ 'konghq.com/override': 'k' }), ingress('web')], expect: ['missing-upstream-policy'] },
  { name: 'sticky-sessions on Kong OSS 3.9', objects: [...echo({ 'konghq.com/upstream-policy': 'p' }), ingress('web'), policy('p', STICKY)], expect: ['upstream-policy-unsupported'] },
  { name: 'neighbour: sticky-sessions with kongEdition: enterprise is not judged', objects: [...echo({ 'konghq.com/upstream-policy': 'p' }), ingress('web'), policy('p', STICKY)], expect: [], edition: 'enterprise' },
  { name: 'neighbour: consistent-hashing on a cookie works on Kong 3.9', objects: [...echo({ 'konghq.com/upstream-policy': 'p' }), ingress('web'), policy('p', { algorithm: 'consistent-hashing', hashOn: { cookie: 'sid', cookiePath: '/' } })], expect: [] },
  { name: 'a KongIngress with proxy and route sections', objects: [...world(), kongIngress('k', { proxy: { read_timeout: 1000 }, route: { strip_path: true } })], expect: ['kongingress-ignored'] },
  { name: 'neighbour: a KongIngress with only an upstream section', objects: [...world(), kongIngress('k', { upstream: { slots: 100 } })], expect: [] },
  { name: 'a Service\'s KongIngress used only by an HTTPRoute', objects: [...echo({ 'konghq.com/override': 'k' }), httpRoute('api'), kongIngress('k', { upstream: { slots: 100 } })], expect: ['kongingress-ignored'] },
  { name: 'neighbour: the same Service behind an Ingress too', objects: [...echo({ 'konghq.com/override': 'k' }), httpRoute('api'), ingress('web'), kongIngress('k', { upstream: { slots: 100 } })], expect: [] },
  { name: 'two KongVaults with one prefix: the newer is denied', objects: [...world(), vault('a', 'env', '2026-01-01T00:00:00Z'), vault('b', 'env', '2026-01-02T00:00:00Z')], expect: ['duplicate-vault-prefix'] },
  { name: 'neighbour: different prefixes', objects: [...world(), vault('a', 'env', '2026-01-01T00:00:00Z'), vault('b', 'env-b', '2026-01-02T00:00:00Z')], expect: [] },
  { name: 'neighbour: the other vault belongs to another class', objects: [...world(), vault('a', 'env', '2026-01-01T00:00:00Z', 'other'), vault('b', 'env', '2026-01-02T00:00:00Z')], expect: [] },
];

for (const c of CASES) {
  test(`upstreams and vaults: ${c.name}`, () => {
    const found = run(c.objects, UPSTREAM_AND_VAULT_RULES, c.edition ? { kongEdition: c.edition } : undefined);
    assert.deepEqual(found.map((f) => f.rule), c.expect, found.map((f) => f.message).join('\n'));
  });
}

test('messages name the objects and what KIC does', () => {
  const [missing] = run([...echo({ 'konghq.com/upstream-policy': 'p' }), ingress('web')], UPSTREAM_AND_VAULT_RULES);
  assert.match(missing!.message, /Service default\/echo names KongUpstreamPolicy default\/p \(konghq\.com\/upstream-policy\), which does not exist\. KIC records a translation failure \("failed fetching KongUpstreamPolicy"\)/);
  const [sticky] = run([...echo({ 'konghq.com/upstream-policy': 'p' }), ingress('web'), policy('p', STICKY)], UPSTREAM_AND_VAULT_RULES);
  assert.match(sticky!.message, /is not supported with Kong Gateway versions < 3\.11\.0/);
  const [dup] = run([...world(), vault('a', 'env', '2026-01-01T00:00:00Z'), vault('b', 'env', '2026-01-02T00:00:00Z')], UPSTREAM_AND_VAULT_RULES);
  assert.equal(dup!.object.name, 'b');
  assert.match(dup!.message, /spec\.prefix "env" is duplicate with existing KongVault "a"/);
});
