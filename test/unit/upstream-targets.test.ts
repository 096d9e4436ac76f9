// The targets of a Kong service's upstream (translate/upstream-targets.ts), case by case where `translate --output
// json` and `trace` used to list other targets than `translate --output deck` (their own endpoint walk: every address,
// terminating endpoints dropped, a one-port EndpointSlice taken whatever its name, no protocol check, the backend's
// weight on every target). Each case names the KIC 3.5 code (internal/dataplane/translator/translate_upstreams.go)
// that decides it; `was` is what the old walk listed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { K8sObject, ObjectRef } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import type { KongService, KongServiceBackend, KongTarget } from '../../src/translate/kong.ts';
import { Translator } from '../../src/translate/translator.ts';
import { endpointTargets, kicFindPort, upstreamTargets } from '../../src/translate/upstream-targets.ts';

const svc = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): K8sObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'ns', ...(annotations ? { annotations } : {}) },
  spec,
});
const slice = (name: string, service: string, ports: Record<string, unknown>[], endpoints: Record<string, unknown>[]): K8sObject =>
  ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name, namespace: 'ns', labels: { 'kubernetes.io/service-name': service } }, ports, endpoints }) as K8sObject;
const ready = (...addresses: string[]) => ({ addresses, conditions: { ready: true } });

const STATE: K8sObject[] = [
  // Two ports: no implicit port. The backend names `web`, the targetPort of `http`.
  svc('web', { ports: [{ name: 'http', port: 80, targetPort: 'web' }, { name: 'admin', port: 9000 }] }),
  slice('web-1', 'web', [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'admin', port: 9001, protocol: 'TCP' }], [
    ready('10.0.0.1', '10.0.0.9'),
    { addresses: ['10.0.0.2'], conditions: { ready: false, terminating: true } },
    { addresses: ['10.0.0.3'], conditions: { ready: true, terminating: true } },
    { addresses: ['10.0.0.4'] },
    { addresses: ['10.0.0.5'], conditions: { ready: false } },
  ]),
  slice('web-2', 'web', [{ name: 'http', port: 8080, protocol: 'TCP' }], [ready('fd00::1'), ready('::ffff:10.0.0.6'), ready('10.0.0.1')]),
  // One unnamed Service port; its only EndpointSlice port has another name.
  svc('lone', { ports: [{ port: 80 }] }),
  slice('lone-1', 'lone', [{ name: 'other', port: 7070 }], [ready('10.1.0.1')]),
  // A TCP Service whose EndpointSlice port says UDP.
  svc('tcp', { ports: [{ name: 'dns', port: 53, protocol: 'TCP' }] }),
  slice('tcp-1', 'tcp', [{ name: 'dns', port: 53, protocol: 'UDP' }], [ready('10.2.0.1')]),
  svc('ext', { type: 'ExternalName', externalName: 'api.example.com' }),
  // Two Services with one selector: the same endpoints.
  svc('a', { ports: [{ name: 'http', port: 80 }] }),
  slice('a-1', 'a', [{ name: 'http', port: 8080 }], [ready('10.3.0.1'), ready('10.3.0.2')]),
  svc('b', { ports: [{ name: 'http', port: 80 }] }),
  slice('b-1', 'b', [{ name: 'http', port: 8080 }], [ready('10.3.0.2')]),
];

/** web's targets, in deckgen's (descending) order: an IPv4-mapped IPv6 address is IPv4 to Go's To4, so unbracketed. */
const WEB_TARGETS = ['[fd00::1]:8080', '::ffff:10.0.0.6:8080', '10.0.0.4:8080', '10.0.0.3:8080', '10.0.0.1:8080'].map((target) => ({ target }));

const INGRESS: ObjectRef = { group: 'networking.k8s.io', kind: 'Ingress', namespace: 'ns', name: 'ing' };
const HTTPROUTE: ObjectRef = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'ns', name: 'route' };
const backend = (name: string, port: number | string | undefined, weight = 1): KongServiceBackend => ({
  service: { group: '', kind: 'Service', namespace: 'ns', name },
  ...(port === undefined ? {} : { port }),
  weight,
});

interface Case {
  name: string;
  kic: string;
  source: ObjectRef;
  backends: KongServiceBackend[];
  want: KongTarget[];
  /** What the old walk listed (for the record). */
  was: string[];
}

const CASES: Case[] = [
  {
    name: 'the first address of each ready endpoint; ready and terminating kept; not ready (terminating or not) skipped; ready unset kept',
    kic: 'getEndpoints: endpoint.Addresses[0]; !isReady skips unless terminating with --enable-drain-support (off)',
    source: INGRESS,
    backends: [backend('web', 80)],
    want: WEB_TARGETS,
    was: ['10.0.0.1:8080', '10.0.0.9:8080', '10.0.0.4:8080', 'fd00::1:8080', '::ffff:10.0.0.6:8080', '10.0.0.1:8080'],
  },
  {
    name: 'a backend port name matches a Service port whose targetPort has that name',
    kic: 'findPort PortModeByName: port.Name, or a string TargetPort equal to the name',
    source: INGRESS,
    backends: [backend('web', 'web')],
    want: WEB_TARGETS,
    was: [],
  },
  {
    name: 'no backend port: only a Service with exactly one port has an implicit one',
    kic: 'findPort PortModeImplicit: "service must have exactly 1 port"',
    source: INGRESS,
    backends: [backend('web', undefined)],
    want: [],
    was: ['10.0.0.1:8080', '10.0.0.9:8080', '10.0.0.4:8080', 'fd00::1:8080', '::ffff:10.0.0.6:8080', '10.0.0.1:8080'],
  },
  {
    name: "the EndpointSlice port must carry the Service port's name, even when it is the slice's only port",
    kic: 'getEndpoints: *p.Name != port.Name skips the EndpointSlice port',
    source: INGRESS,
    backends: [backend('lone', 80)],
    want: [],
    was: ['10.1.0.1:7070'],
  },
  {
    name: "an EndpointSlice port of a protocol none of the Service's ports uses gives nothing",
    kic: 'getServiceEndpoints listProtocols (TCP and the ports\' protocols), getEndpoints: *p.Protocol != proto skips',
    source: INGRESS,
    backends: [backend('tcp', 53)],
    want: [],
    was: ['10.2.0.1:53'],
  },
  {
    name: 'an ExternalName Service: its external name and the port number asked for',
    kic: 'findPort PortModeByNumber builds the port of an ExternalName Service; getEndpoints returns Spec.ExternalName:TargetPort',
    source: INGRESS,
    backends: [backend('ext', 443)],
    want: [{ target: 'api.example.com:443' }],
    was: [],
  },
  {
    name: 'an ExternalName Service named by port name: no target',
    kic: 'findPort: "rules with an ExternalName service must specify numeric ports"',
    source: INGRESS,
    backends: [backend('ext', 'https')],
    want: [],
    was: [],
  },
  {
    name: "a Gateway API backendRef's weight shared among its targets; a target two backends share gets the sum",
    kic: 'getUpstreams: weight / targets (at least 1), then updateTargetMap sums the weights of one target',
    source: HTTPROUTE,
    backends: [backend('a', 80, 30), backend('b', 80, 10)],
    want: [{ target: '10.3.0.2:8080', weight: 25 }, { target: '10.3.0.1:8080', weight: 15 }],
    was: ['10.3.0.1:8080 weight 30', '10.3.0.2:8080 weight 30', '10.3.0.2:8080 weight 10'],
  },
  {
    name: 'a weight smaller than the number of targets gives each 1; weight 0 gives each 0',
    kic: 'getUpstreams: targetWeight 0 becomes 1 unless the backend weight is 0',
    source: HTTPROUTE,
    backends: [backend('a', 80, 1), backend('web', 80, 0)],
    want: [...WEB_TARGETS.slice(0, 2), { target: '10.3.0.2:8080' }, { target: '10.3.0.1:8080' }, ...WEB_TARGETS.slice(2)].map((t) => ({ ...t, weight: t.target.startsWith('10.3.') ? 1 : 0 })),
    was: [],
  },
  {
    name: 'Ingress backends carry no weight (Kong gives 100); one target reached twice counts 100 + 100',
    kic: 'getUpstreams: backend.Weight() unset for Ingress; updateTargetMap targetWeightOrDefault',
    source: INGRESS,
    backends: [backend('a', 80), backend('b', 80)],
    want: [{ target: '10.3.0.2:8080', weight: 200 }, { target: '10.3.0.1:8080' }],
    was: ['10.3.0.1:8080 weight 1', '10.3.0.2:8080 weight 1', '10.3.0.2:8080 weight 1'],
  },
];

for (const c of CASES) {
  test(`upstreamTargets: ${c.name} (${c.kic})`, () => {
    const tr = new Translator(new Store(STATE), DEFAULT_TRANSLATE_CONFIG);
    const service: KongService = { name: 'k', host: 'k', backends: c.backends, sources: [c.source] };
    assert.deepEqual(upstreamTargets(tr, service), c.want);
  });
}

test('getEndpoints: an unannotated Service gives its endpoints; the service-upstream annotation its DNS name and Service port', () => {
  const up = svc('up', { ports: [{ port: 81, targetPort: 8081 }] }, { 'ingress.kubernetes.io/service-upstream': 'true' });
  const tr = new Translator(new Store([...STATE, up, slice('up-1', 'up', [{ port: 8081 }], [ready('10.4.0.1')])]), DEFAULT_TRANSLATE_CONFIG);
  assert.deepEqual(endpointTargets(tr, up, kicFindPort(up, undefined)!), ['up.ns.svc:81']);
  const plain = { ...up, metadata: { name: 'up', namespace: 'ns' } };
  assert.deepEqual(endpointTargets(tr, plain, kicFindPort(plain, 81)!), ['10.4.0.1:8081']);
});
