// Every rule's own examples, as `ingress-guard rules ID` shows them: the bad one is found, the good one is not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit, evaluate } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { RULES } from '../../src/rules/index.ts';
import { Store } from '../../src/state/store.ts';
import { yamlObjects } from '../helpers.ts';

for (const rule of RULES) {
  test(`${rule.id}: has examples; the bad one is found, the good one is not`, () => {
    assert.ok(rule.examples, `${rule.id} has no examples`);
    assert.equal(rule.examples.state !== undefined, rule.judgesChanges === true, `${rule.id}: a rule that judges changes shows changes to a state, and only such a rule`);
    const { state } = rule.examples;
    // A change rule's examples are changes to `state`, judged as `check --state` judges them (each object in turn).
    const found = (yaml: string) =>
      (state === undefined
        ? audit(new Store(yamlObjects(yaml)), DEFAULT_POLICY)
        : yamlObjects(yaml).flatMap((object) => {
            const v = evaluate(new Store(yamlObjects(state)), { operation: 'CREATE', object }, DEFAULT_POLICY);
            return [...v.denials, ...v.warnings];
          })
      ).filter((f) => f.rule === rule.id);
    assert.ok(found(rule.examples.bad).length > 0, `${rule.id}: the bad example produces no finding`);
    assert.deepEqual(found(rule.examples.good).map((f) => f.message), [], `${rule.id}: the good example produces a finding`);
  });
}
