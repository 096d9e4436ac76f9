import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, refKey, type K8sObject } from '../../src/model/object.ts';
import { pluginRefs } from '../../src/model/views.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG, type TranslateConfig } from '../../src/translate/config.ts';
import { scopeKey, scopeKind, type PluginScope } from '../../src/translate/kong.ts';
import { Translator } from '../../src/translate/translator.ts';
import { ingressKongPaths } from '../../src/translate/route-fields.ts';
import {
  consumer,
  consumerGroup,
  gateway,
  gatewayClass,
  httpRoute,
  ingress,
  ingressClass,
  kongClusterPlugin,
  kongPlugin,
  referenceGrant,
  service,
  unclassedConsumer,
} from './builders.ts';

const tr = (objects: K8sObject[], config: TranslateConfig = DEFAULT_TRANSLATE_CONFIG) => new Translator(new Store(objects), config);
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;

// ---------------------------------------------------------------- ingressKongPaths

// KIC emits the plain path before the regex one (PathsFromIngressPaths); the order decides Kong's split part indexes, hence the parts' IDs.
const pathCases: { pathType: string; path: string; want: string[] }[] = [
  { pathType: 'Exact', path: '/foo', want: ['~/foo$'] },
  { pathType: 'Exact', path: '/', want: ['~/$'] },
  { pathType: 'Prefix', path: '/', want: ['/'] },
  { pathType: 'Prefix', path: '', want: ['/'] },
  { pathType: 'Prefix', path: '/foo', want: ['/foo/', '~/foo$'] },
  { pathType: 'Prefix', path: '/foo/', want: ['/foo/', '~/foo$'] },
  { pathType: 'Prefix', path: '/foo/bar', want: ['/foo/bar/', '~/foo/bar$'] },
  { pathType: 'ImplementationSpecific', path: '/echo', want: ['/echo'] },
  { pathType: 'ImplementationSpecific', path: '/echo/', want: ['/echo/'] },
  { pathType: 'ImplementationSpecific', path: '', want: ['/'] },
  { pathType: 'ImplementationSpecific', path: '/~/api/v[0-9]+$', want: ['~/api/v[0-9]+$'] },
];

for (const c of pathCases) {
  test(`ingressKongPaths: ${c.pathType} "${c.path}" -> ${c.want.join(' ')}`, () => {
    assert.deepEqual(ingressKongPaths(c.pathType, c.path), c.want);
  });
}

// ---------------------------------------------------------------- isManaged

interface ManagedCase {
  name: string;
  objects: K8sObject[];
  subject: K8sObject;
  want: boolean;
  config?: TranslateConfig;
}

const kongDefault = ingressClass('kong', { isDefault: true });
const kongPlain = ingressClass('kong');
const nginxDefault = ingressClass('nginx', { isDefault: true, controller: 'k8s.io/ingress-nginx' });
const paths = [{ path: '/', service: 'echo', port: 80 }];

const ingressCases: ManagedCase[] = [
  { name: 'spec class is ours', objects: [kongPlain], subject: ingress('i', { className: 'kong', paths }), want: true },
  { name: 'spec class is ours even without the IngressClass object', objects: [], subject: ingress('i', { className: 'kong', paths }), want: true },
  { name: 'spec class is another', objects: [kongDefault, nginxDefault], subject: ingress('i', { className: 'nginx', paths }), want: false },
  { name: 'annotation is ours', objects: [kongPlain], subject: ingress('i', { klass: 'kong', paths }), want: true },
  { name: 'annotation is another', objects: [kongDefault], subject: ingress('i', { klass: 'nginx', paths }), want: false },
  { name: 'no class, our IngressClass is the default', objects: [kongDefault], subject: ingress('i', { paths }), want: true },
  { name: 'no class, our IngressClass is not the default', objects: [kongPlain], subject: ingress('i', { paths }), want: false },
  { name: 'no class, another IngressClass is the default', objects: [kongPlain, nginxDefault], subject: ingress('i', { paths }), want: false },
  { name: 'no class and no IngressClass at all', objects: [], subject: ingress('i', { paths }), want: false },
  {
    name: 'a configured class name other than kong',
    objects: [ingressClass('internal')],
    subject: ingress('i', { className: 'internal', paths }),
    config: { ...DEFAULT_TRANSLATE_CONFIG, ingressClass: 'internal' },
    want: true,
  },
  {
    name: 'the default class "kong" is not ours when the configured class is another',
    objects: [kongDefault],
    subject: ingress('i', { className: 'kong', paths }),
    config: { ...DEFAULT_TRANSLATE_CONFIG, ingressClass: 'internal' },
    want: false,
  },
];

const annotatedKinds: [string, (o: { klass?: string }) => K8sObject][] = [
  ['KongConsumer', (o) => (o.klass === undefined ? unclassedConsumer('c', { username: 'c' }) : consumer('c', { username: 'c', klass: o.klass }))],
  ['KongClusterPlugin', (o) => kongClusterPlugin('cp', 'cors', o.klass === undefined ? {} : { klass: o.klass })],
  ['KongConsumerGroup', (o) => (o.klass === undefined ? { ...consumerGroup('g'), metadata: { name: 'g', namespace: 'default' } } : consumerGroup('g', { klass: o.klass }))],
];

const annotationCases: ManagedCase[] = annotatedKinds.flatMap(([kind, make]): ManagedCase[] => [
  { name: `${kind} annotated with our class`, objects: [kongPlain], subject: make({ klass: 'kong' }), want: true },
  { name: `${kind} annotated with another class`, objects: [kongDefault], subject: make({ klass: 'nginx' }), want: false },
  { name: `${kind} without class, ours is the default`, objects: [kongDefault], subject: make({}), want: true },
  { name: `${kind} without class, ours is not the default`, objects: [kongPlain], subject: make({}), want: false },
]);

const gatewayObjects = [
  gatewayClass('kong'),
  gatewayClass('other', { controllerName: 'example.com/other-controller' }),
  gateway('kong'),
  gateway('other-gw', { className: 'other' }),
  gateway('orphan-gw', { className: 'missing-class' }),
  gateway('infra-gw', { ns: 'infra' }),
];

const routeCases: ManagedCase[] = [
  { name: 'HTTPRoute on a Gateway of our controller', objects: gatewayObjects, subject: httpRoute('r', { parents: ['kong'] }), want: true },
  { name: 'HTTPRoute on a Gateway of another controller', objects: gatewayObjects, subject: httpRoute('r', { parents: ['other-gw'] }), want: false },
  { name: 'HTTPRoute on a missing Gateway', objects: gatewayObjects, subject: httpRoute('r', { parents: ['nope'] }), want: false },
  { name: 'HTTPRoute on a Gateway whose GatewayClass is missing', objects: gatewayObjects, subject: httpRoute('r', { parents: ['orphan-gw'] }), want: false },
  { name: 'HTTPRoute with one foreign and one of our parents', objects: gatewayObjects, subject: httpRoute('r', { parents: ['other-gw', 'kong'] }), want: true },
  { name: 'HTTPRoute on our Gateway in another namespace', objects: gatewayObjects, subject: httpRoute('r', { parents: [{ name: 'infra-gw', namespace: 'infra' }] }), want: true },
  { name: 'HTTPRoute whose parent is not a Gateway', objects: gatewayObjects, subject: httpRoute('r', { parents: [{ name: 'kong', kind: 'Service', group: '' }] }), want: false },
  { name: 'HTTPRoute with no parents', objects: gatewayObjects, subject: httpRoute('r', { parents: [] }), want: false },
  {
    name: 'HTTPRoute when the configured controller name differs',
    objects: gatewayObjects,
    subject: httpRoute('r', { parents: ['other-gw'] }),
    config: { ...DEFAULT_TRANSLATE_CONFIG, gatewayControllerName: 'example.com/other-controller' },
    want: true,
  },
  { name: 'Gateway of our controller', objects: gatewayObjects, subject: find(gatewayObjects, 'Gateway', 'kong'), want: true },
  { name: 'Gateway of another controller', objects: gatewayObjects, subject: find(gatewayObjects, 'Gateway', 'other-gw'), want: false },
  { name: 'KongPlugin is never class-filtered', objects: [], subject: kongPlugin('p', 'cors', { klass: 'nginx' }), want: true },
  { name: 'a Service that backs no managed route is not translated', objects: [], subject: service('s'), want: false },
  { name: 'a Service behind a managed Ingress is translated', objects: [kongPlain, ingress('uses-s', { className: 'kong', paths: [{ path: '/', pathType: 'Prefix', service: 's', port: 80 }] })], subject: service('s'), want: true },
];

for (const c of [...ingressCases, ...annotationCases, ...routeCases]) {
  test(`isManaged: ${c.name} -> ${c.want}`, () => {
    assert.equal(tr([...c.objects, c.subject], c.config).isManaged(c.subject), c.want);
  });
}

test(
  'isManaged: a non-empty kubernetes.io/ingress.class annotation wins over spec.ingressClassName, as in KIC',
  () => {
    assert.equal(tr([kongPlain]).isManaged(ingress('i', { klass: 'kong', className: 'other', paths })), true);
    assert.equal(tr([kongPlain]).isManaged(ingress('i', { klass: 'other', className: 'kong', paths })), false);
  },
);

test(
  'isManaged: an empty kubernetes.io/ingress.class annotation counts as no class, as in KIC',
  () => {
    const emptyAnnotation = { 'kubernetes.io/ingress.class': '' };
    assert.equal(tr([kongDefault]).isManaged(ingress('i', { annotations: emptyAnnotation, paths })), true);
    assert.equal(tr([kongDefault]).isManaged(consumer('c', { username: 'c', klass: '' })), true);
  },
);

// ---------------------------------------------------------------- resolve

const KONG = 'configuration.konghq.com';
const GW = 'gateway.networking.k8s.io';
const fromRoutes = (namespace = 'default') => ({ group: GW, kind: 'HTTPRoute', namespace });
const toPlugins = (name?: string) => (name ? { group: KONG, kind: 'KongPlugin', name } : { group: KONG, kind: 'KongPlugin' });

interface ResolveCase {
  name: string;
  objects: K8sObject[];
  referrer: K8sObject;
  /** Expected `Kind ns/name` of the resolved plugin, or the problem. */
  want: string;
}

const route = (plugins: string, ns = 'default') => httpRoute('r', { ns, plugins });
const resolveCases: ResolveCase[] = [
  { name: 'KongPlugin wins over a KongClusterPlugin of the same name', objects: [kongPlugin('p', 'cors'), kongClusterPlugin('p', 'cors', { klass: 'kong' })], referrer: route('p'), want: 'KongPlugin default/p' },
  { name: 'KongClusterPlugin used when there is no KongPlugin', objects: [kongClusterPlugin('p', 'cors', { klass: 'kong' })], referrer: route('p'), want: 'KongClusterPlugin /p' },
  { name: 'KongPlugin in another namespace does not count', objects: [kongPlugin('p', 'cors', { ns: 'other' })], referrer: route('p'), want: 'missing' },
  { name: 'KongClusterPlugin of another class does not count', objects: [kongClusterPlugin('p', 'cors', { klass: 'nginx' })], referrer: route('p'), want: 'missing' },
  { name: 'nothing of that name', objects: [], referrer: route('p'), want: 'missing' },
  { name: 'same-namespace ns:name needs no grant', objects: [kongPlugin('p', 'cors')], referrer: route('default:p'), want: 'KongPlugin default/p' },
  { name: 'remote reference without a grant', objects: [kongPlugin('p', 'cors', { ns: 'shared' })], referrer: route('shared:p'), want: 'not-granted' },
  {
    name: 'remote reference with a grant for all KongPlugins',
    objects: [kongPlugin('p', 'cors', { ns: 'shared' }), referenceGrant('g', { ns: 'shared', from: [fromRoutes()], to: [toPlugins()] })],
    referrer: route('shared:p'),
    want: 'KongPlugin shared/p',
  },
  {
    name: 'remote reference with a grant naming this plugin',
    objects: [kongPlugin('p', 'cors', { ns: 'shared' }), referenceGrant('g', { ns: 'shared', from: [fromRoutes()], to: [toPlugins('p')] })],
    referrer: route('shared:p'),
    want: 'KongPlugin shared/p',
  },
  {
    name: 'grant naming another plugin',
    objects: [kongPlugin('p', 'cors', { ns: 'shared' }), referenceGrant('g', { ns: 'shared', from: [fromRoutes()], to: [toPlugins('q')] })],
    referrer: route('shared:p'),
    want: 'not-granted',
  },
  {
    name: 'grant from another kind',
    objects: [kongPlugin('p', 'cors', { ns: 'shared' }), referenceGrant('g', { ns: 'shared', from: [{ group: 'networking.k8s.io', kind: 'Ingress', namespace: 'default' }], to: [toPlugins()] })],
    referrer: route('shared:p'),
    want: 'not-granted',
  },
  {
    name: 'grant from the right kind in the wrong group',
    objects: [kongPlugin('p', 'cors', { ns: 'shared' }), referenceGrant('g', { ns: 'shared', from: [{ group: '', kind: 'HTTPRoute', namespace: 'default' }], to: [toPlugins()] })],
    referrer: route('shared:p'),
    want: 'not-granted',
  },
  {
    name: 'grant from another namespace',
    objects: [kongPlugin('p', 'cors', { ns: 'shared' }), referenceGrant('g', { ns: 'shared', from: [fromRoutes('team-b')], to: [toPlugins()] })],
    referrer: route('shared:p'),
    want: 'not-granted',
  },
  {
    name: 'grant to KongClusterPlugin instead of KongPlugin',
    objects: [kongPlugin('p', 'cors', { ns: 'shared' }), referenceGrant('g', { ns: 'shared', from: [fromRoutes()], to: [{ group: KONG, kind: 'KongClusterPlugin' }] })],
    referrer: route('shared:p'),
    want: 'not-granted',
  },
  {
    name: 'grant living in the referrer namespace instead of the target',
    objects: [kongPlugin('p', 'cors', { ns: 'shared' }), referenceGrant('g', { ns: 'default', from: [fromRoutes()], to: [toPlugins()] })],
    referrer: route('shared:p'),
    want: 'not-granted',
  },
  {
    name: 'granted, but the plugin does not exist',
    objects: [referenceGrant('g', { ns: 'shared', from: [fromRoutes()], to: [toPlugins()] })],
    referrer: route('shared:p'),
    want: 'missing',
  },
  {
    name: 'granted remote reference falls back to a KongClusterPlugin',
    objects: [kongClusterPlugin('p', 'cors', { klass: 'kong' }), referenceGrant('g', { ns: 'shared', from: [fromRoutes()], to: [toPlugins()] })],
    referrer: route('shared:p'),
    want: 'KongClusterPlugin /p',
  },
  {
    name: 'a core Service referrer is granted with group ""',
    objects: [kongPlugin('p', 'cors', { ns: 'shared' }), referenceGrant('g', { ns: 'shared', from: [{ group: '', kind: 'Service', namespace: 'default' }], to: [toPlugins()] })],
    referrer: service('s', { plugins: 'shared:p' }),
    want: 'KongPlugin shared/p',
  },
];

for (const c of resolveCases) {
  test(`resolve: ${c.name}`, () => {
    const t = tr([...c.objects, c.referrer]);
    const [ref] = pluginRefs(c.referrer);
    const r = t.resolve(c.referrer, ref!);
    const got = r.plugin ? `${r.plugin.kind} ${r.plugin.metadata.namespace ?? ''}/${r.plugin.metadata.name}` : r.problem;
    assert.equal(got, c.want);
    assert.deepEqual(r.ref, ref);
  });
}

test('referrersOf returns only referrers whose annotation resolves to that very object', () => {
  const objects = [
    kongPlugin('p', 'cors'),
    kongClusterPlugin('p', 'cors', { klass: 'kong' }),
    httpRoute('in-default', { plugins: 'p' }),
    httpRoute('in-team', { ns: 'team', plugins: 'p' }),
  ];
  const t = tr(objects);
  assert.deepEqual(t.referrersOf(objects[0]!).map(keyOf), [keyOf(objects[2]!)]);
  assert.deepEqual(t.referrersOf(objects[1]!).map(keyOf), [keyOf(objects[3]!)]);
});

// ---------------------------------------------------------------- instances (KIC GetCombinations)

const ROUTE = 'httproute.default.r.0.0';
const SERVICE = 'httproute.default.r.0';

function instanceWorld(opts: { route?: boolean; service?: boolean; consumers?: K8sObject[]; groups?: K8sObject[] }): K8sObject[] {
  return [
    ingressClass('kong'),
    gatewayClass('kong'),
    gateway('kong'),
    service('echo', opts.service ? { plugins: 'p' } : {}),
    httpRoute('r', { rules: [{ matches: [{ path: '/r' }], backends: [{ name: 'echo', port: 80 }] }], ...(opts.route ? { plugins: 'p' } : {}) }),
    kongPlugin('p', 'rate-limiting'),
    ...(opts.consumers ?? []),
    ...(opts.groups ?? []),
  ];
}

const bob = consumer('bob', { username: 'bob', plugins: 'p' });
const alice = consumer('alice', { username: 'alice', plugins: 'p' });
const gold = consumerGroup('gold', { plugins: 'p' });

interface InstanceCase {
  name: string;
  objects: K8sObject[];
  plugin?: (objects: K8sObject[]) => K8sObject;
  want: PluginScope[];
  /** Expected placedBy names per instance, in the order of `want` sorted by scope key. */
  placedBy?: string[][];
}

const instanceCases: InstanceCase[] = [
  { name: 'route only', objects: instanceWorld({ route: true }), want: [{ route: ROUTE }], placedBy: [['r']] },
  { name: 'service only', objects: instanceWorld({ service: true }), want: [{ service: SERVICE }], placedBy: [['echo']] },
  { name: 'route and service: one per service and one per route', objects: instanceWorld({ route: true, service: true }), want: [{ service: SERVICE }, { route: ROUTE }] },
  { name: 'consumer only', objects: instanceWorld({ consumers: [bob] }), want: [{ consumer: 'bob' }], placedBy: [['bob']] },
  { name: 'consumer and route: only the consumer x route instance', objects: instanceWorld({ route: true, consumers: [bob] }), want: [{ route: ROUTE, consumer: 'bob' }], placedBy: [['r', 'bob']] },
  {
    name: 'consumer, service and route: consumer x service and consumer x route',
    objects: instanceWorld({ route: true, service: true, consumers: [bob] }),
    want: [{ service: SERVICE, consumer: 'bob' }, { route: ROUTE, consumer: 'bob' }],
  },
  {
    name: 'two consumers and a route: one per consumer on the route',
    objects: instanceWorld({ route: true, consumers: [bob, alice] }),
    want: [{ route: ROUTE, consumer: 'bob' }, { route: ROUTE, consumer: 'alice' }],
  },
  { name: 'consumer group only', objects: instanceWorld({ groups: [gold] }), want: [{ consumerGroup: 'gold' }], placedBy: [['gold']] },
  { name: 'consumer group and route', objects: instanceWorld({ route: true, groups: [gold] }), want: [{ route: ROUTE, consumerGroup: 'gold' }] },
  { name: 'consumer and consumer group: the group is dropped', objects: instanceWorld({ consumers: [bob], groups: [gold] }), want: [{ consumer: 'bob' }] },
  { name: 'consumer, group and route: the group is dropped', objects: instanceWorld({ route: true, consumers: [bob], groups: [gold] }), want: [{ route: ROUTE, consumer: 'bob' }] },
  {
    name: 'a consumer of another class does not count',
    objects: instanceWorld({ route: true, consumers: [consumer('bob', { username: 'bob', plugins: 'p', klass: 'nginx' })] }),
    want: [{ route: ROUTE }],
  },
  { name: 'a consumer without username is identified by custom_id', objects: instanceWorld({ consumers: [consumer('c', { customId: 'cid-7', plugins: 'p' })] }), want: [{ consumer: 'cid-7' }] },
  { name: 'no referrers: no instance', objects: instanceWorld({}), want: [] },
  { name: 'a route on no Gateway of ours does not count', objects: [...instanceWorld({}), httpRoute('lost', { parents: ['nope'], plugins: 'p' })], want: [] },
  {
    name: 'global KongClusterPlugin: one unscoped instance',
    objects: [ingressClass('kong', { isDefault: true }), kongClusterPlugin('g', 'prometheus', { global: true })],
    plugin: (o) => find(o, 'KongClusterPlugin', 'g'),
    want: [{}],
    placedBy: [[]],
  },
  {
    name: 'global KongClusterPlugin of another class: none',
    objects: [ingressClass('kong', { isDefault: true }), kongClusterPlugin('g', 'prometheus', { global: true, klass: 'nginx' })],
    plugin: (o) => find(o, 'KongClusterPlugin', 'g'),
    want: [],
  },
  {
    name: 'global KongClusterPlugin also referenced by a route: global and route instances',
    objects: [...instanceWorld({}).filter((o) => o.kind !== 'HTTPRoute'), httpRoute('r', { plugins: 'g', rules: [{ matches: [{ path: '/r' }], backends: [{ name: 'echo', port: 80 }] }] }), kongClusterPlugin('g', 'prometheus', { global: true, klass: 'kong' })],
    plugin: (o) => find(o, 'KongClusterPlugin', 'g'),
    want: [{}, { route: ROUTE }],
  },
  {
    name: 'an Ingress route is named after the Ingress',
    objects: [ingressClass('kong', { isDefault: true }), service('echo'), kongPlugin('p', 'rate-limiting'), ingress('web', { plugins: 'p', paths: [{ path: '/w', service: 'echo', port: 80 }] })],
    want: [{ route: 'default.web.echo..80' }],
  },
];

for (const c of instanceCases) {
  test(`instances: ${c.name}`, () => {
    const t = tr(c.objects);
    const plugin = c.plugin ? c.plugin(c.objects) : find(c.objects, 'KongPlugin', 'p');
    const got = t.instances(plugin);
    assert.deepEqual(got.map((i) => scopeKey(i.scope)).sort(), c.want.map(scopeKey).sort());
    for (const i of got) {
      assert.equal(i.name, plugin.kind === 'KongPlugin' ? 'rate-limiting' : 'prometheus');
      assert.equal(refKey(i.plugin), keyOf(plugin));
      assert.deepEqual(i.sources[0], i.plugin);
      assert.deepEqual(i.sources.slice(1), i.placedBy);
    }
    if (c.placedBy) {
      const byScope = [...got].sort((a, b) => scopeKey(a.scope).localeCompare(scopeKey(b.scope)));
      assert.deepEqual(byScope.map((i) => i.placedBy.map((p) => p.name)), c.placedBy);
    }
  });
}

test('scopeKind names the scope in Kong terms', () => {
  const cases: [PluginScope, string][] = [
    [{}, 'global'],
    [{ route: 'r' }, 'route'],
    [{ service: 's' }, 'service'],
    [{ consumer: 'c' }, 'consumer'],
    [{ route: 'r', consumer: 'c' }, 'consumer and route'],
    [{ service: 's', consumerGroup: 'g' }, 'consumer group and service'],
  ];
  for (const [scope, want] of cases) assert.equal(scopeKind(scope), want);
});

// ---------------------------------------------------------------- defaultBackendHolder

interface HolderCase {
  name: string;
  objects: K8sObject[];
  want: string | undefined;
}

const withDb = (name: string, created: number, extra: { className?: string } = { className: 'kong' }) =>
  ingress(name, { ...extra, created, defaultBackend: { service: 'fallback', port: 80 } });

const holderCases: HolderCase[] = [
  { name: 'none', objects: [kongDefault, ingress('web', { className: 'kong', paths })], want: undefined },
  { name: 'single', objects: [kongDefault, withDb('fb', 10)], want: 'fb' },
  { name: 'the oldest by creation time, not by arrival', objects: [kongDefault, withDb('newer', 20), withDb('older', 10)], want: 'older' },
  { name: 'equal times: the first to arrive', objects: [kongDefault, withDb('first', 10), withDb('second', 10)], want: 'first' },
  { name: 'an older Ingress of another class is ignored', objects: [kongDefault, withDb('nginx-fb', 1, { className: 'nginx' }), withDb('ours', 10)], want: 'ours' },
  { name: 'class-less Ingresses count when our class is the default', objects: [kongDefault, withDb('classless', 1, {}), withDb('ours', 10)], want: 'classless' },
  { name: 'class-less Ingresses do not count otherwise', objects: [kongPlain, withDb('classless', 1, {}), withDb('ours', 10)], want: 'ours' },
];

for (const c of holderCases) {
  test(`defaultBackendHolder: ${c.name}`, () => {
    const t = tr(c.objects);
    assert.equal(t.defaultBackendHolder()?.metadata.name, c.want);
  });
}

test('only the default backend holder gets the <ns>.<ingress> fallback route', () => {
  const objects = [kongDefault, withDb('older', 10), withDb('newer', 20)];
  const t = tr(objects);
  assert.deepEqual(t.ingress(find(objects, 'Ingress', 'older')).routes, [
    // translate_ingress.go translateIngressDefaultBackendRoute
    {
      id: '709b7d85-0af9-58ec-8512-b69a5ebcd96a',
      name: 'default.older',
      service: 'default.fallback.80',
      hosts: [],
      paths: ['/'],
      methods: [],
      strip_path: false,
      preserve_host: true,
      regex_priority: 0,
      request_buffering: true,
      response_buffering: true,
      field: 'spec.defaultBackend',
      sources: [{ group: 'networking.k8s.io', kind: 'Ingress', namespace: 'default', name: 'older' }],
    },
  ]);
  assert.deepEqual(t.ingress(find(objects, 'Ingress', 'newer')), { services: [], routes: [] });
});

// ---------------------------------------------------------------- Kong naming

test('Ingress: Kong services <ns>.<svc>.<port> and routes <ns>.<ingress>.<svc>.<host>.<port>, the host empty when the rule has none (KIC intoKongRouteName)', () => {
  const web = ingress('web', {
    ns: 'shop',
    className: 'kong',
    paths: [
      { host: 'a.example.com', path: '/a', pathType: 'Prefix', service: 'echo', port: 80 },
      { host: 'a.example.com', path: '/b', pathType: 'Exact', service: 'echo', port: 80 },
      { path: '/c', pathType: 'ImplementationSpecific', service: 'echo', port: 'http' },
      { path: '/d', pathType: 'Prefix', service: 'other' },
    ],
  });
  const t = tr([kongPlain, web]);
  const out = t.ingress(web);
  assert.deepEqual(
    out.services.map((s) => [s.name, s.host, s.backends.map((b) => `${b.service.namespace}/${b.service.name}:${b.port ?? '-'}`)]),
    [
      ['shop.echo.80', 'echo.shop.80.svc', ['shop/echo:80']],
      ['shop.echo.http', 'echo.shop.http.svc', ['shop/echo:http']],
      ['shop.other.implicitPort', 'other.shop.implicitPort.svc', ['shop/other:-']],
    ],
  );
  assert.deepEqual(
    out.routes.map((r) => [r.name, r.service, r.hosts, r.paths, r.field]),
    [
      ['shop.web.echo.a.example.com.80', 'shop.echo.80', ['a.example.com'], ['/a/', '~/a$', '~/b$'], 'spec.rules[0].http.paths[0]'],
      ['shop.web.echo..http', 'shop.echo.http', [], ['/c'], 'spec.rules[1].http.paths[0]'],
      ['shop.web.other..implicitPort', 'shop.other.implicitPort', [], ['/d/', '~/d$'], 'spec.rules[1].http.paths[1]'],
    ],
  );
});

test('Ingress: an Ingress that is not ours translates to nothing', () => {
  const web = ingress('web', { className: 'nginx', paths });
  assert.deepEqual(tr([kongDefault, web]).ingress(web), { services: [], routes: [] });
});

test(
  'Ingress: a wildcard host is written with "_" for "*" in the route name, as KIC does',
  () => {
    const web = ingress('web', { className: 'kong', paths: [{ host: '*.example.com', path: '/', service: 'echo', port: 80 }] });
    assert.deepEqual(tr([kongPlain, web]).ingress(web).routes.map((r) => r.name), ['default.web.echo._.example.com.80']);
  },
);

test('HTTPRoute: services httproute.<ns>.<name>.<first rule> grouped by identical backends; same-key matches of one service merged into one route named by the first (subtranslator/httproute.go)', () => {
  const r = httpRoute('r', {
    ns: 'shop',
    hostnames: ['shop.example.com'],
    rules: [
      { matches: [{ path: '/a' }, { path: '/b', type: 'Exact', method: 'GET' }], backends: [{ name: 'echo', port: 80 }] },
      { matches: [{ path: '/c' }], backends: [{ name: 'other', port: 8080, weight: 3 }] },
      { matches: [{ path: '/d', type: 'RegularExpression' }], backends: [{ name: 'echo', port: 80 }] },
      { backends: [{ name: 'echo', port: 80 }, { name: 'other', port: 8080 }] },
    ],
  });
  const out = tr([gatewayClass('kong'), gateway('kong', { ns: 'shop' }), r]).httpRoute(r);
  assert.deepEqual(
    out.services.map((s) => [s.name, s.backends.map((b) => `${b.service.name}:${b.port}x${b.weight}`)]),
    [
      ['httproute.shop.r.0', ['echo:80x1']],
      ['httproute.shop.r.1', ['other:8080x3']],
      ['httproute.shop.r.3', ['echo:80x1', 'other:8080x1']],
    ],
  );
  assert.deepEqual(
    out.routes.map((x) => [x.name, x.service, x.paths, x.methods, x.hosts, x.field]),
    [
      // rule 2 shares rule 0's backends and (no) filters, and its match the key of match 0.0 (no method, no headers)
      ['httproute.shop.r.0.0', 'httproute.shop.r.0', ['~/a$', '/a/', '~/d'], [], ['shop.example.com'], 'spec.rules[0].matches[0]'],
      ['httproute.shop.r.0.1', 'httproute.shop.r.0', ['~/b$'], ['GET'], ['shop.example.com'], 'spec.rules[0].matches[1]'],
      ['httproute.shop.r.1.0', 'httproute.shop.r.1', ['~/c$', '/c/'], [], ['shop.example.com'], 'spec.rules[1].matches[0]'],
      ['httproute.shop.r.3.0', 'httproute.shop.r.3', ['~/$', '/'], [], ['shop.example.com'], 'spec.rules[3].matches[0]'],
    ],
  );
});

test('HTTPRoute: a route that is not attached to our Gateway translates to nothing', () => {
  const r = httpRoute('r', { parents: ['nope'] });
  assert.deepEqual(tr([gatewayClass('kong'), gateway('kong'), r]).httpRoute(r), { services: [], routes: [] });
});

test('kongServicesBackedBy: the Kong services of managed routes that use the Service', () => {
  const objects = [
    ingressClass('kong', { isDefault: true }),
    gatewayClass('kong'),
    gateway('kong'),
    service('echo'),
    httpRoute('r', { rules: [{ matches: [{ path: '/r' }], backends: [{ name: 'echo', port: 80 }] }] }),
    ingress('web', { paths: [{ path: '/w', service: 'echo', port: 80 }] }),
    ingress('foreign', { className: 'nginx', paths: [{ path: '/f', service: 'echo', port: 8080 }] }),
  ];
  const names = tr(objects).kongServicesBackedBy(find(objects, 'Service', 'echo')).map((s) => s.name).sort();
  assert.deepEqual(names, ['default.echo.80', 'httproute.default.r.0']);
});
