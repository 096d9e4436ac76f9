// The benchmark's generator: deterministic, the requested size, and reviews the real engine judges as
// the bench expects (so it never silently measures the wrong thing). No timing assertions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateCluster, workloads, FIXED_OBJECTS, WORKLOADS } from '../../bench/generate.ts';
import { parseReview } from '../../src/admission/review.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { keyOf } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';

test('bench generator: the same seed gives the same cluster and reviews, another seed another', () => {
  const a = generateCluster(1000, 7);
  const b = generateCluster(1000, 7);
  assert.equal(JSON.stringify(a.objects), JSON.stringify(b.objects));
  assert.equal(JSON.stringify(workloads(a)), JSON.stringify(workloads(b)));
  assert.notEqual(JSON.stringify(generateCluster(1000, 8).objects), JSON.stringify(a.objects));
});

test('bench generator: exactly the requested count (tolerance 0), unique keys, all kinds present', () => {
  for (const n of [FIXED_OBJECTS, 1000, 1234, 10_000]) {
    const { objects } = generateCluster(n);
    assert.equal(objects.length, n);
    assert.equal(new Set(objects.map(keyOf)).size, n, `duplicate keys at ${n}`);
  }
  const kinds = new Set(generateCluster(1000).objects.map((o) => o.kind));
  for (const kind of ['IngressClass', 'GatewayClass', 'Gateway', 'Service', 'EndpointSlice', 'Ingress', 'Secret', 'KongPlugin', 'KongClusterPlugin', 'KongConsumer', 'KongConsumerGroup', 'HTTPRoute']) {
    assert.ok(kinds.has(kind), `no ${kind}`);
  }
  assert.throws(() => generateCluster(FIXED_OBJECTS - 1));
});

test('bench generator: the workload namespace, hence every review, is the same at every size (1k and 10k checked)', () => {
  const bodies = [1000, 10_000].map((n) => JSON.stringify(workloads(generateCluster(n))));
  assert.equal(bodies[0], bodies[1]);
});

for (const n of [1000, 10_000]) {
  test(`bench workloads at ${n} objects: each parses as an AdmissionReview and the engine answers as expected (bob denied, the rest allowed)`, () => {
    const cluster = generateCluster(n);
    const store = new Store(cluster.objects);
    const list = workloads(cluster);
    assert.deepEqual(list.map((w) => w.name), [...WORKLOADS]);
    for (const w of list) {
      // Through JSON, as the server receives it.
      const parsed = parseReview(JSON.parse(JSON.stringify(w.review)));
      assert.ok(parsed.ok, `${w.name}: ${parsed.ok ? '' : parsed.message}`);
      assert.ok(parsed.review.change, `${w.name} is not judged`);
      const verdict = evaluate(store, parsed.review.change, DEFAULT_POLICY);
      assert.equal(verdict.allowed, w.expect === 'allowed', `${w.name}: ${[...verdict.denials, ...verdict.warnings].map((f) => f.message).join('\n')}`);
      if (w.name === 'consumer-bob-update') {
        assert.deepEqual(verdict.denials.map((f) => [f.rule, f.object.name]), [['duplicate-plugin-scope', 'route-b']]);
      } else if (w.name === 'plugin-delete') {
        // Its referrers lose the plugin: the dependants path is exercised.
        assert.ok(verdict.warnings.length > 0 && verdict.warnings.every((f) => f.rule === 'missing-plugin'));
      } else {
        assert.deepEqual(verdict.warnings, [], w.name);
      }
    }
  });
}

test('bench generator: the generated state itself judges clean on the objects the workloads touch', () => {
  const cluster = generateCluster(1000);
  const store = new Store(cluster.objects);
  // Re-applying any object unchanged is allowed: nothing in the synthetic cluster is broken by construction. It has
  // consumer groups, which only Kong Enterprise has (consumer-group-needs-enterprise): judged as Enterprise.
  const enterprise = { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, kongEdition: 'enterprise' as const } };
  for (const obj of cluster.objects.filter((o) => o.metadata.namespace === cluster.workloadNamespace || o.metadata.namespace === 'default')) {
    const verdict = evaluate(store, { operation: 'UPDATE', object: obj, oldObject: obj }, enterprise);
    assert.equal(verdict.allowed, true, keyOf(obj));
    assert.deepEqual(verdict.warnings.filter((f) => f.preexisting), [], keyOf(obj));
  }
});
