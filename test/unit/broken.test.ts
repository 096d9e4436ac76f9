// One meaning of "broken": only configurations Kong rejects trigger KIC's fallback. The problems report, its
// last valid versions and the denials' consequence text all follow the finding's `breaks`, whatever the severity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { ProblemTracker } from '../../src/engine/problems.ts';
import { keyOf, type K8sObject } from '../../src/model/object.ts';
import { ruleById } from '../../src/rules/index.ts';
import { Store } from '../../src/state/store.ts';
import { yamlObjects, withAnnotations } from '../helpers.ts';

const bad = (rule: string): K8sObject[] => yamlObjects(ruleById(rule)!.examples!.bad);
const names = (list: { kind: string; name: string }[] | undefined) => (list ?? []).map((o) => `${o.kind}/${o.name}`).sort();

test('a deny finding Kong accepts (duplicate-default-backend) is listed as denied, not broken: no fallback', () => {
  const report = new ProblemTracker(new Store(bad('duplicate-default-backend')), DEFAULT_POLICY).report();
  assert.equal(report.status, 'not-triggered');
  assert.equal(report.brokenObjects, undefined);
  assert.equal(report.excludedObjects, undefined);
  assert.deepEqual(names(report.deniedObjects), ['Ingress/fallback-2']);
  assert.equal(report.deniedObjects![0]!.findings[0]!.rule, 'duplicate-default-backend');
});

test('a finding Kong rejects (duplicate-plugin-scope) is broken and excludes its dependants', () => {
  const report = new ProblemTracker(new Store(bad('duplicate-plugin-scope')), DEFAULT_POLICY).report();
  assert.equal(report.status, 'triggered');
  assert.ok(report.brokenObjects!.length > 0);
  assert.equal(report.deniedObjects, undefined);
});

test('Kong rejects a configuration whatever severity the policy gives the rule: a warn-level plugin-config-invalid is still broken', () => {
  const policy: Policy = { ...DEFAULT_POLICY, rules: { 'plugin-config-invalid': 'warn' } };
  const report = new ProblemTracker(new Store(bad('plugin-config-invalid')), policy).report();
  assert.equal(report.status, 'triggered');
  assert.deepEqual([...new Set(report.brokenObjects!.flatMap((o) => o.findings.map((f) => f.rule)))], ['plugin-config-invalid']);
});

const INGRESS = yamlObjects(ruleById('invalid-kong-annotation')!.examples!.good);
const annotated = (value: string): K8sObject[] =>
  INGRESS.map((o) => (o.kind === 'Ingress' ? withAnnotations(o, { 'konghq.com/path-handling': value }) : o));

const CASES: { value: string; broken: boolean }[] = [
  // KIC's own check is /v\d/: "v2" passes it and Kong refuses it; "v9x" too. "sideways" KIC drops (a log line).
  { value: 'v2', broken: true },
  { value: 'sideways', broken: false },
];
for (const c of CASES) {
  test(`invalid-kong-annotation path-handling "${c.value}": ${c.broken ? 'Kong rejects it (broken)' : 'KIC ignores it (denied, no fallback)'}`, () => {
    const report = new ProblemTracker(new Store(annotated(c.value)), DEFAULT_POLICY).report();
    assert.equal(report.status, c.broken ? 'triggered' : 'not-triggered');
    assert.deepEqual(names(c.broken ? report.brokenObjects : report.deniedObjects).filter((n) => n.startsWith('Ingress/')).length, 1);
  });
}

test('denials carry the fallback consequence only when Kong rejects the configuration', () => {
  const store = new Store(INGRESS);
  const ingress = INGRESS.find((o) => o.kind === 'Ingress')!;
  const verdict = (value: string) => evaluate(store, { operation: 'UPDATE', object: withAnnotations(ingress, { 'konghq.com/path-handling': value }), oldObject: ingress }, DEFAULT_POLICY);
  const rejected = verdict('v2');
  assert.equal(rejected.allowed, false);
  assert.match(rejected.denials[0]!.message, /KIC's fallback would exclude Ingress/);
  const ignored = verdict('sideways');
  assert.equal(ignored.allowed, false);
  assert.doesNotMatch(ignored.denials[0]!.message, /fallback would exclude/);
});

test("an update that only brings a finding Kong accepts is still the object's last valid version (Kong took it)", () => {
  const store = new Store(INGRESS);
  const tracker = new ProblemTracker(store, DEFAULT_POLICY);
  store.subscribe((before, after) => tracker.observe(before, after));
  const ingress = INGRESS.find((o) => o.kind === 'Ingress')!;
  const ignoredValue = withAnnotations(ingress, { 'konghq.com/path-handling': 'sideways' });
  store.upsert(ignoredValue);
  assert.equal(tracker.lastValid.get(keyOf(ingress)), store.get(keyOf(ingress)));
  const rejected = withAnnotations(ingress, { 'konghq.com/path-handling': 'v2' });
  store.upsert(rejected);
  assert.equal(tracker.lastValid.get(keyOf(ingress))!.metadata.annotations!['konghq.com/path-handling'], 'sideways');
});
