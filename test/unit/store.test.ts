import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, refKey, type K8sObject } from '../../src/model/object.ts';
import { redactSecret } from '../../src/model/secret.ts';
import { INDEX_NAMES, INDEXES, type IndexName } from '../../src/state/indexes.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { admit, Store } from '../../src/state/store.ts';
import { olderFirst, type Change, type StateView } from '../../src/state/view.ts';
import {
  consumer,
  endpointSlice,
  httpRoute,
  ingress,
  ingressClass,
  kongClusterPlugin,
  kongPlugin,
  secret,
  service,
} from './builders.ts';

// ---------------------------------------------------------------- helpers

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const sorted = (objs: Iterable<K8sObject>): string[] => [...objs].map(keyOf).sort();

/**
 * Recomputes every index from `live` and compares it with what the view answers, for every index key any object
 * ever produced (so stale entries left behind by an update or a delete are caught too).
 */
function assertIndexesConsistent(view: StateView, live: K8sObject[], everSeen: K8sObject[]): void {
  const expected = new Map<string, Set<string>>();
  const probes = new Set<string>();
  for (const obj of everSeen.map(admit)) for (const name of INDEX_NAMES) for (const k of INDEXES[name](obj)) probes.add(`${name}\u0000${k}`);
  for (const obj of live.map(admit)) {
    for (const name of INDEX_NAMES) {
      for (const k of INDEXES[name](obj)) {
        const id = `${name}\u0000${k}`;
        probes.add(id);
        if (!expected.has(id)) expected.set(id, new Set());
        expected.get(id)!.add(keyOf(obj));
      }
    }
  }
  for (const id of probes) {
    const [name, k] = id.split('\u0000') as [IndexName, string];
    assert.deepEqual(sorted(view.lookup(name, k)), [...(expected.get(id) ?? [])].sort(), `index ${name} key ${k}`);
  }
}

function assertContents(store: Store, live: K8sObject[]): void {
  assert.equal(store.size, live.length);
  assert.deepEqual(sorted(store.all()), sorted(live));
  for (const kind of new Set(live.map((o) => o.kind))) {
    assert.deepEqual(sorted(store.list(kind)), sorted(live.filter((o) => o.kind === kind)), `list(${kind})`);
  }
}

const svcKey = (name: string, ns = 'default') => refKey({ group: '', kind: 'Service', namespace: ns, name });
const credKey = (type: string, value: string) => INDEXES.credential(redactSecret(secret('probe', { credType: type, stringData: { [type === 'key-auth' ? 'key' : 'username']: value } })))[0]!;
const hostPathKeys = (obj: K8sObject) => INDEXES.hostPath(obj);

// ---------------------------------------------------------------- Store: every index stays consistent

type Step = { upsert: K8sObject } | { delete: K8sObject };

interface IndexCase {
  name: string;
  index: IndexName;
  steps: Step[];
  /** [index key, expected object names] checked after the last step. */
  expect: [string, string[]][];
}

const ing1 = ingress('web', { className: 'kong', paths: [{ host: 'a.example.com', path: '/a', service: 'svc-a', port: 80 }] });
const ing1b = ingress('web', { className: 'kong', paths: [{ host: 'a.example.com', path: '/b', service: 'svc-b', port: 80 }] });
const fb = ingress('fb', { className: 'kong', defaultBackend: { service: 'fallback', port: 80 } });
const fbNone = ingress('fb', { className: 'kong', paths: [{ path: '/x', service: 'fallback', port: 80 }] });
const globalRl = kongClusterPlugin('g', 'rate-limiting', { global: true });
const globalCors = kongClusterPlugin('g', 'cors', { global: true });
const notGlobal = kongClusterPlugin('g', 'cors');

const indexCases: IndexCase[] = [
  {
    name: 'dependants: changing an Ingress backend moves it from the old Service to the new one',
    index: 'dependants',
    steps: [{ upsert: ing1 }, { upsert: ing1b }],
    expect: [
      [svcKey('svc-a'), []],
      [svcKey('svc-b'), ['web']],
    ],
  },
  {
    name: 'dependants: plugin references index both the KongPlugin and the KongClusterPlugin candidate',
    index: 'dependants',
    steps: [{ upsert: service('s', { plugins: 'p1' }) }, { upsert: service('s', { plugins: 'p2' }) }],
    expect: [
      [refKey({ group: 'configuration.konghq.com', kind: 'KongPlugin', namespace: 'default', name: 'p1' }), []],
      [refKey({ group: 'configuration.konghq.com', kind: 'KongClusterPlugin', name: 'p1' }), []],
      [refKey({ group: 'configuration.konghq.com', kind: 'KongPlugin', namespace: 'default', name: 'p2' }), ['s']],
      [refKey({ group: 'configuration.konghq.com', kind: 'KongClusterPlugin', name: 'p2' }), ['s']],
    ],
  },
  {
    name: 'consumerUsername: a rename removes the old username',
    index: 'consumerUsername',
    steps: [{ upsert: consumer('bob', { username: 'bob' }) }, { upsert: consumer('bob', { username: 'robert' }) }],
    expect: [
      ['bob', []],
      ['robert', ['bob']],
    ],
  },
  {
    name: 'consumerCustomId: changed then dropped',
    index: 'consumerCustomId',
    steps: [{ upsert: consumer('c', { customId: 'id-1' }) }, { upsert: consumer('c', { customId: 'id-2' }) }, { upsert: consumer('c', { username: 'c' }) }],
    expect: [
      ['id-1', []],
      ['id-2', []],
    ],
  },
  {
    name: 'credential: a new key moves the Secret to the new digest',
    index: 'credential',
    steps: [
      { upsert: secret('k', { credType: 'key-auth', stringData: { key: 'k1' } }) },
      { upsert: secret('k', { credType: 'key-auth', data: { key: Buffer.from('k2').toString('base64') } }) },
    ],
    expect: [
      [credKey('key-auth', 'k1'), []],
      [credKey('key-auth', 'k2'), ['k']],
    ],
  },
  {
    name: 'credential: losing the credential label leaves no entry',
    index: 'credential',
    steps: [{ upsert: secret('k', { credType: 'key-auth', stringData: { key: 'k1' } }) }, { upsert: secret('k', { stringData: { key: 'k1' } }) }],
    expect: [[credKey('key-auth', 'k1'), []]],
  },
  {
    name: 'hostPath: a changed path leaves the old key',
    index: 'hostPath',
    steps: [{ upsert: ing1 }, { upsert: ing1b }],
    expect: [
      [hostPathKeys(ing1)[0]!, []],
      [hostPathKeys(ing1b)[0]!, ['web']],
    ],
  },
  {
    name: 'defaultBackend: removing spec.defaultBackend empties the bucket',
    index: 'defaultBackend',
    steps: [{ upsert: fb }, { upsert: fbNone }],
    expect: [['*', []]],
  },
  {
    name: 'globalPlugin: a type change moves it, dropping the label removes it',
    index: 'globalPlugin',
    steps: [{ upsert: globalRl }, { upsert: globalCors }, { upsert: notGlobal }],
    expect: [
      ['rate-limiting', []],
      ['cors', []],
    ],
  },
  {
    name: 'endpointSlices: a relabelled slice moves to the other Service',
    index: 'endpointSlices',
    steps: [{ upsert: endpointSlice('es-1', 'svc-a') }, { upsert: endpointSlice('es-1', 'svc-b') }],
    expect: [
      ['default/svc-a', []],
      ['default/svc-b', ['es-1']],
    ],
  },
  {
    name: 'delete removes the object from every index it was in',
    index: 'hostPath',
    steps: [{ upsert: ing1 }, { upsert: fb }, { upsert: consumer('bob', { username: 'bob' }) }, { delete: ing1 }, { delete: fb }, { delete: consumer('bob') }],
    expect: [
      [hostPathKeys(ing1)[0]!, []],
      ['*', []],
    ],
  },
];

for (const c of indexCases) {
  test(`Store indexes: ${c.name}`, () => {
    const store = new Store();
    const live = new Map<string, K8sObject>();
    const seen: K8sObject[] = [];
    for (const step of c.steps) {
      if ('upsert' in step) {
        store.upsert(step.upsert);
        live.set(keyOf(step.upsert), step.upsert);
        seen.push(step.upsert);
      } else {
        store.delete(keyOf(step.delete));
        live.delete(keyOf(step.delete));
      }
      assertContents(store, [...live.values()]);
      assertIndexesConsistent(store, [...live.values()], seen);
    }
    for (const [key, names] of c.expect) {
      assert.deepEqual(store.lookup(c.index, key).map((o) => o.metadata.name).sort(), names, `${c.index} ${key}`);
    }
  });
}

test('Store indexes: a mixed state built, updated and torn down stays consistent at every step', () => {
  const objects = [
    ingressClass('kong', { isDefault: true }),
    service('svc-a'),
    ing1,
    fb,
    httpRoute('r', { plugins: 'p', hostnames: ['h.example.com'] }),
    kongPlugin('p', 'cors'),
    globalRl,
    consumer('bob', { username: 'bob', customId: 'b-1', credentials: ['k'], plugins: 'p' }),
    secret('k', { credType: 'key-auth', stringData: { key: 'k1' } }),
    endpointSlice('es', 'svc-a'),
  ];
  const store = new Store();
  const live = new Map<string, K8sObject>();
  const seen: K8sObject[] = [];
  const apply = (obj: K8sObject) => {
    store.upsert(obj);
    live.set(keyOf(obj), obj);
    seen.push(obj);
    assertIndexesConsistent(store, [...live.values()], seen);
  };
  objects.forEach(apply);
  [ing1b, fbNone, globalCors, consumer('bob', { username: 'robert', credentials: ['k'] }), secret('k', { credType: 'key-auth', stringData: { key: 'k2' } })].forEach(apply);
  for (const obj of [...live.values()]) {
    assert.ok(store.delete(keyOf(obj)));
    live.delete(keyOf(obj));
    assertIndexesConsistent(store, [...live.values()], seen);
  }
  assert.equal(store.size, 0);
  assert.equal(store.delete(keyOf(ing1)), undefined, 'deleting twice is a no-op');
});

test('Store: upsert returns the admitted object (Secrets redacted), revision bumps on every write', () => {
  const store = new Store();
  const r0 = store.revision;
  const stored = store.upsert(secret('k', { credType: 'key-auth', stringData: { key: 'clear-value' } }));
  assert.equal(stored.stringData, undefined);
  assert.ok(!JSON.stringify(store.get(keyOf(stored))).includes('clear-value'));
  const svc = service('s');
  assert.equal(store.upsert(svc), svc, 'non-Secrets are kept as given (no copy)');
  store.delete(keyOf(svc));
  store.delete(keyOf(svc));
  assert.equal(store.revision, r0 + 3, 'a no-op delete does not bump the revision');
});

test("Store: other objects are kept without kubectl's last-applied annotation, the rest of their metadata as given", () => {
  const svc = service('s');
  const applied = { ...svc, metadata: { ...svc.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(svc), 'konghq.com/protocol': 'https' } } };
  const stored = new Store().upsert(applied);
  assert.deepEqual(stored.metadata.annotations, { 'konghq.com/protocol': 'https' });
  assert.deepEqual({ ...stored, metadata: { ...stored.metadata, annotations: undefined } }, { ...applied, metadata: { ...applied.metadata, annotations: undefined } });
  assert.equal(applied.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], JSON.stringify(svc), 'the given object is not changed');
});

test('Store: objects are kept without status and metadata.ownerReferences, which nothing reads', () => {
  const svc = service('s');
  const owned = {
    ...svc,
    metadata: { ...svc.metadata, labels: { app: 's' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'x', uid: 'u', controller: true }] },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.1' }] } },
  };
  const stored = new Store().upsert(owned);
  assert.equal(stored.status, undefined);
  assert.ok(!Object.hasOwn(stored.metadata, 'ownerReferences'));
  const { status: _s, ...rest } = owned;
  const { ownerReferences: _o, ...metadata } = owned.metadata;
  assert.deepEqual(stored, { ...rest, metadata });
  assert.ok(owned.status && owned.metadata.ownerReferences, 'the given object is not changed');
});

test('Store: a version it already holds (same resourceVersion and apiVersion, as a relist delivers) is not a write', () => {
  const store = new Store();
  const events: (K8sObject | undefined)[] = [];
  store.subscribe((_before, after) => events.push(after));
  const v1 = { ...service('s'), metadata: { ...service('s').metadata, resourceVersion: '7' } };
  store.upsert(v1);
  const r = store.revision;
  const relisted = structuredClone(v1);
  assert.equal(store.upsert(relisted), v1, 'the held object stays');
  assert.equal(store.revision, r);
  assert.equal(events.length, 1);
  const v2 = { ...relisted, metadata: { ...relisted.metadata, resourceVersion: '8', labels: { a: 'b' } } };
  assert.equal(store.upsert(v2), v2);
  assert.equal(store.upsert({ ...v2, apiVersion: 'v2' }).apiVersion, 'v2', 'another API version is applied');
  const unversioned = service('u');
  store.upsert(unversioned);
  store.upsert(structuredClone(unversioned));
  assert.equal(events.length, 5, 'objects without a resourceVersion (manifests) always apply');
});

test('Store: arrival order survives updates and restarts after a delete', () => {
  const a = service('a');
  const b = service('b');
  const store = new Store([a, b]);
  assert.ok(store.sequence(keyOf(a)) < store.sequence(keyOf(b)));
  store.upsert(service('a', { ports: [81] }));
  assert.ok(store.sequence(keyOf(a)) < store.sequence(keyOf(b)), 'an update keeps the original arrival');
  store.delete(keyOf(a));
  assert.equal(store.sequence(keyOf(a)), Number.POSITIVE_INFINITY);
  store.upsert(a);
  assert.ok(store.sequence(keyOf(a)) > store.sequence(keyOf(b)), 're-created objects arrive anew');
});

// ---------------------------------------------------------------- Overlay

function baseObjects(): K8sObject[] {
  return deepFreeze([
    ingressClass('kong', { isDefault: true }),
    service('svc-a'),
    service('svc-b'),
    ingress('web', { className: 'kong', paths: [{ host: 'a.example.com', path: '/a', service: 'svc-a', port: 80 }] }),
    ingress('shop', { className: 'kong', paths: [{ host: 's.example.com', path: '/', service: 'svc-b', port: 80 }] }),
    consumer('bob', { username: 'bob', credentials: ['bob-key'] }),
    secret('bob-key', { credType: 'key-auth', stringData: { key: 'bob-password' } }),
  ]);
}

function snapshot(store: Store) {
  const probes: [IndexName, string][] = [];
  for (const obj of store.all()) for (const name of INDEX_NAMES) for (const k of INDEXES[name](obj)) probes.push([name, k]);
  return {
    revision: store.revision,
    size: store.size,
    objects: JSON.stringify([...store.all()]),
    lookups: probes.map(([n, k]) => `${n}:${k}=${sorted(store.lookup(n, k)).join(',')}`).sort(),
    sequences: [...store.all()].map((o) => `${keyOf(o)}=${store.sequence(keyOf(o))}`),
  };
}

interface OverlayCase {
  name: string;
  change: () => Change;
  /** The objects the overlay should show, as a list of objects (after admission). */
  expectLive: (base: K8sObject[]) => K8sObject[];
}

const newIngress = deepFreeze(ingress('new', { className: 'kong', paths: [{ host: 'n.example.com', path: '/n', service: 'svc-b', port: 80 }] }));
const webMoved = deepFreeze(ingress('web', { className: 'kong', paths: [{ host: 'a.example.com', path: '/moved', service: 'svc-b', port: 80 }] }));
const aliceKey = deepFreeze(secret('alice-key', { credType: 'key-auth', stringData: { key: 'bob-password' } }));

const overlayCases: OverlayCase[] = [
  {
    name: 'CREATE of an Ingress',
    change: () => ({ operation: 'CREATE', object: newIngress }),
    expectLive: (base) => [...base, newIngress],
  },
  {
    name: 'UPDATE of an Ingress that changes its path and backend',
    change: () => ({ operation: 'UPDATE', object: webMoved, oldObject: baseObjects()[3] }),
    expectLive: (base) => base.map((o) => (keyOf(o) === keyOf(webMoved) ? webMoved : o)),
  },
  {
    name: 'DELETE of an Ingress',
    change: () => ({ operation: 'DELETE', oldObject: baseObjects()[3] }),
    expectLive: (base) => base.filter((o) => o.metadata.name !== 'web'),
  },
  {
    name: 'CREATE of a credential Secret sharing a key with an existing one',
    change: () => ({ operation: 'CREATE', object: aliceKey }),
    expectLive: (base) => [...base, aliceKey],
  },
  {
    name: 'DELETE of a Consumer',
    change: () => ({ operation: 'DELETE', oldObject: consumer('bob', { username: 'bob' }) }),
    expectLive: (base) => base.filter((o) => o.kind !== 'KongConsumer'),
  },
];

for (const c of overlayCases) {
  test(`Overlay ${c.name}: get, list and lookup see the change; the base store is untouched`, () => {
    const base = baseObjects();
    const store = new Store(base);
    const before = snapshot(store);
    const change = c.change();
    const overlay = new Overlay(store, change);
    const live = c.expectLive(base);
    const subjectKey = keyOf((change.object ?? change.oldObject)!);

    // get
    for (const obj of live) {
      const got = overlay.get(keyOf(obj));
      assert.ok(got, `get ${keyOf(obj)}`);
      if (keyOf(obj) !== subjectKey) assert.equal(got, store.get(keyOf(obj)), 'untouched objects are the base instances, not copies');
    }
    if (change.operation === 'DELETE') assert.equal(overlay.get(subjectKey), undefined);
    else assert.equal(overlay.get(subjectKey), overlay.object);
    if (change.object && change.object.kind !== 'Secret') assert.equal(overlay.object, change.object, 'the changed object is used as given, not copied');

    // list, for every kind in either side
    for (const kind of new Set([...base, ...live].map((o) => o.kind))) {
      const listed = [...overlay.list(kind)];
      assert.deepEqual(sorted(listed), sorted(live.filter((o) => o.kind === kind)), `list(${kind})`);
      assert.equal(new Set(listed.map(keyOf)).size, listed.length, 'no duplicates');
    }

    // lookup: exactly the base state with the change applied
    assertIndexesConsistent(overlay, live, [...base, ...live]);

    // the base is unchanged
    assert.deepEqual(snapshot(store), before);
    if (change.operation === 'CREATE') assert.equal(store.get(subjectKey), undefined);
    else assert.ok(store.get(subjectKey));
  });
}

test('Overlay: a created Secret is redacted and found through the credential index', () => {
  const store = new Store(baseObjects());
  const overlay = new Overlay(store, { operation: 'CREATE', object: aliceKey });
  assert.equal(overlay.object?.stringData, undefined);
  assert.ok(!JSON.stringify(overlay.object).includes('bob-password'));
  assert.deepEqual(overlay.lookup('credential', credKey('key-auth', 'bob-password')).map((o) => o.metadata.name).sort(), ['alice-key', 'bob-key']);
  assert.deepEqual(store.lookup('credential', credKey('key-auth', 'bob-password')).map((o) => o.metadata.name), ['bob-key']);
});

test('Overlay: sequence puts a created object after everything stored, keeps stored arrivals', () => {
  const store = new Store(baseObjects());
  const created = new Overlay(store, { operation: 'CREATE', object: newIngress });
  assert.equal(created.sequence(keyOf(newIngress)), Number.POSITIVE_INFINITY);
  const web = keyOf(baseObjects()[3]!);
  assert.equal(created.sequence(web), store.sequence(web));
  const updated = new Overlay(store, { operation: 'UPDATE', object: webMoved });
  assert.equal(updated.sequence(web), store.sequence(web));
});

test('Overlay: a change needs an object or an oldObject', () => {
  assert.throws(() => new Overlay(new Store(), { operation: 'CREATE' }), /object or an oldObject/);
});

test('Overlay: DELETE of an object the base never had is harmless', () => {
  const store = new Store(baseObjects());
  const overlay = new Overlay(store, { operation: 'DELETE', oldObject: service('ghost') });
  assert.equal(overlay.get(svcKey('ghost')), undefined);
  assert.deepEqual(sorted(overlay.list('Service')), sorted(store.list('Service')));
});

// ---------------------------------------------------------------- olderFirst

interface OrderCase {
  name: string;
  /** Objects in store arrival order. */
  stored: K8sObject[];
  /** An object only the overlay has (a CREATE), if any. */
  created?: K8sObject;
  /** Names, oldest first. */
  want: string[];
}

const c = (name: string, created?: string | number) => consumer(name, created === undefined ? {} : { created });

const orderCases: OrderCase[] = [
  { name: 'creation timestamps decide, whatever the arrival order', stored: [c('late', 30), c('early', 10), c('mid', 20)], want: ['early', 'mid', 'late'] },
  { name: 'equal timestamps fall back to arrival order', stored: [c('first', 10), c('second', 10), c('third', 10)], want: ['first', 'second', 'third'] },
  { name: 'no timestamps: arrival order', stored: [c('z'), c('a'), c('m')], want: ['z', 'a', 'm'] },
  { name: 'an unparseable timestamp counts as none: before every timestamped object', stored: [c('good', 10), c('bad', 'yesterday')], want: ['bad', 'good'] },
  { name: 'a created object comes after stored ones with the same timestamp', stored: [c('stored', 10)], created: c('created', 10), want: ['stored', 'created'] },
  { name: 'a created object with an older timestamp is older', stored: [c('stored', 10)], created: c('created', 5), want: ['created', 'stored'] },
];

for (const oc of orderCases) {
  test(`olderFirst: ${oc.name}`, () => {
    const store = new Store(oc.stored);
    const view: StateView = oc.created ? new Overlay(store, { operation: 'CREATE', object: oc.created }) : store;
    const all = [...oc.stored, ...(oc.created ? [oc.created] : [])];
    for (const input of [all, [...all].reverse()]) {
      assert.deepEqual([...input].sort(olderFirst(view, keyOf)).map((o) => o.metadata.name), oc.want);
    }
  });
}

test('olderFirst: two objects unknown to the view and without timestamps are ordered by key', () => {
  const order = olderFirst(new Store(), keyOf);
  assert.ok(order(c('a'), c('b')) < 0);
  assert.ok(order(c('b'), c('a')) > 0);
  assert.equal(order(c('a'), c('a')), 0);
});

test(
  'olderFirst is a consistent order when only some objects carry a creationTimestamp',
  () => {
    // arrival: late(ts 10) first, none second, early(ts 5) third
    const late = c('late', 10);
    const none = c('none');
    const early = c('early', 5);
    const store = new Store([late, none, early]);
    const order = olderFirst(store, keyOf);
    const oldest = (input: K8sObject[]) => [...input].sort(order)[0]!.metadata.name;
    // Comparing timestamps only when both exist and arrival otherwise would make a cycle
    // (early < late, none < early, late < none); the oldest must not depend on the input order.
    const perms = [[early, none, late], [late, early, none], [none, late, early], [late, none, early]];
    assert.deepEqual(new Set(perms.map(oldest)).size, 1, perms.map(oldest).join(' / '));
  },
);
