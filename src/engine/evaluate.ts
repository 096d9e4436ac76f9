// The engine: evaluate(state, change) -> verdict. The change re-judges what its touched reads reach
// (state/reads.ts, engine/judgements.ts); only deny-level findings the change introduces deny it, so an
// object that was already broken never blocks someone else's unrelated change.
import { describe, keyOf, refKey, refOf, type ObjectRef } from '../model/object.ts';
import { excludedBy } from '../graph/fallback.ts';
import { plainList } from '../rules/text.ts';
import type { Finding } from '../rules/rule.ts';
import { Overlay } from '../state/overlay.ts';
import { touchedReads } from '../state/reads.ts';
import type { Change, Operation, StateView } from '../state/view.ts';
import { Translator } from '../translate/translator.ts';
import { describeChange } from './describe-change.ts';
import { buildFinding, kongRejects } from './finding.ts';
import { everything, judge, judgeDrafts } from './judge.ts';
import { Judgements, type KnownFindings } from './judgements.ts';
import { introducedSeverity, type Policy } from './policy.ts';

export interface Verdict {
  allowed: boolean;
  operation: Operation;
  object: ObjectRef;
  /** Deny-level findings the change introduces. */
  denials: Finding[];
  /** Warn-level findings the change introduces, then findings the changed object already had. */
  warnings: Finding[];
  /** How many objects were re-judged (those whose last judgement read something the change touches). */
  judged: number;
}

/** Every finding in a whole state (the `check` command and audits). */
export function audit(view: StateView, policy: Policy): Finding[] {
  return judge(new Translator(view, policy.translate), policy, everything([...view.all()].map(keyOf)));
}

/**
 * `known`, when given, must hold the current judgement of exactly `view` under `policy` (the problems report
 * does), and its translation, if any, the translation of `view`; without it the whole state is judged first, which is correct but costs the cluster's size. The
 * change re-judges the (subject, rule) pairs whose last reads it touches, plus the changed object.
 */
export function evaluate(view: StateView, change: Change, policy: Policy, known?: KnownFindings): Verdict {
  const subject = change.object ?? change.oldObject;
  if (!subject) throw new Error('a change needs an object or an oldObject');
  const object = refOf(subject);
  const verdict: Verdict = { allowed: true, operation: change.operation, object, denials: [], warnings: [], judged: 0 };
  if (policy.ignoreNamespaces.includes(object.namespace ?? '')) return verdict;

  const after = new Overlay(view, change);
  const stored = view.get(after.key);
  const before = known ?? Judgements.of(view, policy);
  const touched = touchedReads(stored, after.object);
  const scope = before.scopeOf(touched, after.key);
  verdict.judged = scope.size;

  const beforeIds = new Set(before.findingsIn(scope).map((f) => f.id));
  // The live translation of the same state, when `known` keeps one under the same settings: the "before" side
  // reuses it whole, the "after" side all but the values that read what the change touches.
  const live = known?.translation?.config === policy.translate ? known.translation : undefined;
  const trBefore = live ? live.forReview(view) : new Translator(view, policy.translate);
  const trAfter = live ? live.forReview(after, touched) : new Translator(after, policy.translate);
  // Only findings on other objects than the changed one name the change (most reviews have none).
  let cause: string | undefined;
  for (const j of judgeDrafts(trAfter, policy, scope, { before: trBefore })) {
    const onChanged = refKey(j.object) === after.key;
    if (beforeIds.has(j.id)) {
      if (onChanged) verdict.warnings.push(buildFinding(j, { preexisting: true }));
      continue;
    }
    const finding = buildFinding(j, {
      ...(kongRejects(j) ? { consequence: fallbackConsequence(after, j.draft.broken ?? j.object) } : {}),
      ...(onChanged ? {} : { cause: (cause ??= describeChange(change, stored)) }),
      downgraded: introducedSeverity(policy, j.rule, j.severity, change.operation) !== j.severity,
    });
    (finding.severity === 'deny' ? verdict.denials : verdict.warnings).push(finding);
  }
  verdict.warnings.sort((a, b) => Number(a.preexisting ?? false) - Number(b.preexisting ?? false));
  verdict.allowed = verdict.denials.length === 0;
  return verdict;
}

/** "KIC's fallback would exclude X and its dependants Y, Z." for the object a denial breaks. */
function fallbackConsequence(view: StateView, culprit: ObjectRef): string {
  const excluded = [...excludedBy(view, [refKey(culprit)]).keys()].map((k) => describe(refOf(view.get(k)!)));
  if (!excluded.length) return '';
  const [broken, ...dependants] = excluded;
  const shown = dependants.slice(0, 5);
  const more = dependants.length > shown.length ? ` and ${dependants.length - shown.length} more` : '';
  return ` KIC's fallback would exclude ${broken}${shown.length ? ` and with it ${plainList(shown)}${more}` : ''}.`;
}

/** One line per finding, as kubectl shows a denial: `rule-id: message`. */
export function formatFinding(f: Finding): string {
  return `${f.rule}: ${f.preexisting ? `(already the case before this change) ` : ''}${f.message}`;
}

export type { KnownFindings } from './judgements.ts';
