// The problems report built in slices that yield to the event loop: the same judgement as a synchronous
// rebuild, timers run while it is in progress, events in the meantime are followed, and a change judged
// mid-rebuild gets the verdict it gets afterwards, with a warning that the report is incomplete.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateCluster, workloads } from '../../bench/generate.ts';
import { evaluate, type Verdict } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { followStore } from '../../src/engine/follow.ts';
import { ProblemTracker } from '../../src/engine/problems.ts';
import { keyOf, type K8sObject } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';
import type { Change } from '../../src/state/view.ts';
import { withAnnotations } from '../helpers.ts';

const cluster = generateCluster(3000);
const ids = (t: ProblemTracker) => t.allFindings().map((f) => f.id).sort();
const shape = (v: Verdict) => ({ allowed: v.allowed, denials: v.denials.map((f) => f.id).sort(), warnings: v.warnings.map((f) => `${f.id} ${f.preexisting ?? false}`).sort() });
const changes: Change[] = workloads(cluster).map((w) => {
  const r = w.review.request as unknown as { operation: Change['operation']; object: K8sObject | null; oldObject: K8sObject | null };
  return { operation: r.operation, ...(r.object ? { object: r.object } : {}), ...(r.oldObject ? { oldObject: r.oldObject } : {}) };
});

function followed(): { store: Store; tracker: ProblemTracker } {
  const store = new Store(cluster.objects);
  const tracker = new ProblemTracker(store, DEFAULT_POLICY, { deferred: true });
  store.subscribe((before, after) => tracker.observe(before, after));
  return { store, tracker };
}

test('a rebuild in slices lets a timer set at its start run while it is still rebuilding, and ends with the synchronous judgement', async () => {
  const { store, tracker } = followed();
  assert.ok(tracker.incomplete(), 'deferred: incomplete until built');
  let firedWhileRebuilding: boolean | undefined;
  let slices = 0;
  const ticker = setInterval(() => slices++, 0);
  setTimeout(() => (firedWhileRebuilding = tracker.rebuilding), 0);
  const done = tracker.rebuildInSlices({ budgetMs: 5 });
  assert.equal(tracker.rebuilding, true);
  await done;
  clearInterval(ticker);
  assert.equal(firedWhileRebuilding, true, 'the timer ran before the rebuild ended');
  assert.ok(slices > 1, `the event loop turned during the rebuild (${slices} timer ticks)`);
  assert.equal(tracker.rebuilding, false);
  assert.equal(tracker.incomplete(), undefined);
  const fresh = new ProblemTracker(store, DEFAULT_POLICY);
  assert.deepEqual(ids(tracker), ids(fresh));
  assert.deepEqual(tracker.report(), fresh.report());
});

test('changes judged mid-rebuild carry the warning and get the verdict they get once the report is complete', async () => {
  const { store, tracker } = followed();
  const mid: { verdict: Verdict; warning: string | undefined }[] = [];
  const done = tracker.rebuildInSlices({ budgetMs: 5 });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(tracker.rebuilding, true, 'still rebuilding when the reviews come');
  for (const change of changes) mid.push({ verdict: evaluate(store, change, DEFAULT_POLICY, tracker), warning: tracker.incomplete() });
  await done;
  changes.forEach((change, i) => {
    assert.match(mid[i]!.warning ?? '', /problems report is being built \(\d+ of \d+ objects judged\)/);
    assert.deepEqual(shape(mid[i]!.verdict), shape(evaluate(store, change, DEFAULT_POLICY, tracker)), `${change.operation} ${keyOf((change.object ?? change.oldObject)!)}`);
  });
  assert.ok(mid.some((m) => !m.verdict.allowed), 'one of them is denied');
});

test('events during a rebuild in slices are followed: the report ends equal to a rebuild of the final state', async () => {
  const { store, tracker } = followed();
  const done = tracker.rebuildInSlices({ budgetMs: 5 });
  const bob = 'configuration.konghq.com/KongConsumer:default/bob';
  const events = [
    () => store.upsert(withAnnotations(store.get(bob)!, { 'konghq.com/plugins': undefined })),
    ...changes.map((c) => () => (c.object ? store.upsert(c.object) : store.delete(keyOf(c.oldObject!)))),
    () => store.delete(keyOf([...store.list('Service')][7]!)),
    // A relist: every Ingress delivered again, new objects with the same content, in one synchronous burst.
    () => [...store.list('Ingress')].forEach((o) => store.upsert(structuredClone(o))),
  ];
  for (const event of events) {
    await new Promise((resolve) => setImmediate(resolve));
    event();
  }
  await done;
  const fresh = new ProblemTracker(store, DEFAULT_POLICY);
  assert.deepEqual(ids(tracker), ids(fresh));
  assert.deepEqual(tracker.report().brokenObjects, fresh.report().brokenObjects);
});

test('followStore: a relist burst with changes turns into a rebuild in slices, which ends equal to a rebuild of the final state', async () => {
  const store = new Store(cluster.objects);
  // No budget: any second event in one turn is a burst (the default budget is time, and tests never depend on time).
  const followed = followStore(store, DEFAULT_POLICY, { burstBudgetMs: 0 });
  await followed.settled();
  assert.ok(followed.built());
  // Every Ingress delivered again with a new resourceVersion and annotation, in one loop.
  for (const [i, o] of [...store.list('Ingress')].entries()) store.upsert(withAnnotations({ ...o, metadata: { ...o.metadata, resourceVersion: `relist-${i}` } }, { 'example.com/relisted': String(i) }));
  assert.equal(followed.tracker.rebuilding, true, 'the burst started a rebuild');
  let firedWhileRebuilding: boolean | undefined;
  setTimeout(() => (firedWhileRebuilding = followed.tracker.rebuilding), 0);
  await followed.settled();
  assert.equal(firedWhileRebuilding, true);
  const fresh = new ProblemTracker(store, DEFAULT_POLICY);
  assert.deepEqual(ids(followed.tracker), ids(fresh));
  assert.deepEqual(followed.tracker.report(), fresh.report());
});
