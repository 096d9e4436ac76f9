import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { K8sObject } from '../../src/model/object.ts';
import { consumerView, httpRouteView, ingressView, pluginRefs, pluginSecretRefs, type PluginRef } from '../../src/model/views.ts';
import { consumer, httpRoute, ingress, kongClusterPlugin, kongPlugin, service } from './builders.ts';

// ---------------------------------------------------------------- pluginRefs

const local = (name: string, namespace = 'default'): PluginRef => ({ namespace, name, remote: false });
const remote = (namespace: string, name: string): PluginRef => ({ namespace, name, remote: true });

const pluginRefCases: { name: string; value: string | undefined; ns?: string; want: PluginRef[] }[] = [
  { name: 'no annotation', value: undefined, want: [] },
  { name: 'empty annotation', value: '', want: [] },
  { name: 'single name', value: 'key-auth', want: [local('key-auth')] },
  { name: 'comma separated, order kept', value: 'a,b,c', want: [local('a'), local('b'), local('c')] },
  { name: 'spaces around entries are trimmed', value: '  a , b  ,c ', want: [local('a'), local('b'), local('c')] },
  { name: 'empty entries are skipped', value: ',a,, ,b,', want: [local('a'), local('b')] },
  { name: 'only commas and blanks', value: ' , ,, ', want: [] },
  { name: 'ns:name in another namespace is remote', value: 'other:rl', want: [remote('other', 'rl')] },
  { name: 'ns:name naming the own namespace is not remote', value: 'default:rl', want: [local('rl')] },
  { name: 'own-namespace check follows the referrer namespace', value: 'team-a:rl, default:x', ns: 'team-a', want: [local('rl', 'team-a'), remote('default', 'x')] },
  { name: 'leading colon is dropped', value: ':rl, a', want: [local('a')] },
  { name: 'trailing colon is dropped', value: 'other:, a', want: [local('a')] },
  { name: 'lone colon is dropped', value: ':', want: [] },
  { name: 'two colons are dropped', value: 'a:b:c, d', want: [local('d')] },
  { name: 'duplicates are kept (KIC does not dedupe the list)', value: 'a, a', want: [local('a'), local('a')] },
  { name: 'mixed local and remote', value: 'key-auth, other:rl, default:base', want: [local('key-auth'), remote('other', 'rl'), local('base')] },
];

for (const c of pluginRefCases) {
  test(`pluginRefs: ${c.name}`, () => {
    const obj = service('svc', c.value === undefined ? { ns: c.ns ?? 'default' } : { ns: c.ns ?? 'default', plugins: c.value });
    assert.deepEqual(pluginRefs(obj), c.want);
  });
}

test('pluginRefs reads the annotation on every referrer kind the same way', () => {
  for (const obj of [
    ingress('i', { plugins: 'a, other:b' }),
    httpRoute('r', { plugins: 'a, other:b' }),
    consumer('c', { plugins: 'a, other:b' }),
    service('s', { plugins: 'a, other:b' }),
  ]) {
    assert.deepEqual(pluginRefs(obj), [local('a'), remote('other', 'b')], obj.kind);
  }
});

// ---------------------------------------------------------------- ingressView

const classCases: { name: string; obj: K8sObject; className: string | undefined; source: string }[] = [
  { name: 'spec.ingressClassName only', obj: ingress('i', { className: 'kong' }), className: 'kong', source: 'spec' },
  { name: 'annotation only', obj: ingress('i', { klass: 'kong' }), className: 'kong', source: 'annotation' },
  { name: 'a non-empty annotation wins over spec (KIC store order)', obj: ingress('i', { className: 'nginx', klass: 'kong' }), className: 'kong', source: 'annotation' },
  { name: 'an empty annotation is no class: spec decides', obj: ingress('i', { className: 'nginx', klass: '' }), className: 'nginx', source: 'spec' },
  { name: 'no class at all', obj: ingress('i'), className: undefined, source: 'none' },
  { name: 'non-string spec class falls back to the annotation', obj: ingress('i', { klass: 'kong', spec: { ingressClassName: 42 } }), className: 'kong', source: 'annotation' },
];

for (const c of classCases) {
  test(`ingressView class: ${c.name}`, () => {
    const v = ingressView(c.obj);
    assert.equal(v.className, c.className);
    assert.equal(v.classSource, c.source);
  });
}

test('ingressView: defaultBackend by number, by name, without port, and as a resource', () => {
  assert.deepEqual(ingressView(ingress('i', { defaultBackend: { service: 'fb', port: 80 } })).defaultBackend, { serviceName: 'fb', portNumber: 80 });
  assert.deepEqual(ingressView(ingress('i', { defaultBackend: { service: 'fb', port: 'http' } })).defaultBackend, { serviceName: 'fb', portName: 'http' });
  assert.deepEqual(ingressView(ingress('i', { defaultBackend: { service: 'fb' } })).defaultBackend, { serviceName: 'fb' });
  assert.deepEqual(
    ingressView(ingress('i', { spec: { defaultBackend: { resource: { apiGroup: 'incubator.ingress-controller.konghq.com', kind: 'KongServiceFacade', name: 'f' } } } })).defaultBackend,
    { resource: { apiGroup: 'incubator.ingress-controller.konghq.com', kind: 'KongServiceFacade', name: 'f' } },
  );
  assert.equal(ingressView(ingress('i')).defaultBackend, undefined);
});

test('ingressView: paths carry host, defaults and their JSON field path', () => {
  const obj = ingress('i', {
    spec: {
      rules: [
        { host: 'a.example.com', http: { paths: [{ path: '/x', pathType: 'Exact', backend: { service: { name: 's1', port: { number: 80 } } } }] } },
        {
          http: {
            paths: [
              { path: '/y', pathType: 'Prefix', backend: { service: { name: 's2', port: { name: 'http' } } } },
              { backend: { service: { name: 's3' } } },
            ],
          },
        },
      ],
    },
  });
  assert.deepEqual(ingressView(obj).paths, [
    { host: 'a.example.com', path: '/x', pathType: 'Exact', backend: { serviceName: 's1', portNumber: 80 }, field: 'spec.rules[0].http.paths[0]' },
    { host: '', path: '/y', pathType: 'Prefix', backend: { serviceName: 's2', portName: 'http' }, field: 'spec.rules[1].http.paths[0]' },
    { host: '', path: '/', pathType: 'ImplementationSpecific', backend: { serviceName: 's3' }, field: 'spec.rules[1].http.paths[1]' },
  ]);
});

test('ingressView: tls entries keep string hosts and the secret name', () => {
  const obj = ingress('i', { spec: { tls: [{ hosts: ['a.example.com', 7], secretName: 'cert' }, 'junk', { hosts: 'nope' }] } });
  assert.deepEqual(ingressView(obj).tls, [
    { hosts: ['a.example.com'], secretName: 'cert', field: 'spec.tls[0]' },
    { hosts: [], field: 'spec.tls[2]' },
  ]);
});

const malformedIngressSpecs: { name: string; spec: unknown }[] = [
  { name: 'spec missing', spec: undefined },
  { name: 'spec is a string', spec: 'nope' },
  { name: 'spec is an array', spec: [] },
  { name: 'rules is not an array', spec: { rules: 'x' } },
  { name: 'rule is null', spec: { rules: [null, 3] } },
  { name: 'http is a string', spec: { rules: [{ host: 'h', http: 'x' }] } },
  { name: 'paths is an object', spec: { rules: [{ http: { paths: { a: 1 } } }] } },
  { name: 'path entry is a number', spec: { rules: [{ http: { paths: [1, 'two'] } }] } },
  { name: 'backend is a string', spec: { rules: [{ http: { paths: [{ path: '/', backend: 'svc' }] } }] } },
  { name: 'port number is a string', spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 's', port: { number: '80' } } } }] } }] } },
  { name: 'port number is fractional', spec: { defaultBackend: { service: { name: 's', port: { number: 80.5 } } } } },
  { name: 'defaultBackend is a number', spec: { defaultBackend: 5 } },
  { name: 'tls is a string', spec: { tls: 'x' } },
];

for (const c of malformedIngressSpecs) {
  test(`ingressView does not throw: ${c.name}`, () => {
    const obj: K8sObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: 'default' }, spec: c.spec };
    const v = ingressView(obj);
    assert.ok(Array.isArray(v.paths) && Array.isArray(v.tls));
    for (const p of v.paths) {
      assert.equal(typeof p.path, 'string');
      assert.ok(p.backend.portNumber === undefined || Number.isInteger(p.backend.portNumber));
    }
    if (v.defaultBackend) assert.ok(v.defaultBackend.portNumber === undefined || Number.isInteger(v.defaultBackend.portNumber));
  });
}

test('ingressView: wrong-typed port number is ignored, the service name kept', () => {
  const obj = ingress('i', { spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: '80' } } } }] } }] } });
  assert.deepEqual(ingressView(obj).paths[0]?.backend, { serviceName: 's' });
});

// ---------------------------------------------------------------- httpRouteView

test('httpRouteView: parentRef defaults (group, kind, namespace of the route)', () => {
  const v = httpRouteView(
    httpRoute('r', {
      ns: 'team-a',
      parents: ['kong', { name: 'gw2', namespace: 'infra', sectionName: 'https' }, { name: 'svc-parent', kind: 'Service', group: '' }, { namespace: 'x' }],
    }),
  );
  assert.deepEqual(v.parentRefs, [
    { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'team-a', name: 'kong' },
    { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw2', sectionName: 'https' },
    { group: '', kind: 'Service', namespace: 'team-a', name: 'svc-parent' },
  ]);
});

test('httpRouteView: a rule without matches matches PathPrefix /', () => {
  const v = httpRouteView(httpRoute('r', { rules: [{ backends: [{ name: 'echo', port: 80 }] }] }));
  assert.deepEqual(v.rules[0]?.matches, [{ pathType: 'PathPrefix', path: '/', extra: '[[],[]]', field: 'spec.rules[0].matches[0]' }]);
});

test('httpRouteView: an empty matches list is the same as no matches', () => {
  const v = httpRouteView(httpRoute('r', { spec: { rules: [{ matches: [], backendRefs: [{ name: 'echo', port: 80 }] }] } }));
  assert.deepEqual(v.rules[0]?.matches.map((m) => [m.pathType, m.path]), [['PathPrefix', '/']]);
});

test('httpRouteView: match defaults and method, headers and query params in extra', () => {
  const v = httpRouteView(
    httpRoute('r', {
      spec: {
        rules: [
          {
            matches: [
              { path: { value: '/a' } },
              { path: { type: 'Exact', value: '/b' }, method: 'GET' },
              { headers: [{ name: 'x-env', value: 'dev' }], queryParams: [{ name: 'q', value: '1' }] },
            ],
          },
        ],
      },
    }),
  );
  assert.deepEqual(v.rules[0]?.matches, [
    { pathType: 'PathPrefix', path: '/a', extra: '[[],[]]', field: 'spec.rules[0].matches[0]' },
    { pathType: 'Exact', path: '/b', method: 'GET', extra: '[[],[]]', field: 'spec.rules[0].matches[1]' },
    { pathType: 'PathPrefix', path: '/', extra: '[[{"name":"x-env","value":"dev"}],[{"name":"q","value":"1"}]]', field: 'spec.rules[0].matches[2]' },
  ]);
});

test('httpRouteView: backendRef defaults (group core, kind Service, route namespace, weight 1)', () => {
  const v = httpRouteView(
    httpRoute('r', {
      ns: 'team-a',
      rules: [{ backends: [{ name: 'echo', port: 1027 }, { name: 'other', namespace: 'shared', weight: 0 }] }],
    }),
  );
  assert.deepEqual(v.rules[0]?.backendRefs, [
    { group: '', kind: 'Service', namespace: 'team-a', name: 'echo', port: 1027, weight: 1, field: 'spec.rules[0].backendRefs[0]' },
    { group: '', kind: 'Service', namespace: 'shared', name: 'other', weight: 0, field: 'spec.rules[0].backendRefs[1]' },
  ]);
});

test('httpRouteView: hostnames keep strings only; malformed parts are skipped without throwing', () => {
  const obj: K8sObject = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r', namespace: 'default' },
    spec: { hostnames: ['a.example.com', 1], parentRefs: 'kong', rules: [null, { matches: [7, { path: 'x' }], backendRefs: [{ port: 80 }, 'svc'] }] },
  };
  const v = httpRouteView(obj);
  assert.deepEqual(v.hostnames, ['a.example.com']);
  assert.deepEqual(v.parentRefs, []);
  assert.equal(v.rules.length, 1);
  assert.equal(v.rules[0]?.field, 'spec.rules[1]');
  assert.deepEqual(v.rules[0]?.matches.map((m) => [m.pathType, m.path, m.field]), [['PathPrefix', '/', 'spec.rules[1].matches[1]']]);
  assert.deepEqual(v.rules[0]?.backendRefs, []);
  assert.doesNotThrow(() => httpRouteView({ ...obj, spec: undefined }));
});

// ---------------------------------------------------------------- consumerView

const consumerCases: { name: string; obj: K8sObject; want: ReturnType<typeof consumerView> }[] = [
  {
    name: 'username, custom_id, credentials and groups',
    obj: consumer('c', { username: 'bob', customId: 'id-1', credentials: ['k1', 'k2'], groups: ['gold'] }),
    want: { username: 'bob', customId: 'id-1', credentials: ['k1', 'k2'], consumerGroups: ['gold'] },
  },
  { name: 'nothing set', obj: consumer('c'), want: { credentials: [], consumerGroups: [] } },
  { name: 'empty username is absent', obj: consumer('c', { username: '' }), want: { credentials: [], consumerGroups: [] } },
  {
    name: 'non-string and empty list entries are dropped',
    obj: { ...consumer('c'), credentials: ['ok', '', 3, null], consumerGroups: 'gold', username: 5 },
    want: { credentials: ['ok'], consumerGroups: [] },
  },
];

for (const c of consumerCases) {
  test(`consumerView: ${c.name}`, () => assert.deepEqual(consumerView(c.obj), c.want));
}

// ---------------------------------------------------------------- pluginSecretRefs

test('pluginSecretRefs: configFrom and configPatches, namespaced and cluster-scoped', () => {
  const plugin = kongPlugin('p', 'key-auth', {
    ns: 'team-a',
    extra: {
      configFrom: { secretKeyRef: { name: 'conf', key: 'config' } },
      configPatches: [
        { path: '/a', valueFrom: { secretKeyRef: { name: 'pa', key: 'k' } } },
        { path: '/b', value: 1 },
        { path: '/c', valueFrom: { secretKeyRef: { key: 'nameless' } } },
        { path: '/d', valueFrom: { secretKeyRef: { name: 'pd' } } },
      ],
    },
  });
  assert.deepEqual(pluginSecretRefs(plugin), [
    { namespace: 'team-a', name: 'conf', key: 'config', field: 'configFrom.secretKeyRef' },
    { namespace: 'team-a', name: 'pa', key: 'k', field: 'configPatches[0].valueFrom.secretKeyRef' },
    { namespace: 'team-a', name: 'pd', field: 'configPatches[3].valueFrom.secretKeyRef' },
  ]);
  const cluster = kongClusterPlugin('cp', 'key-auth', { extra: { configFrom: { secretKeyRef: { name: 'conf', namespace: 'kong', key: 'c' } } } });
  assert.deepEqual(pluginSecretRefs(cluster), [{ namespace: 'kong', name: 'conf', key: 'c', field: 'configFrom.secretKeyRef' }]);
  assert.deepEqual(pluginSecretRefs(kongPlugin('plain', 'cors')), []);
  assert.deepEqual(pluginSecretRefs(kongPlugin('bad', 'cors', { extra: { configFrom: 'x', configPatches: {} } })), []);
});
