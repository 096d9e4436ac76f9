// Class and endpoint rules: a second default IngressClass, class-less Kong objects KIC ignores, Services without ready endpoints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { everything, judge } from '../../src/engine/judge.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { Judgements } from '../../src/engine/judgements.ts';
import { touchedReads } from '../../src/state/reads.ts';
import { describe, keyOf, refKey, refOf, type K8sObject } from '../../src/model/object.ts';
import { CLASS_RULES } from '../../src/rules/class-annotations.ts';
import type { Finding } from '../../src/rules/rule.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { yamlObjects } from '../helpers.ts';
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
  service,
  unclassedConsumer,
} from '../unit/builders.ts';

function findings(objects: K8sObject[]): Finding[] {
  const store = new Store(objects);
  return judge(new Translator(store, DEFAULT_TRANSLATE_CONFIG), DEFAULT_POLICY, everything([...store.all()].map(keyOf)), { rules: CLASS_RULES });
}

function unclassed(obj: K8sObject): K8sObject {
  const annotations = { ...obj.metadata.annotations };
  delete annotations['kubernetes.io/ingress.class'];
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}

function withClass(obj: K8sObject, value: string): K8sObject {
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata.annotations, 'kubernetes.io/ingress.class': value } } };
}

type Endpoint = { ready?: boolean; terminating?: boolean; addresses?: string[] };

function slice(name: string, serviceName: string, endpoints: Endpoint[], ns = 'default'): K8sObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: ns, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    ports: [{ name: '', port: 8080, protocol: 'TCP' }],
    endpoints: endpoints.map((e, i) => {
      const conditions: Record<string, boolean> = {};
      if (e.ready !== undefined) conditions.ready = e.ready;
      if (e.terminating !== undefined) conditions.terminating = e.terminating;
      return { addresses: e.addresses ?? [`10.0.0.${i + 1}`], conditions };
    }),
  };
}

const routed = (className = 'kong') => ingress('web', { className, paths: [{ host: 'app.example.com', service: 'echo', port: 80 }] });
const defaultKong = () => ingressClass('kong', { isDefault: true });

interface Case {
  rule: string;
  name: string;
  objects: K8sObject[];
  want: { on: string; related?: string[]; mentions?: string[] }[];
}

const cases: Case[] = [
  // ---- duplicate-default-ingress-class
  {
    rule: 'duplicate-default-ingress-class',
    name: 'a second default class: the newer one names the older',
    objects: [ingressClass('kong', { isDefault: true, created: 0 }), ingressClass('nginx', { isDefault: true, created: 10, controller: 'k8s.io/ingress-nginx' })],
    want: [{ on: 'IngressClass nginx', related: ['IngressClass kong'], mentions: ['already is', 'spec.ingressClassName'] }],
  },
  {
    rule: 'duplicate-default-ingress-class',
    name: 'age is the creation time, not arrival order',
    objects: [ingressClass('kong', { isDefault: true, created: 10 }), ingressClass('nginx', { isDefault: true, created: 0, controller: 'k8s.io/ingress-nginx' })],
    want: [{ on: 'IngressClass kong', related: ['IngressClass nginx'] }],
  },
  {
    rule: 'duplicate-default-ingress-class',
    name: 'three defaults: each newer one names all older ones',
    objects: [ingressClass('a', { isDefault: true, created: 0 }), ingressClass('b', { isDefault: true, created: 1 }), ingressClass('c', { isDefault: true, created: 2 })],
    want: [
      { on: 'IngressClass b', related: ['IngressClass a'] },
      { on: 'IngressClass c', related: ['IngressClass a', 'IngressClass b'], mentions: ['IngressClass a and IngressClass b already are'] },
    ],
  },
  {
    rule: 'duplicate-default-ingress-class',
    name: 'neighbour: the other class is not the default (or says "false")',
    objects: [
      ingressClass('kong', { isDefault: true, created: 0 }),
      ingressClass('nginx', { created: 10 }),
      ingressClass('traefik', { created: 20, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'false' } }),
    ],
    want: [],
  },
  // ---- missing-class-annotation
  {
    rule: 'missing-class-annotation',
    name: 'class-less KongConsumer, KongConsumerGroup and KongClusterPlugins while kong is not the default',
    objects: [
      ingressClass('kong'),
      unclassedConsumer('bob', { username: 'bob' }),
      unclassed(consumerGroup('gold')),
      kongClusterPlugin('cors-all', 'cors'),
      kongClusterPlugin('prom', 'prometheus', { global: true }),
    ],
    want: [
      { on: 'KongConsumer default/bob', related: ['IngressClass kong'], mentions: ['no kubernetes.io/ingress.class annotation', 'not the cluster default', 'KIC ignores it', 'credentials'] },
      { on: 'KongConsumerGroup default/gold', mentions: ['its plugins do not apply'] },
      { on: 'KongClusterPlugin cors-all', mentions: ['run without the plugin'] },
      { on: 'KongClusterPlugin prom', mentions: ['global plugin runs nowhere'] },
    ],
  },
  {
    rule: 'missing-class-annotation',
    name: 'an empty annotation counts as none',
    objects: [ingressClass('kong'), withClass(unclassedConsumer('bob', { username: 'bob' }), '')],
    want: [{ on: 'KongConsumer default/bob', mentions: ['an empty kubernetes.io/ingress.class'] }],
  },
  {
    rule: 'missing-class-annotation',
    name: 'neighbour: a KongPlugin needs no class',
    objects: [ingressClass('kong'), kongPlugin('key-auth', 'key-auth')],
    want: [],
  },
  {
    rule: 'missing-class-annotation',
    name: 'neighbour: kong is the default, so class-less objects are KIC\'s',
    objects: [defaultKong(), unclassedConsumer('bob', { username: 'bob' }), kongClusterPlugin('cors-all', 'cors')],
    want: [],
  },
  {
    rule: 'missing-class-annotation',
    name: 'neighbour: annotated with kong, or deliberately with another class',
    objects: [ingressClass('kong'), consumer('bob', { username: 'bob' }), withClass(kongClusterPlugin('cors-all', 'cors'), 'other')],
    want: [],
  },
  {
    rule: 'missing-class-annotation',
    name: 'neighbour: KIC\'s IngressClass is not in the state, so whether it is the default is unknown',
    objects: [unclassedConsumer('bob', { username: 'bob' })],
    want: [],
  },
  // ---- no-ready-endpoints
  {
    rule: 'no-ready-endpoints',
    name: 'the only endpoint is not ready',
    objects: [defaultKong(), service('echo'), routed(), slice('echo-1', 'echo', [{ ready: false }])],
    want: [{ on: 'Service default/echo', related: ['Ingress default/web'], mentions: ['none of its EndpointSlices (echo-1)', '503', 'failure to get a peer from the ring-balancer'] }],
  },
  {
    rule: 'no-ready-endpoints',
    name: 'the only endpoint is terminating and no longer ready (drain support is off)',
    objects: [defaultKong(), service('echo'), routed(), slice('echo-1', 'echo', [{ ready: false, terminating: true }])],
    want: [{ on: 'Service default/echo' }],
  },
  {
    // KIC's getEndpoints skips only endpoints that are not ready: during a rollout a terminating pod still serves.
    rule: 'no-ready-endpoints',
    name: 'neighbour: the only endpoint is terminating and still ready (KIC keeps its target)',
    objects: [defaultKong(), service('echo'), routed(), slice('echo-1', 'echo', [{ ready: true, terminating: true }])],
    want: [],
  },
  {
    rule: 'no-ready-endpoints',
    name: 'an empty EndpointSlice (the selector matches no pods)',
    objects: [defaultKong(), service('echo'), routed(), slice('echo-1', 'echo', [])],
    want: [{ on: 'Service default/echo' }],
  },
  {
    rule: 'no-ready-endpoints',
    name: 'no EndpointSlice for the Service while other Services have them',
    objects: [defaultKong(), service('echo'), service('other'), routed(), slice('other-1', 'other', [{ ready: true }])],
    want: [{ on: 'Service default/echo', mentions: ['it has no EndpointSlices', 'selector'] }],
  },
  {
    rule: 'no-ready-endpoints',
    name: 'an HTTPRoute backend',
    objects: [gatewayClass('kong'), gateway('kong'), service('echo'), httpRoute('r', { rules: [{ backends: [{ name: 'echo', port: 80 }] }] }), slice('echo-1', 'echo', [{ ready: false }])],
    want: [{ on: 'Service default/echo', related: ['HTTPRoute default/r'] }],
  },
  {
    rule: 'no-ready-endpoints',
    name: 'service-upstream: Kong targets the cluster IP, where nothing answers',
    objects: [defaultKong(), service('echo', { annotations: { 'ingress.kubernetes.io/service-upstream': 'true' } }), routed(), slice('echo-1', 'echo', [{ ready: false }])],
    want: [{ on: 'Service default/echo', mentions: ['cluster IP', '502'] }],
  },
  {
    rule: 'no-ready-endpoints',
    name: 'neighbour: one ready endpoint in one of two slices (ready unset counts as ready)',
    objects: [defaultKong(), service('echo'), routed(), slice('echo-1', 'echo', [{ ready: false }]), slice('echo-2', 'echo', [{}])],
    want: [],
  },
  {
    rule: 'no-ready-endpoints',
    name: 'neighbour: no EndpointSlices anywhere in the state (manifests only)',
    objects: [defaultKong(), service('echo'), routed()],
    want: [],
  },
  {
    rule: 'no-ready-endpoints',
    name: 'neighbour: a Service no managed route uses',
    objects: [defaultKong(), service('echo'), routed('nginx'), slice('echo-1', 'echo', [{ ready: false }])],
    want: [],
  },
  {
    rule: 'no-ready-endpoints',
    name: 'neighbour: an ExternalName Service has no endpoints by design',
    objects: [defaultKong(), { ...service('echo'), spec: { type: 'ExternalName', externalName: 'echo.example.net', ports: [{ port: 80 }] } }, routed(), slice('other-1', 'other', [{}])],
    want: [],
  },
];

for (const c of cases) {
  test(`${c.rule}: ${c.name}`, () => {
    const got = findings(c.objects).filter((f) => f.rule === c.rule);
    assert.equal(got.length, c.want.length, got.map((f) => f.message).join('\n') || '(no findings)');
    c.want.forEach((w, i) => {
      const f = got[i]!;
      assert.equal(describe(f.object), w.on);
      if (w.related) assert.deepEqual(f.related.map(describe), w.related);
      for (const m of w.mentions ?? []) assert.ok(f.message.includes(m), `"${m}" not in: ${f.message}`);
      assert.equal(f.severity, CLASS_RULES.find((r) => r.id === c.rule)!.severity);
    });
  });
}

// ---- examples

for (const rule of CLASS_RULES) {
  test(`${rule.id}: the bad example yields it, the good one yields no finding of this family`, () => {
    assert.ok(rule.examples, 'has examples');
    const bad = findings(yamlObjects(rule.examples.bad));
    assert.ok(bad.some((f) => f.rule === rule.id), bad.map((f) => f.rule).join(', ') || '(none)');
    assert.deepEqual(findings(yamlObjects(rule.examples.good)).map((f) => f.message), []);
  });
}

// ---- scope: the objects these rules judge are reached by the changes that decide them

/** The objects a change from the stored version to `changed` re-judges: those whose rules read what it touches. */
function scopeOf(store: Store, changed: K8sObject): string[] {
  const key = keyOf(changed);
  return [...Judgements.of(store, DEFAULT_POLICY).scopeOf(touchedReads(store.get(key), changed), key).keys()]
    .flatMap((k) => store.get(k) ?? [])
    .map((o) => describe(refOf(o)))
    .sort();
}

test('scope: an EndpointSlice change brings its Service (label kubernetes.io/service-name, same namespace) into scope', () => {
  const s = slice('echo-1', 'echo', [{ ready: false }]);
  const store = new Store([defaultKong(), service('echo'), service('echo', { ns: 'other' }), service('unrelated'), routed(), s]);
  const scope = scopeOf(store, s);
  assert.ok(scope.includes('Service default/echo'), scope.join(', '));
  assert.ok(!scope.includes('Service other/echo'));
  assert.ok(!scope.includes('Service default/unrelated'));
  // An EndpointSlice without the label reaches no Service.
  const orphan: K8sObject = { ...s, metadata: { name: 'orphan', namespace: 'default' } };
  assert.deepEqual(scopeOf(new Store([service('echo'), orphan]), orphan), ['EndpointSlice default/orphan']);
});

test('scope: an IngressClass change brings the other default IngressClasses; a change to ours also the class-less Kong objects', () => {
  const store = new Store([defaultKong(), ingressClass('nginx', { isDefault: true }), ingressClass('traefik'), unclassedConsumer('bob', { username: 'bob' }), consumer('alice', { username: 'alice' })]);
  const nginx = store.get(refKey({ group: 'networking.k8s.io', kind: 'IngressClass', name: 'nginx' }))!;
  // traefik is not a default: duplicate-default-ingress-class never reads the other classes for it.
  assert.deepEqual(scopeOf(store, nginx), ['IngressClass kong', 'IngressClass nginx']);
  const kong = store.get(refKey({ group: 'networking.k8s.io', kind: 'IngressClass', name: 'kong' }))!;
  assert.deepEqual(scopeOf(store, kong), ['IngressClass kong', 'IngressClass nginx', 'KongConsumer default/bob']);
});

test('problems-style re-judging: creating our non-default IngressClass is what makes class-less consumers warn', () => {
  const bob = unclassedConsumer('bob', { username: 'bob' });
  const store = new Store([bob]);
  const kong = ingressClass('kong');
  const scope = Judgements.of(store, DEFAULT_POLICY).scopeOf(touchedReads(undefined, kong), keyOf(kong));
  store.upsert(kong);
  const tr = new Translator(store, DEFAULT_TRANSLATE_CONFIG);
  const got = judge(tr, DEFAULT_POLICY, everything(scope.keys()), { rules: CLASS_RULES });
  assert.deepEqual(got.map((f) => `${f.rule} ${describe(f.object)}`), ['missing-class-annotation KongConsumer default/bob']);
});
