// KongServiceFacade: Ingress backends that name one, with and without KIC's feature gate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dependencies } from '../../src/model/dependencies.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { BACKEND_RULES } from '../../src/rules/backends.ts';
import { FACADE_RULES } from '../../src/rules/service-facades.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { run, service, world } from './support.ts';

const GATE = { ...DEFAULT_TRANSLATE_CONFIG, kongServiceFacade: true };
const FACADE_GROUP = 'incubator.ingress-controller.konghq.com';

function facade(name: string, backendRef: Record<string, unknown>, annotations: Record<string, string> = { 'kubernetes.io/ingress.class': 'kong' }): K8sObject {
  return { apiVersion: `${FACADE_GROUP}/v1alpha1`, kind: 'KongServiceFacade', metadata: { name, namespace: 'default', annotations }, spec: { backendRef } };
}
function ingressTo(names: string[], annotations?: Record<string, string>): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: {
      ingressClassName: 'kong',
      rules: [{ host: '*.example.com', http: { paths: names.map((n, i) => ({ path: `/p${i}`, pathType: 'Prefix', backend: { resource: { apiGroup: FACADE_GROUP, kind: 'KongServiceFacade', name: n } } })) } }],
    },
  };
}
const plugin = (name: string): K8sObject => ({ apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name, namespace: 'default' }, plugin: 'rate-limiting', config: { minute: 1 } }) as K8sObject;

test('with the gate: one Kong service per facade, <ns>.<facade>.svc.facade, routes <ns>.<ingress>.<host>.<facade>.svc.facade; without it, nothing', () => {
  const objects = [...world(), facade('pub', { name: 'echo', port: 80 }), ingressTo(['pub'])];
  const ing = objects.at(-1)!;
  const on = new Translator(new Store(objects), GATE);
  assert.deepEqual(on.servicesOf(ing).map((s) => [s.name, s.host, s.backends.map((b) => `${b.service.name}:${b.port}`)]), [['default.pub.svc.facade', 'default.pub.svc.facade', ['echo:80']]]);
  assert.deepEqual(on.routesOf(ing).map((r) => r.name), ['default.web._.example.com.pub.svc.facade']);
  // The Service behind the facade is translated (and judged) as a backend.
  assert.deepEqual(on.kongServicesBackedBy(objects.find((o) => o.kind === 'Service')!).map((s) => s.name), ['default.pub.svc.facade']);
  const off = new Translator(new Store(objects), DEFAULT_TRANSLATE_CONFIG);
  assert.deepEqual(off.routesOf(ing), []);
});

test("plugins: a facade's konghq.com/plugins replaces its Service's on the facade's Kong service", () => {
  const objects = [
    ...world().filter((o) => o.kind !== 'Service'),
    service('echo', { 'konghq.com/plugins': 'svc-limit' }),
    plugin('svc-limit'),
    plugin('pub-limit'),
    facade('pub', { name: 'echo', port: 80 }, { 'kubernetes.io/ingress.class': 'kong', 'konghq.com/plugins': 'pub-limit' }),
    facade('internal', { name: 'echo', port: 80 }),
    ingressTo(['pub', 'internal']),
  ];
  const tr = new Translator(new Store(objects), GATE);
  const scopes = (name: string) => tr.instances(objects.find((o) => o.metadata.name === name)!).map((i) => i.scope.service);
  assert.deepEqual(scopes('pub-limit'), ['default.pub.svc.facade']);
  assert.deepEqual(scopes('svc-limit'), ['default.internal.svc.facade']);
});

test('unusable-backend-resource: gate off, not a facade, a missing facade, one of another class; missing-backend-service through a facade', () => {
  const rule = (objects: K8sObject[], config = GATE) => run(objects, FACADE_RULES, config).map((f) => f.message);
  assert.match(rule([...world(), facade('pub', { name: 'echo', port: 80 }), ingressTo(['pub'])], DEFAULT_TRANSLATE_CONFIG)[0] ?? '', /feature gate/);
  assert.deepEqual(rule([...world(), facade('pub', { name: 'echo', port: 80 }), ingressTo(['pub'])]), []);
  assert.match(rule([...world(), ingressTo(['gone'])])[0] ?? '', /KongServiceFacade default\/gone, which does not exist/);
  assert.match(rule([...world(), facade('pub', { name: 'echo', port: 80 }, { 'kubernetes.io/ingress.class': 'nginx' }), ingressTo(['pub'])])[0] ?? '', /not of KIC's class \(kubernetes.io\/ingress.class "nginx"\)/);
  const other = ingressTo(['x']);
  ((other.spec as { rules: { http: { paths: { backend: { resource: Record<string, string> } }[] } }[] }).rules[0]!.http.paths[0]!.backend.resource) = { apiGroup: 'example.com', kind: 'Bucket', name: 'x' };
  assert.match(rule([...world(), other])[0] ?? '', /example.com\/Bucket resource; KIC translates only KongServiceFacade/);
  const missing = run([...world(), facade('pub', { name: 'echo-v2', port: 80 }), ingressTo(['pub'])], BACKEND_RULES, GATE);
  assert.deepEqual(missing.map((f) => `${f.rule} ${f.field}`), ['missing-backend-service spec.rules[0].http.paths[0].backend.resource']);
});

test("dependencies: an Ingress rule's facade is in KIC's graph, its defaultBackend's is not; a facade depends on its plugins and policy (KIC's graph) and its Service (not)", () => {
  const ing = ingressTo(['pub']);
  (ing.spec as Record<string, unknown>).defaultBackend = { resource: { apiGroup: FACADE_GROUP, kind: 'KongServiceFacade', name: 'dflt' } };
  const edges = (o: K8sObject) => dependencies(o).filter((d) => d.ref.kind !== 'IngressClass').map((d) => `${d.ref.kind}:${d.ref.name} ${d.inKicGraph}`);
  assert.deepEqual(edges(ing), ['KongServiceFacade:dflt false', 'KongServiceFacade:pub true']);
  const f = facade('pub', { name: 'echo', port: 80 }, { 'konghq.com/plugins': 'p', 'konghq.com/upstream-policy': 'up' });
  assert.deepEqual(edges(f), ['KongPlugin:p true', 'KongClusterPlugin:p true', 'KongUpstreamPolicy:up true', 'Service:echo false']);
});
