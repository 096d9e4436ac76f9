// Reads a test/fixtures/kic-docs fixture: its steps, each a list of objects applied in order (see
// scripts/kic-docs/extract.ts, which writes them). Shared by test/golden/kic-docs.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { StateCheck } from '../../src/cli/check.ts';
import type { Policy } from '../../src/engine/policy.ts';
import type { Finding } from '../../src/rules/rule.ts';
import { parseManifests } from '../../src/state/manifests.ts';
import { Store } from '../../src/state/store.ts';
import type { K8sObject } from '../../src/model/object.ts';

export interface Step {
  n: number;
  tab: string | undefined;
  label: string;
  objects: K8sObject[];
}

export function readSteps(path: string): { header: string; steps: Step[] } {
  const text = readFileSync(path, 'utf8');
  const [header, ...chunks] = text.split(/^---\n(?=# step )/m);
  const steps = chunks.map((chunk) => {
    const m = /^# step (\d+)(?: \[([\w-]+)\])?: (.*)$/m.exec(chunk);
    assert.ok(m, `${path}: a step without its "# step N: ..." line`);
    const loaded = parseManifests(chunk, `${path} step ${m[1]}`);
    assert.deepEqual(loaded.problems, [], `${path} step ${m[1]}`);
    return { n: Number(m[1]), tab: m[2], label: m[3]!, objects: loaded.objects.map((o) => o.object) };
  });
  return { header: header!, steps };
}

/** The tabs a fixture's steps name ("default" when none). */
export function variantsOf(steps: Step[]): string[] {
  const tabs = [...new Set(steps.flatMap((s) => (s.tab ? [s.tab] : [])))].sort();
  return tabs.length ? tabs : ['default'];
}

export interface Judged {
  step: number;
  object: string;
  allowed: boolean;
  findings: Finding[];
}

/**
 * Applies the steps of one tab in order, each object as a change judged as the webhook judges it (StateCheck, the
 * code path of `check --state`). A denied object is still applied afterwards, so the page's later steps are judged
 * against the state the page means to build.
 */
export function replay(steps: Step[], variant: string, policy: Policy): Judged[] {
  const check = new StateCheck(new Store([]), policy);
  const out: Judged[] = [];
  for (const step of steps) {
    if (step.tab && step.tab !== variant) continue;
    for (const object of step.objects) {
      const result = check.judge(object)!;
      const v = result.verdict;
      if (!v.allowed) check.store.upsert(object);
      out.push({ step: step.n, object: `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`, allowed: v.allowed, findings: [...v.denials, ...v.warnings] });
    }
  }
  return out;
}
