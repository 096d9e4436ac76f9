import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, type K8sObject } from '../../src/model/object.ts';
import { evaluate, formatFinding, type Verdict } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { Store } from '../../src/state/store.ts';
import type { Change } from '../../src/state/view.ts';
import {
  consumer,
  httpRoute,
  ingress,
  ingressClass,
  kongPlugin,
  referenceGrant,
  secret,
  seed002,
  service,
  unclassedConsumer,
  withPlugins,
} from './builders.ts';

const seedObject = (kind: string, name: string): K8sObject => seed002().find((o) => o.kind === kind && o.metadata.name === name)!;
const labelled = (obj: K8sObject, labels: Record<string, string> = { touched: 'yes' }): K8sObject => ({ ...obj, metadata: { ...obj.metadata, labels: { ...obj.metadata.labels, ...labels } } });
const list = (fs: { rule: string; object: { kind: string; namespace?: string; name: string } }[]) => fs.map((f) => `${f.rule} ${describe({ group: '', ...f.object })}`).sort();

/** Seed 002 plus the seed's other broken objects: Ingress web (class typo, deny) and a bob-clone (duplicate username, deny). */
function brokenCluster(): K8sObject[] {
  return [
    ...seed002(),
    service('web'),
    ingress('web', { className: 'ngnix', created: 100, paths: [{ host: 'app.example.com', path: '/', service: 'web', port: 80 }] }),
    consumer('bob-clone', { username: 'bob', created: 101 }),
  ];
}

interface EngineCase {
  name: string;
  objects: () => K8sObject[];
  change: () => Change;
  policy?: Partial<Policy>;
  allowed: boolean;
  denials: string[];
  warnings: string[];
  check?: (v: Verdict) => void;
}

const cases: EngineCase[] = [
  {
    name: 'removing bob\'s plugin reference introduces a duplicate rate-limiting scope on route-b: denied',
    objects: seed002,
    change: () => ({ operation: 'UPDATE', object: withPlugins(seedObject('KongConsumer', 'bob'), undefined), oldObject: seedObject('KongConsumer', 'bob') }),
    allowed: false,
    denials: ['duplicate-plugin-scope HTTPRoute default/route-b'],
    warnings: [],
    check: (v) => {
      const [d] = v.denials;
      assert.deepEqual(d!.related.map((r) => describe(r)).sort(), ['KongPlugin default/rate-limit-base', 'KongPlugin default/rate-limit-consumer']);
      assert.match(d!.message, /Caused by this change to KongConsumer default\/bob \(konghq\.com\/plugins no longer names rate-limit-consumer\)\.$/);
      assert.match(d!.message, /rate-limit-consumer was scoped to KongConsumer default\/bob before this change/);
    },
  },
  {
    name: 'a consumer reusing an existing username: denied on the new consumer',
    objects: seed002,
    change: () => ({ operation: 'CREATE', object: consumer('bob-clone', { username: 'bob' }) }),
    allowed: false,
    denials: ['duplicate-consumer-identity KongConsumer default/bob-clone'],
    warnings: [],
    check: (v) => assert.ok(!v.denials[0]!.message.includes('Caused by'), 'findings on the changed object need no cause'),
  },
  {
    name: 'a pre-existing broken object elsewhere does not block an unrelated change',
    objects: brokenCluster,
    change: () => ({ operation: 'UPDATE', object: labelled(seedObject('HTTPRoute', 'route-a')), oldObject: seedObject('HTTPRoute', 'route-a') }),
    allowed: true,
    denials: [],
    warnings: [],
  },
  {
    name: 'a pre-existing finding in the neighbourhood (bob-clone) is not blamed on a change to bob',
    objects: brokenCluster,
    change: () => ({ operation: 'UPDATE', object: labelled(seedObject('KongConsumer', 'bob')), oldObject: seedObject('KongConsumer', 'bob') }),
    allowed: true,
    denials: [],
    warnings: [],
    check: (v) => assert.ok(v.judged >= 2, 'bob-clone was judged (same username) but its finding pre-exists'),
  },
  {
    name: 'a pre-existing deny finding on the changed object comes back as a warning',
    objects: brokenCluster,
    change: () => {
      const web = brokenCluster().find((o) => o.kind === 'Ingress' && o.metadata.name === 'web')!;
      return { operation: 'UPDATE', object: labelled(web), oldObject: web };
    },
    allowed: true,
    denials: [],
    warnings: ['unknown-ingress-class Ingress default/web'],
    check: (v) => {
      const w = v.warnings[0]!;
      assert.equal(w.severity, 'warn');
      assert.equal(w.preexisting, true);
      assert.match(formatFinding(w), /^unknown-ingress-class: \(already the case before this change\) /);
    },
  },
  {
    name: 'deleting the key-auth KongPlugin route-b names: allowed, warning that route-b loses authentication',
    objects: seed002,
    change: () => ({ operation: 'DELETE', oldObject: seedObject('KongPlugin', 'key-auth') }),
    allowed: true,
    denials: [],
    warnings: ['missing-plugin HTTPRoute default/route-b'],
    check: (v) => {
      const m = v.warnings[0]!.message;
      assert.match(m, /HTTPRoute default\/route-b loses authentication/);
      assert.match(m, /it was KongPlugin default\/key-auth, type "key-auth"/);
      assert.match(m, /Caused by deleting KongPlugin default\/key-auth\.$/);
    },
  },
  {
    name: 'deleting a rate-limiting plugin says which plugin the route loses',
    objects: seed002,
    change: () => ({ operation: 'DELETE', oldObject: seedObject('KongPlugin', 'rate-limit-base') }),
    allowed: true,
    denials: [],
    warnings: ['missing-plugin HTTPRoute default/route-b'],
    check: (v) => assert.match(v.warnings[0]!.message, /loses its "rate-limiting" plugin/),
  },
  {
    name: 'deleting the Service both routes use: a missing-backend-service warning on each',
    objects: seed002,
    change: () => ({ operation: 'DELETE', oldObject: seedObject('Service', 'echo') }),
    allowed: true,
    denials: [],
    warnings: ['missing-backend-service HTTPRoute default/route-a', 'missing-backend-service HTTPRoute default/route-b'],
    check: (v) => {
      for (const w of v.warnings) assert.deepEqual(w.related.map((r) => describe(r)), ['Service default/echo']);
    },
  },
  {
    name: 'strict: a dangling reference introduced by the change is denied',
    objects: seed002,
    change: () => ({ operation: 'CREATE', object: httpRoute('route-c', { plugins: 'not-yet', rules: [{ matches: [{ path: '/c' }], backends: [{ name: 'echo', port: 1027 }] }] }) }),
    policy: { strict: true },
    allowed: false,
    denials: ['missing-plugin HTTPRoute default/route-c'],
    warnings: [],
  },
  {
    name: 'not strict: the same dangling reference is only a warning',
    objects: seed002,
    change: () => ({ operation: 'CREATE', object: httpRoute('route-c', { plugins: 'not-yet', rules: [{ matches: [{ path: '/c' }], backends: [{ name: 'echo', port: 1027 }] }] }) }),
    allowed: true,
    denials: [],
    warnings: ['missing-plugin HTTPRoute default/route-c'],
  },
  {
    name: 'a rule switched off does not deny',
    objects: seed002,
    change: () => ({ operation: 'CREATE', object: consumer('bob-clone', { username: 'bob' }) }),
    policy: { rules: { 'duplicate-consumer-identity': 'off' } },
    allowed: true,
    denials: [],
    warnings: [],
  },
  {
    name: 'a change in an ignored namespace is not judged at all',
    objects: seed002,
    change: () => ({ operation: 'CREATE', object: consumer('bob-clone', { ns: 'sandbox', username: 'bob' }) }),
    policy: { ignoreNamespaces: ['sandbox'] },
    allowed: true,
    denials: [],
    warnings: [],
    check: (v) => assert.equal(v.judged, 0),
  },
  {
    name: 'objects in an ignored namespace are not judged when someone else\'s change affects them',
    objects: () => [...seed002(), consumer('elder', { ns: 'sandbox', username: 'carol', created: 1 })],
    change: () => ({ operation: 'DELETE', oldObject: seedObject('KongPlugin', 'key-auth') }),
    policy: { ignoreNamespaces: ['default'] },
    allowed: true,
    denials: [],
    warnings: [],
  },
  {
    name: 'the same change outside the ignored namespaces is denied',
    objects: seed002,
    change: () => ({ operation: 'CREATE', object: consumer('bob-clone', { ns: 'team', username: 'bob' }) }),
    policy: { ignoreNamespaces: ['sandbox'] },
    allowed: false,
    denials: ['duplicate-consumer-identity KongConsumer team/bob-clone'],
    warnings: [],
  },
  {
    name: 'fixing a problem (deleting the duplicate consumer) is allowed without findings',
    objects: brokenCluster,
    change: () => ({ operation: 'DELETE', oldObject: consumer('bob-clone', { username: 'bob' }) }),
    allowed: true,
    denials: [],
    warnings: [],
  },
  {
    name: 'a Secret update that duplicates another consumer\'s key denies on the consumer, never showing the key',
    objects: () => [
      ...seed002(),
      secret('alice-key-auth', { credType: 'key-auth', stringData: { key: 'alice-password' }, created: 50 }),
      consumer('alice', { username: 'alice', credentials: ['alice-key-auth'], created: 51 }),
    ],
    change: () => ({
      operation: 'UPDATE',
      object: secret('alice-key-auth', { credType: 'key-auth', stringData: { key: 'bob-password' }, created: 50 }),
      oldObject: secret('alice-key-auth', { credType: 'key-auth', stringData: { key: 'alice-password' }, created: 50 }),
    }),
    allowed: false,
    denials: ['duplicate-credential KongConsumer default/alice'],
    warnings: [],
    check: (v) => {
      const text = JSON.stringify(v);
      assert.ok(!text.includes('bob-password') && !text.includes('alice-password'), text);
      assert.match(v.denials[0]!.message, /Caused by this change to Secret default\/alice-key-auth/);
    },
  },
];

for (const c of cases) {
  test(`evaluate: ${c.name}`, () => {
    const store = new Store(c.objects());
    const revision = store.revision;
    const change = c.change();
    const v = evaluate(store, change, { ...DEFAULT_POLICY, ...c.policy });
    assert.equal(v.allowed, c.allowed);
    assert.equal(v.operation, change.operation);
    assert.deepEqual(list(v.denials), c.denials, 'denials');
    assert.deepEqual(list(v.warnings), c.warnings, 'warnings');
    for (const d of v.denials) assert.equal(d.severity, 'deny');
    for (const w of v.warnings) assert.equal(w.severity, 'warn');
    assert.equal(store.revision, revision, 'evaluate never writes to the store');
    c.check?.(v);
  });
}

test('evaluate: introduced warnings come before pre-existing ones', () => {
  const orphan = ingress('orphan', { className: 'kong', paths: [{ path: '/orphan', service: 'missing-svc', port: 80 }] });
  const store = new Store([ingressClass('kong', { isDefault: true }), orphan]);
  const changed = withPlugins(orphan, 'nope');
  const v = evaluate(store, { operation: 'UPDATE', object: changed, oldObject: orphan }, DEFAULT_POLICY);
  assert.equal(v.allowed, true);
  assert.deepEqual(
    v.warnings.map((w) => [w.rule, w.preexisting ?? false]),
    [
      ['missing-plugin', false],
      ['missing-backend-service', true],
    ],
  );
});

test('evaluate: a change needs an object or an oldObject', () => {
  assert.throws(() => evaluate(new Store(), { operation: 'CREATE' }, DEFAULT_POLICY), /object or an oldObject/);
});

// ---------------------------------------------------------------- scoping: judged stays with the neighbourhood

function bigCluster(n: number): K8sObject[] {
  const objects: K8sObject[] = [ingressClass('kong', { isDefault: true })];
  for (let i = 0; i < n; i++) {
    objects.push(service(`svc-${i}`, { ns: `ns-${i % 20}` }));
    // Class-less: KIC serves them because kong is the default class, so each one reads that class.
    objects.push(ingress(`ing-${i}`, { ns: `ns-${i % 20}`, paths: [{ host: `h${i}.example.com`, path: `/p${i}`, service: `svc-${i}`, port: 80 }] }));
  }
  return objects;
}

const scopingCases: { name: string; change: (objects: K8sObject[]) => Change; max: number; min?: number }[] = [
  { name: 'creating an unrelated Service', change: () => ({ operation: 'CREATE', object: service('lonely', { ns: 'elsewhere' }) }), max: 10 },
  { name: 'creating an unrelated KongPlugin', change: () => ({ operation: 'CREATE', object: kongPlugin('cors', 'cors', { ns: 'elsewhere' }) }), max: 10 },
  {
    name: 'creating a new Ingress on its own host',
    change: () => ({ operation: 'CREATE', object: ingress('new', { ns: 'elsewhere', className: 'kong', paths: [{ host: 'new.example.com', path: '/', service: 'svc-new', port: 80 }] }) }),
    max: 10,
  },
  {
    name: 'updating one of the Ingresses',
    change: (objects) => {
      const ing = objects.find((o) => o.kind === 'Ingress' && o.metadata.name === 'ing-7')!;
      return { operation: 'UPDATE', object: labelled(ing), oldObject: ing };
    },
    max: 10,
  },
  {
    name: 'deleting one of the Services (its Ingress is affected, nothing else)',
    change: (objects) => ({ operation: 'DELETE', oldObject: objects.find((o) => o.kind === 'Service' && o.metadata.name === 'svc-7')! }),
    max: 10,
    min: 2,
  },
  {
    name: 'control: changing the IngressClass every Ingress depends on judges them all',
    change: () => ({ operation: 'UPDATE', object: ingressClass('kong'), oldObject: ingressClass('kong', { isDefault: true }) }),
    max: Number.POSITIVE_INFINITY,
    min: 501,
  },
];

const big = bigCluster(500);
const bigStore = new Store(big);

for (const c of scopingCases) {
  test(`evaluate scoping with 500 unrelated Ingresses: ${c.name}`, () => {
    const v = evaluate(bigStore, c.change(big), DEFAULT_POLICY);
    assert.ok(v.judged < c.max, `judged ${v.judged}, expected < ${c.max}`);
    assert.ok(v.judged >= (c.min ?? 1), `judged ${v.judged}, expected >= ${c.min ?? 1}`);
  });
}

// ---------------------------------------------------------------- suspected scoping gaps (kept skipped, see reasons)

test(
  'evaluate: deleting the ReferenceGrant a remote plugin reference relies on warns on the referrer',
  () => {
    const grant = referenceGrant('allow', {
      ns: 'shared',
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }],
      to: [{ group: 'configuration.konghq.com', kind: 'KongPlugin' }],
    });
    const store = new Store([...seed002(), kongPlugin('shared-auth', 'key-auth', { ns: 'shared' }), grant, httpRoute('route-c', { plugins: 'shared:shared-auth', rules: [{ matches: [{ path: '/c' }], backends: [{ name: 'echo', port: 1027 }] }] })]);
    const v = evaluate(store, { operation: 'DELETE', oldObject: grant }, DEFAULT_POLICY);
    assert.deepEqual(list(v.warnings), ['plugin-reference-not-granted HTTPRoute default/route-c']);
  },
);

test(
  'evaluate: making our IngressClass the default judges the class-less objects it starts to manage',
  () => {
    const store = new Store([ingressClass('kong'), consumer('bob', { username: 'bob', created: 1 }), unclassedConsumer('legacy', { username: 'bob', created: 2 })]);
    const v = evaluate(store, { operation: 'UPDATE', object: ingressClass('kong', { isDefault: true }), oldObject: ingressClass('kong') }, DEFAULT_POLICY);
    assert.equal(v.allowed, false);
    assert.deepEqual(list(v.denials), ['duplicate-consumer-identity KongConsumer default/legacy']);
  },
);
