// The Gateway API conformance suite's manifests (test/fixtures/gateway-conformance, from Gateway API v1.4.1's
// conformance/): every one is a configuration some conformant implementation accepts, so ingress-guard may deny
// only what KIC 3.5 refuses itself. KIC's webhook (internal/admission/validation/gateway/httproute.go,
// validateHTTPRouteFeatures and validateHTTPRouteTimeoutBackendRequest) refuses filters other than
// RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, URLRewrite and ExtensionRef, filters on a
// backendRef, backendRefs other than core Services, query parameter matches unless Kong runs the expressions
// router, and backend request timeouts that differ between rules. Every denial below is one of those.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { audit } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { loadManifests } from '../../src/state/manifests.ts';
import { Store } from '../../src/state/store.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { keyOf, refKey } from '../../src/model/object.ts';
import { FIXTURES, yamlObjects } from '../helpers.ts';
import { makeCert } from '../rules/tls-certs.ts';

const DIR = join(FIXTURES, 'gateway-conformance');
const TESTS = join(DIR, 'tests');
const EXPRESSIONS: Policy = { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, kongRouterFlavor: 'expressions' } };

/** The fields KIC's webhook refuses, per file (indexes dropped), under traditional_compatible and under expressions. */
const UNSUPPORTED = 'unsupported-httproute-feature';
const DENIED: Record<string, { traditional: string[]; expressions: string[] }> = {
  // The CORS filter (experimental channel) is not among KIC 3.5's supported filters.
  'httproute-cors-allow-credentials-behavior.yaml': { traditional: [`${UNSUPPORTED} spec.rules[].filters[]`], expressions: [`${UNSUPPORTED} spec.rules[].filters[]`] },
  'httproute-invalid-backendref-unknown-kind.yaml': { traditional: [`${UNSUPPORTED} spec.rules[].backendRefs[]`], expressions: [`${UNSUPPORTED} spec.rules[].backendRefs[]`] },
  'httproute-query-param-matching.yaml': { traditional: [`${UNSUPPORTED} spec.rules[].matches[].queryParams`], expressions: [] },
  'httproute-request-header-modifier-backend-weights.yaml': { traditional: [`${UNSUPPORTED} spec.rules[].backendRefs[].filters`], expressions: [`${UNSUPPORTED} spec.rules[].backendRefs[].filters`] },
  'httproute-request-header-modifier-backend.yaml': { traditional: [`${UNSUPPORTED} spec.rules[].backendRefs[].filters`], expressions: [`${UNSUPPORTED} spec.rules[].backendRefs[].filters`] },
  'httproute-request-mirror.yaml': { traditional: [`${UNSUPPORTED} spec.rules[].filters[]`], expressions: [`${UNSUPPORTED} spec.rules[].filters[]`] },
  'httproute-request-multiple-mirrors.yaml': { traditional: [`${UNSUPPORTED} spec.rules[].filters[]`], expressions: [`${UNSUPPORTED} spec.rules[].filters[]`] },
  'httproute-request-percentage-mirror.yaml': { traditional: [`${UNSUPPORTED} spec.rules[].filters[]`], expressions: [`${UNSUPPORTED} spec.rules[].filters[]`] },
  // Rule 0 sets 500ms, rule 1 sets 0s: KIC needs one backend timeout per route.
  'httproute-timeout-backend-request.yaml': { traditional: [`${UNSUPPORTED} spec.rules[].timeouts.backendRequest`], expressions: [`${UNSUPPORTED} spec.rules[].timeouts.backendRequest`] },
};

const FILES = readdirSync(TESTS).filter((f) => f.endsWith('.yaml')).sort();

/**
 * The cluster every conformance test runs in: the suite's base manifests with the GatewayClass it is given (here one
 * of KIC's), and the TLS Secrets its set-up creates (conformance/utils/suite/suite.go, Setup), made here with real
 * self-signed certificates for the same names (the SPIFFE URI name left out).
 */
async function baseObjects(): Promise<K8sObject[]> {
  const base = yamlObjects(readFileSync(join(DIR, 'base-manifests.yaml'), 'utf8').replaceAll('{GATEWAY_CLASS_NAME}', 'kong'));
  const gatewayClass = yamlObjects('apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: kong}\nspec: {controllerName: konghq.com/kic-gateway-controller}\n');
  const secrets: [string, string, string[]][] = [
    ['gateway-conformance-web-backend', 'certificate', ['*']],
    ['gateway-conformance-infra', 'tls-validity-checks-certificate', ['*', '*.org']],
    ['gateway-conformance-infra', 'tls-passthrough-checks-certificate', ['abc.example.com']],
    ['gateway-conformance-app-backend', 'tls-passthrough-checks-certificate', ['abc.example.com']],
    ['gateway-conformance-infra', 'tls-checks-certificate', ['abc.example.com', 'other.example.com']],
  ];
  const tls = await Promise.all(
    secrets.map(async ([namespace, name, names]) => {
      const c = await makeCert({ names });
      return { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name, namespace }, stringData: { 'tls.crt': c.cert, 'tls.key': c.key } } as K8sObject;
    }),
  );
  return [...base, ...gatewayClass, ...tls];
}

const denials = (store: Store, policy: Policy, keys: Set<string>): string[] =>
  [...new Set(audit(store, policy).filter((f) => f.severity === 'deny' && keys.has(refKey(f.object))).map((f) => `${f.rule} ${(f.field ?? '').replace(/\[\d+\]/g, '[]')}`))].sort();

const base = await baseObjects();

test('the conformance suite is all here (77 manifests of Gateway API v1.4.1 conformance/tests) and its base cluster is denied nothing', () => {
  assert.equal(FILES.length, 77);
  const store = new Store(base);
  assert.deepEqual(denials(store, DEFAULT_POLICY, new Set(base.map(keyOf))), []);
});

for (const file of FILES) {
  test(`Gateway API conformance ${file}: denied only what KIC's own webhook refuses`, async () => {
    const loaded = await loadManifests([join(TESTS, file)]);
    assert.deepEqual(loaded.problems, []);
    const objects = loaded.objects.map((o) => o.object);
    const keys = new Set(objects.map(keyOf));
    const store = new Store([...base.filter((o) => !keys.has(keyOf(o))), ...objects]);
    assert.deepEqual(denials(store, DEFAULT_POLICY, keys), DENIED[file]?.traditional ?? [], 'traditional_compatible');
    assert.deepEqual(denials(store, EXPRESSIONS, keys), DENIED[file]?.expressions ?? [], 'expressions');
  });
}
