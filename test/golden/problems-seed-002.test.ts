// Seed 002 replayed as a sequence of states that bypass admission: what KIC's fallback would do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { ProblemTracker } from '../../src/engine/problems.ts';
import { Store } from '../../src/state/store.ts';
import { objectsFrom, SEED_002_SETUP, withAnnotations } from '../helpers.ts';

const BOB = 'configuration.konghq.com/KongConsumer:default/bob';
const names = (list: { kind: string; name: string }[] | undefined) => (list ?? []).map((o) => `${o.kind}/${o.name}`).sort();

async function tracked(): Promise<{ store: Store; problems: ProblemTracker }> {
  const store = new Store(await objectsFrom(...SEED_002_SETUP));
  const problems = new ProblemTracker(store, DEFAULT_POLICY);
  store.subscribe((before, after) => problems.observe(before, after));
  return { store, problems };
}

test('problems: the valid setup is not-triggered', async () => {
  const { problems } = await tracked();
  assert.deepEqual(problems.report(), { status: 'not-triggered' });
});

test('problems: bob loses his annotation: rate-limit-consumer is broken, route-b excluded, bob backfilled', async () => {
  const { store, problems } = await tracked();
  store.upsert(withAnnotations(store.get(BOB)!, { 'konghq.com/plugins': undefined }));
  const report = problems.report();
  assert.equal(report.status, 'triggered');
  assert.deepEqual(names(report.brokenObjects), ['KongPlugin/rate-limit-consumer']);
  assert.equal(report.brokenObjects![0]!.findings[0]!.rule, 'duplicate-plugin-scope');
  assert.match(report.brokenObjects![0]!.findings[0]!.message, /HTTPRoute default\/route-b/);
  assert.deepEqual(names(report.excludedObjects), ['HTTPRoute/route-b', 'KongPlugin/rate-limit-consumer']);
  for (const o of report.excludedObjects!) assert.deepEqual(o.causingObjects, ['configuration.konghq.com/KongPlugin:default/rate-limit-consumer']);
  assert.deepEqual(names(report.backfilledObjects), ['HTTPRoute/route-b', 'KongConsumer/bob', 'KongPlugin/rate-limit-consumer']);
  const route = report.excludedObjects!.find((o) => o.name === 'route-b')!;
  assert.deepEqual({ group: route.group, namespace: route.namespace, version: route.version }, { group: 'gateway.networking.k8s.io', namespace: 'default', version: 'v1' });
  // The last valid bob is the one from before the breaking change.
  assert.equal(problems.lastValid.get(BOB)!.metadata.annotations!['konghq.com/plugins'], 'rate-limit-consumer');
});

test('problems: restoring the annotation clears the report', async () => {
  const { store, problems } = await tracked();
  const bob = store.get(BOB)!;
  store.upsert(withAnnotations(bob, { 'konghq.com/plugins': undefined }));
  store.upsert(bob);
  assert.deepEqual(problems.report(), { status: 'not-triggered' });
});

test('problems: bob broken, fixed, then broken again: the last valid bob is the fixed one, and only broken objects hold a version', async () => {
  const { store, problems } = await tracked();
  const original = store.get(BOB)!;
  const broken = (marker: string) => withAnnotations(original, { 'konghq.com/plugins': undefined, 'example.com/step': marker });
  assert.equal(problems.lastValid.heldCount, 0, 'every object is valid: the store holds every last valid version');
  store.upsert(broken('1'));
  assert.equal(problems.lastValid.get(BOB), original);
  const fixed = store.upsert(withAnnotations(original, { 'example.com/step': '2' }));
  assert.equal(problems.lastValid.get(BOB), fixed);
  assert.equal(problems.lastValid.heldCount, 0);
  assert.deepEqual(problems.report(), { status: 'not-triggered' });
  store.upsert(broken('3'));
  assert.equal(problems.lastValid.get(BOB), fixed, 'the version from before the second breaking change');
  assert.equal(problems.lastValid.heldCount, 1, "only bob is held: the broken plugin's current version is still its last valid one");
  const report = problems.report();
  assert.deepEqual(names(report.brokenObjects), ['KongPlugin/rate-limit-consumer']);
  assert.deepEqual(names(report.backfilledObjects), ['HTTPRoute/route-b', 'KongConsumer/bob', 'KongPlugin/rate-limit-consumer']);
  store.upsert(fixed);
  assert.equal(problems.lastValid.get(BOB), fixed);
  assert.deepEqual(problems.report(), { status: 'not-triggered' });
});

test('problems: a state loaded broken (no last valid version) excludes but cannot backfill bob', async () => {
  const objects = await objectsFrom(...SEED_002_SETUP);
  const store = new Store(objects.map((o) => (o.kind === 'KongConsumer' ? withAnnotations(o, { 'konghq.com/plugins': undefined }) : o)));
  const report = new ProblemTracker(store, DEFAULT_POLICY).report();
  assert.deepEqual(names(report.brokenObjects), ['KongPlugin/rate-limit-consumer']);
  assert.deepEqual(names(report.excludedObjects), ['HTTPRoute/route-b', 'KongPlugin/rate-limit-consumer']);
  assert.ok(!names(report.backfilledObjects).includes('KongConsumer/bob'));
});

test('problems: incremental updates equal a rebuild from scratch after every event', async () => {
  const { store, problems } = await tracked();
  const bob = store.get(BOB)!;
  const steps = [
    () => store.upsert(withAnnotations(bob, { 'konghq.com/plugins': undefined })),
    () => store.delete('configuration.konghq.com/KongPlugin:default/key-auth'),
    () => store.delete('core/Service:default/echo'),
    () => store.upsert(bob),
  ];
  for (const step of steps) {
    step();
    const fresh = new ProblemTracker(store, DEFAULT_POLICY);
    const ids = (t: ProblemTracker) => t.allFindings().map((f) => f.id).sort();
    assert.deepEqual(ids(problems), ids(fresh));
    assert.deepEqual(problems.report().brokenObjects, fresh.report().brokenObjects);
    assert.deepEqual(problems.report().excludedObjects, fresh.report().excludedObjects);
  }
});

test('evaluate with the report\'s current findings as the "before" side gives exactly the verdicts it gives alone', async () => {
  const { generateCluster, workloads } = await import('../../bench/generate.ts');
  const { evaluate } = await import('../../src/engine/evaluate.ts');
  const cluster = generateCluster(1000);
  const store = new Store(cluster.objects);
  const problems = new ProblemTracker(store, DEFAULT_POLICY);
  const bob = store.get(BOB)!;
  const changes = [
    ...workloads(cluster).map((w) => {
      const r = w.review.request as unknown as { operation: 'CREATE' | 'UPDATE' | 'DELETE'; object: never; oldObject: never };
      return r.operation === 'DELETE' ? { operation: r.operation, oldObject: r.oldObject } : r.operation === 'UPDATE' ? { operation: r.operation, object: r.object, oldObject: r.oldObject } : { operation: r.operation, object: r.object };
    }),
    { operation: 'UPDATE' as const, object: withAnnotations(bob, { 'konghq.com/plugins': undefined }), oldObject: bob },
    { operation: 'DELETE' as const, oldObject: store.get('configuration.konghq.com/KongPlugin:default/key-auth')! },
  ];
  for (const change of changes) assert.deepEqual(evaluate(store, change, DEFAULT_POLICY, problems), evaluate(store, change, DEFAULT_POLICY));
});
