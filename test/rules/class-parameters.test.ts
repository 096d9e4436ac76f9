// IngressClassParameters: what KIC's own IngressClass's parameters change (legacy regex detection, service upstreams),
// and when KIC cannot follow the reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { K8sObject } from '../../src/model/object.ts';
import { CLASS_PARAMETER_RULES } from '../../src/rules/class-parameters.ts';
import { INGRESS_PATH_RULES } from '../../src/rules/ingress-paths.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import { ingressKongPaths } from '../../src/translate/route-fields.ts';
import { Translator } from '../../src/translate/translator.ts';
import { endpointTargets, kicFindPort } from '../../src/translate/upstream-targets.ts';
import { ingress, run, service, world } from './support.ts';

const PARAMS_REF = { apiGroup: 'configuration.konghq.com', kind: 'IngressClassParameters', scope: 'Namespace', namespace: 'kong', name: 'kong' };

/** The world, with KIC's IngressClass kong naming `parameters` and an IngressClassParameters kong/kong with `spec`. */
function withParameters(spec: Record<string, unknown> | undefined, parameters: Record<string, unknown> = PARAMS_REF): K8sObject[] {
  const objects = world().map((o) => (o.kind === 'IngressClass' && o.metadata.name === 'kong' ? { ...o, spec: { ...(o.spec as object), parameters } } : o));
  if (spec) objects.push({ apiVersion: 'configuration.konghq.com/v1alpha1', kind: 'IngressClassParameters', metadata: { name: 'kong', namespace: 'kong' }, spec });
  return objects;
}

test('ingressKongPaths with legacy regex detection: a path with characters outside Kong 2.x plain paths gets "~" (MaybePrependRegexPrefix)', () => {
  assert.deepEqual(ingressKongPaths('ImplementationSpecific', '/api/v[0-9]+', '/~', true), ['~/api/v[0-9]+']);
  assert.deepEqual(ingressKongPaths('ImplementationSpecific', '/api/v1.0_a-b~c%20', '/~', true), ['/api/v1.0_a-b~c%20']);
  // The regex one KIC already builds keeps its single "~"; the plain one of a Prefix path becomes a regex too.
  assert.deepEqual(ingressKongPaths('Prefix', '/c++', '/~', true), ['~/c++/', '~/c++$']);
  assert.deepEqual(ingressKongPaths('ImplementationSpecific', '/~/x(y)', '/~', true), ['~/x(y)']);
  assert.deepEqual(ingressKongPaths('ImplementationSpecific', '/api/v[0-9]+', '/~', false), ['/api/v[0-9]+']);
});

test("the translator applies KIC's IngressClass's enableLegacyRegexDetection to Ingress routes, and only when the reference resolves", () => {
  const ing = ingress('web', { paths: [{ path: '/api/v[0-9]+', pathType: 'ImplementationSpecific', host: 'a.example.com' }] });
  const paths = (objects: K8sObject[], flavor = DEFAULT_TRANSLATE_CONFIG.kongRouterFlavor) =>
    new Translator(new Store([...objects, ing]), { ...DEFAULT_TRANSLATE_CONFIG, kongRouterFlavor: flavor }).routesOf(ing).flatMap((r) => r.paths);
  assert.deepEqual(paths(withParameters({ enableLegacyRegexDetection: true })), ['~/api/v[0-9]+']);
  assert.deepEqual(paths(withParameters({ enableLegacyRegexDetection: false })), ['/api/v[0-9]+']);
  assert.deepEqual(paths(withParameters({ enableLegacyRegexDetection: true }, { ...PARAMS_REF, scope: 'Cluster', namespace: undefined })), ['/api/v[0-9]+']);
  assert.deepEqual(paths(withParameters(undefined)), ['/api/v[0-9]+']);
});

test('serviceUpstream: one target <service>.<namespace>.svc:<port> instead of the endpoints; so does ingress.kubernetes.io/service-upstream', () => {
  const slice: K8sObject = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'echo-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'echo' } },
    ports: [{ name: 'http', port: 8080 }],
    endpoints: [{ addresses: ['10.0.0.7'] }],
  } as K8sObject;
  const ing = ingress('web');
  const of = (objects: K8sObject[], svc: K8sObject) => endpointTargets(new Translator(new Store([...objects, slice, ing]), DEFAULT_TRANSLATE_CONFIG), svc, kicFindPort(svc, 80)!);
  const echo = service('echo');
  assert.deepEqual(of(withParameters({ serviceUpstream: true }), echo), ['echo.default.svc:80']);
  assert.deepEqual(of(withParameters({ serviceUpstream: false }), echo), ['10.0.0.7:8080']);
  const annotated = service('echo', { 'ingress.kubernetes.io/service-upstream': 'true' });
  assert.deepEqual(of(world().filter((o) => o.kind !== 'Service').concat(annotated), annotated), ['echo.default.svc:80']);
});

test('invalid-ingress-path judges paths the legacy heuristic makes regexes as regexes, and names the IngressClassParameters', () => {
  const objects = (path: string, spec: Record<string, unknown>) => [...withParameters(spec), ingress('web', { paths: [{ path, pathType: 'ImplementationSpecific', host: 'a.example.com' }] })];
  // Without the heuristic a regex-looking path lacks the prefix and matches literally; with it, it is a regex that compiles.
  assert.match(run(objects('/api/v[0-9]+', {}), INGRESS_PATH_RULES)[0]?.message ?? '', /lacks KIC's regex prefix/);
  assert.deepEqual(run(objects('/api/v[0-9]+', { enableLegacyRegexDetection: true }), INGRESS_PATH_RULES), []);
  // "/files/*" is a regex then: no "never matches" finding.
  assert.deepEqual(run(objects('/files/*', { enableLegacyRegexDetection: true }), INGRESS_PATH_RULES), []);
  const broken = run(objects('/api/v(1|2', { enableLegacyRegexDetection: true }), INGRESS_PATH_RULES);
  assert.equal(broken.length, 1);
  assert.match(broken[0]!.message, /legacy regex detection \(IngressClassParameters kong\/kong sets enableLegacyRegexDetection/);
  assert.match(broken[0]!.message, /PCRE2 cannot compile/);
  assert.deepEqual(broken[0]!.related.map((r) => r.kind), ['IngressClassParameters']);
  // Under the expressions router KIC does not apply the heuristic.
  assert.match(run(objects('/api/v[0-9]+', { enableLegacyRegexDetection: true }), INGRESS_PATH_RULES, { kongRouterFlavor: 'expressions' })[0]?.message ?? '', /lacks KIC's regex prefix/);
});

test('ingress-class-parameters-ignored: only for KIC\'s own IngressClass, for each reference KIC cannot follow', () => {
  const ids = (objects: K8sObject[]) => run(objects, CLASS_PARAMETER_RULES).map((f) => f.message);
  assert.deepEqual(ids(withParameters({ serviceUpstream: true })), []);
  assert.deepEqual(ids(world()), []);
  assert.match(ids(withParameters(undefined))[0] ?? '', /IngressClassParameters kong\/kong does not exist/);
  assert.match(ids(withParameters({}, { ...PARAMS_REF, apiGroup: 'example.com' }))[0] ?? '', /apiGroup is "example.com"/);
  assert.match(ids(withParameters({}, { ...PARAMS_REF, kind: 'Params' }))[0] ?? '', /kind is "Params"/);
  assert.match(ids(withParameters({}, { ...PARAMS_REF, scope: 'Cluster', namespace: undefined }))[0] ?? '', /namespaced/);
  // Another class's parameters are not KIC's business.
  const nginx = world().map((o) => (o.metadata.name === 'nginx' && o.kind === 'IngressClass' ? { ...o, spec: { ...(o.spec as object), parameters: { ...PARAMS_REF, apiGroup: 'k8s.nginx.org' } } } : o));
  assert.deepEqual(ids(nginx), []);
});
