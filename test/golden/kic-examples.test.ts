// KIC's own example manifests (test/fixtures/kic-examples, from KIC v3.5.13's examples/): a configuration KIC ships
// as working must never be denied. The only denials are the ones KIC ships as broken (its fallback examples), Kong
// Enterprise features judged against Kong OSS, which vanish with kongEdition: enterprise, and an upstream policy
// Kong's own validator refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { audit } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { loadManifests } from '../../src/state/manifests.ts';
import { Store } from '../../src/state/store.ts';
import { FIXTURES } from '../helpers.ts';

const DIR = join(FIXTURES, 'kic-examples');
const ENTERPRISE: Policy = { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, kongEdition: 'enterprise' } };

/** Denied rule ids per file, Kong OSS (the default) and Enterprise; files not listed are denied nothing. */
const DENIED: Record<string, { oss: string[]; enterprise: string[] }> = {
  // KIC's examples of a plugin configuration Kong rejects (config.keys is not a key-auth field).
  'ingress-broken-plugin-fallback.yaml': { oss: ['plugin-config-invalid'], enterprise: ['plugin-config-invalid'] },
  'gateway-httproute-broken-plugin-fallback.yaml': { oss: ['plugin-config-invalid'], enterprise: ['plugin-config-invalid'] },
  // Consumer groups, and acl's include_consumer_groups, are Kong Enterprise features (KIC's webhook refuses the group on OSS).
  'consumer-groups.yaml': { oss: ['consumer-group-needs-enterprise'], enterprise: [] },
  'gateway-acl-key-auth-consumer-groups.yaml': { oss: ['consumer-group-needs-enterprise', 'plugin-config-invalid'], enterprise: [] },
  // Drain support uses the sticky-sessions algorithm, which needs Kong 3.11 (Enterprise; OSS ends at 3.9).
  'drain_support.yaml': { oss: ['upstream-policy-unsupported'], enterprise: [] },
  // Kong OSS has neither the degraphql plugin nor its degraphql_routes entities.
  'kong-custom-entity.yaml': { oss: ['invalid-custom-entity', 'unknown-plugin'], enterprise: [] },
  // The KongUpstreamPolicy's hashOn.cookiePath "cookie-path" does not start with "/": Kong 3.9.3's own validator refuses
  // the upstream (hash_on_cookie_path: "should start with: /"; oracle case upstreams/hash-on-cookie-path-relative).
  'kong-upstream-policy-ingress.yaml': { oss: ['kong-entity-invalid'], enterprise: ['kong-entity-invalid'] },
  'kong-upstream-policy-httproute.yaml': { oss: ['kong-entity-invalid'], enterprise: ['kong-entity-invalid'] },
};

/** Files with a document that is not a Kubernetes object (the ReferenceGrant here has no apiVersion). */
const LOAD_PROBLEMS: Record<string, RegExp> = {
  'cross-namespace-plugin-grant.yaml': /document 4: not a Kubernetes object \(missing "apiVersion"\)/,
};

const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

test('the KIC examples are all here (27 files of v3.5.13 examples/)', () => {
  assert.equal(FILES.length, 27);
});

for (const file of FILES) {
  test(`KIC example ${file}: denied only what KIC or Kong refuse`, async () => {
    const loaded = await loadManifests([join(DIR, file)]);
    const expectedProblem = LOAD_PROBLEMS[file];
    assert.deepEqual(loaded.problems.map((p) => expectedProblem?.test(p.message) ?? false), loaded.problems.map(() => true), JSON.stringify(loaded.problems));
    const store = new Store(loaded.objects.map((o) => o.object));
    for (const [edition, policy] of [['oss', DEFAULT_POLICY], ['enterprise', ENTERPRISE]] as const) {
      const denied = [...new Set(audit(store, policy).filter((f) => f.severity === 'deny').map((f) => f.rule))].sort();
      assert.deepEqual(denied, DENIED[file]?.[edition] ?? [], `${edition}: ${denied.join(', ')}`);
    }
  });
}

test("KIC example kong-service-facade.yaml: without KIC's KongServiceFacade gate its facade backends are dropped (a warning each); with it, nothing to report and one Kong service per facade", async () => {
  const loaded = await loadManifests([join(DIR, 'kong-service-facade.yaml')]);
  const store = new Store(loaded.objects.map((o) => o.object));
  assert.deepEqual(audit(store, DEFAULT_POLICY).map((f) => f.rule), ['unusable-backend-resource', 'unusable-backend-resource']);
  const gate: Policy = { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, kongServiceFacade: true } };
  assert.deepEqual(audit(store, gate).map((f) => `${f.rule}: ${f.message}`), []);
});
