// Backend rules: what KIC and Kong do with a backend whose Service or port is missing
// (KIC 3.5 translate_upstreams.go getUpstreams, backendref.go, translate_utils.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingBackendService, missingServicePort } from '../../src/rules/backends.ts';
import { httpRoute, ingress, run, world } from './support.ts';

const RULES = [missingBackendService, missingServicePort];
const withoutEcho = () => world().filter((o) => !(o.kind === 'Service' && o.metadata.name === 'echo'));
const rule = (refs: { name: string; port: number }[]) => [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: refs }];

const CASES: { name: string; objects: () => ReturnType<typeof world>; rule: string; says: RegExp }[] = [
  { name: 'Ingress to a missing Service: the route stays, its upstream has no targets', objects: () => [...withoutEcho(), ingress('web')], rule: 'missing-backend-service', says: /keeps the route, whose upstream gets no targets: Kong answers 503 "failure to get a peer from the ring-balancer"/ },
  { name: 'HTTPRoute whose only backendRef is missing: request-termination 500', objects: () => [...withoutEcho(), httpRoute('api')], rule: 'missing-backend-service', says: /request-termination plugin and Kong answers 500 "no existing backendRef provided"/ },
  { name: 'HTTPRoute with another backendRef that exists: that one takes the requests', objects: () => [...world(), httpRoute('api', { rules: rule([{ name: 'echo', port: 80 }, { name: 'gone', port: 80 }]) })], rule: 'missing-backend-service', says: /skips the backendRef; the rule's other backends \(echo\) take its traffic/ },
  { name: 'Ingress to a port the Service lacks: 503, not 404', objects: () => [...world(), { ...ingress('web'), spec: { ingressClassName: 'kong', rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'echo', port: { number: 8080 } } } }] } }] } }], rule: 'missing-service-port', says: /keeps the route, but adds no targets for this Service to its upstream: Kong answers 503/ },
  { name: 'HTTPRoute with two backends, one on a wrong port: the other takes the requests', objects: () => [...world(), httpRoute('api', { rules: rule([{ name: 'echo', port: 80 }, { name: 'echo', port: 81 }]) })], rule: 'missing-service-port', says: /the rule's other backends take its traffic, and when none has ready endpoints Kong answers 503/ },
];

for (const c of CASES) {
  test(`${c.rule}: ${c.name}`, () => {
    const found = run(c.objects(), RULES);
    assert.deepEqual(found.map((f) => f.rule), [c.rule]);
    assert.match(found[0]!.message, c.says);
    assert.doesNotMatch(found[0]!.message, /404/);
  });
}

test('backends that exist on ports the Service has: nothing to say (the neighbours of the cases above)', () => {
  assert.deepEqual(run([...world(), ingress('web'), httpRoute('api', { rules: rule([{ name: 'echo', port: 80 }]) })], RULES), []);
});

test("missing-service-port finds ports as KIC's findPort does: an ExternalName Service by number, a port name by targetPort name", () => {
  // translate_upstreams.go findPort: PortModeByNumber builds the port of an ExternalName Service; PortModeByName also
  // matches a Service port whose targetPort is that name. KIC adds targets for both, so the rule says nothing.
  const ext = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'partner', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'api.partner.example.net' } };
  const named = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'named', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'web' }] } };
  const paths = [
    { path: '/a', pathType: 'Prefix', backend: { service: { name: 'partner', port: { number: 443 } } } },
    { path: '/b', pathType: 'Prefix', backend: { service: { name: 'named', port: { name: 'web' } } } },
  ];
  assert.deepEqual(run([...world(), ext, named, { ...ingress('web'), spec: { ingressClassName: 'kong', rules: [{ http: { paths } }] } }], RULES), []);
  // The neighbour: a name neither port nor targetPort carries.
  const wrong = [{ ...paths[1]!, backend: { service: { name: 'named', port: { name: 'grpc' } } } }];
  assert.deepEqual(run([...world(), named, { ...ingress('web'), spec: { ingressClassName: 'kong', rules: [{ http: { paths: wrong } }] } }], RULES).map((f) => f.rule), ['missing-service-port']);
});
