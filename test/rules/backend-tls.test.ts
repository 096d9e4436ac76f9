// BackendTLSPolicy: when KIC takes a policy up, what it changes on the Service's Kong services, and the rule for the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dependencies } from '../../src/model/dependencies.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { BACKEND_TLS_RULES } from '../../src/rules/backend-tls.ts';
import { Store } from '../../src/state/store.ts';
import { appliedBackendTLSPolicy, withBackendTLSPolicies } from '../../src/translate/backend-tls.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { httpRoute, ingress, run, service, world } from './support.ts';

const ALPHA = { ...DEFAULT_TRANSLATE_CONFIG, gatewayAlpha: true };

function policy(name: string, validation: Record<string, unknown> = {}, target = 'echo', options?: Record<string, string>): K8sObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1alpha3',
    kind: 'BackendTLSPolicy',
    metadata: { name, namespace: 'default' },
    spec: { targetRefs: [{ group: '', kind: 'Service', name: target }], validation: { hostname: 'echo.internal', ...validation }, ...(options ? { options } : {}) },
  };
}
const route = () => httpRoute('api', { rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] });
const messages = (objects: K8sObject[], config = ALPHA) => run(objects, BACKEND_TLS_RULES, config).map((f) => f.message);

test('taken up: the Service gets https, tls-verify, the host header, its CA ConfigMaps and Secrets appended, tls-verify-depth', () => {
  const objects = [...world().filter((o) => o.kind !== 'Service'), service('echo', { 'konghq.com/ca-certificates-secrets': 'old' }), route(), policy('p', { caCertificateRefs: [{ group: '', kind: 'Secret', name: 'ca' }, { group: '', kind: 'ConfigMap', name: 'cm' }] }, 'echo', { 'tls-verify-depth': '3' })];
  const tr = new Translator(new Store(objects), ALPHA);
  const svc = objects.find((o) => o.kind === 'Service')!;
  assert.deepEqual(withBackendTLSPolicies(tr, [svc])[0]!.metadata.annotations, {
    'konghq.com/ca-certificates-secrets': 'old,ca',
    'konghq.com/ca-certificates-configmaps': 'cm',
    'konghq.com/tls-verify': 'true',
    'konghq.com/host-header': 'echo.internal',
    'konghq.com/protocol': 'https',
    'konghq.com/tls-verify-depth': '3',
  });
  // Without GatewayAlpha KIC never reads it.
  assert.equal(appliedBackendTLSPolicy(new Translator(new Store(objects), DEFAULT_TRANSLATE_CONFIG), svc), undefined);
  // Taken up through the HTTPRoute, it applies to an Ingress's Kong service of that Service too.
  const withIngress = new Translator(new Store([...objects, ingress('web')]), ALPHA);
  assert.ok(appliedBackendTLSPolicy(withIngress, svc));
});

test('backend-tls-policy-not-applied: each reason KIC keeps a policy out, only for Services KIC sends traffic to', () => {
  const base = [...world(), route()];
  assert.deepEqual(messages([...base, policy('p')]), []);
  assert.match(messages([...base, policy('p')], DEFAULT_TRANSLATE_CONFIG)[0] ?? '', /GatewayAlpha feature gate/);
  const two = messages([...base, policy('p'), policy('q')]);
  assert.equal(two.length, 2);
  assert.match(two[0]!, /targets Service echo too, and KIC accepts neither/);
  assert.match(messages([...base, policy('p', { subjectAltNames: [{ type: 'Hostname', hostname: 'x' }] })])[0] ?? '', /subjectAltNames/);
  assert.match(messages([...base, policy('p', { wellKnownCACertificates: 'System' })])[0] ?? '', /wellKnownCACertificates/);
  assert.match(messages([...base, policy('p', { caCertificateRefs: [{ group: 'example.com', kind: 'Bundle', name: 'b' }] })])[0] ?? '', /example.com\/Bundle/);
  // Only an Ingress uses the Service: KIC's controller finds no ancestor and never takes the policy up.
  assert.match(messages([...world(), ingress('web'), policy('p')])[0] ?? '', /no HTTPRoute of KIC's Gateways/);
  // A Service KIC does not send traffic to: not judged.
  assert.deepEqual(messages([...world(), policy('p')], DEFAULT_TRANSLATE_CONFIG), []);
});

test('dependencies: the targeted Services and the CA ConfigMaps and Secrets, none in KIC\'s graph', () => {
  const edges = dependencies(policy('p', { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'cm' }, { group: 'x', kind: 'Y', name: 'z' }] })).map((d) => `${d.ref.kind}:${d.ref.name} ${d.inKicGraph}`);
  assert.deepEqual(edges, ['Service:echo false', 'ConfigMap:cm false']);
});
