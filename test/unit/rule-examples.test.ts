// Every rule's own examples, as `ingress-guard rules ID` shows them: the bad one is found, the good one is not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { audit } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { RULES } from '../../src/rules/index.ts';
import { Store } from '../../src/state/store.ts';
import { yamlObjects } from '../helpers.ts';

for (const rule of RULES) {
  test(`${rule.id}: has examples; the bad one is found, the good one is not`, () => {
    assert.ok(rule.examples, `${rule.id} has no examples`);
    const found = (yaml: string) => audit(new Store(yamlObjects(yaml)), DEFAULT_POLICY).filter((f) => f.rule === rule.id);
    assert.ok(found(rule.examples.bad).length > 0, `${rule.id}: the bad example produces no finding`);
    assert.deepEqual(found(rule.examples.good).map((f) => f.message), [], `${rule.id}: the good example produces a finding`);
  });
}
