// The engine: evaluate(state, change) -> verdict. Rules run on the change's neighbourhood before and after
// the change; only deny-level findings the change introduces deny it, so an object that was already broken
// never blocks someone else's unrelated change.
import { describe, keyOf, refKey, refOf, type ObjectRef } from '../model/object.ts';
import { excludedBy } from '../graph/fallback.ts';
import { plainList } from '../rules/text.ts';
import type { Store } from '../state/store.ts';
import { affectedKeys } from '../graph/scope.ts';
import { ruleById, rulesFor } from '../rules/index.ts';
import type { Finding, Rule, RuleContext } from '../rules/rule.ts';
import { Overlay } from '../state/overlay.ts';
import type { Change, Operation, StateView } from '../state/view.ts';
import { Translator } from '../translate/translator.ts';
import { describeChange } from './describe-change.ts';
import { introducedSeverity, severityOf, type Policy } from './policy.ts';

export interface Verdict {
  allowed: boolean;
  operation: Operation;
  object: ObjectRef;
  /** Deny-level findings the change introduces. */
  denials: Finding[];
  /** Warn-level findings the change introduces, then findings the changed object already had. */
  warnings: Finding[];
  /** How many objects were judged (the change's neighbourhood). */
  judged: number;
}

/** Runs every enabled rule on the objects with these keys, and the plugin-peer rules on `peers`. */
export function judge(
  tr: Translator,
  policy: Policy,
  keys: Iterable<string>,
  before?: Translator,
  rules: readonly Rule[] = rulesFor(policy.customPlugins),
  peers: Iterable<string> = [],
): Finding[] {
  const findings: Finding[] = [];
  const ctx: RuleContext = before ? { tr, view: tr.view, before } : { tr, view: tr.view };
  const subjects: [string, boolean][] = [...[...keys].map((k): [string, boolean] => [k, false]), ...[...peers].map((k): [string, boolean] => [k, true])];
  for (const [key, peerOnly] of subjects) {
    const obj = tr.view.get(key);
    if (!obj || policy.ignoreNamespaces.includes(obj.metadata.namespace ?? '')) continue;
    const object = refOf(obj);
    for (const rule of rules) {
      if (!rule.kinds.includes(obj.kind) || (peerOnly && !rule.readsPluginPeers)) continue;
      const severity = severityOf(policy, rule);
      if (severity === 'off') continue;
      for (const draft of rule.check(ctx, obj)) {
        const finding: Finding = {
          rule: rule.id,
          severity,
          object,
          message: `${draft.message} Fix: ${draft.fix}`,
          problem: draft.message,
          fix: draft.fix,
          related: draft.related,
          id: `${rule.id}|${key}|${draft.discriminator ?? ''}`,
          broken: draft.broken ?? object,
        };
        if (draft.field) finding.field = draft.field;
        findings.push(finding);
      }
    }
  }
  return findings;
}

/** Every finding in a whole state (the `check` command and audits). */
export function audit(store: Store, policy: Policy): Finding[] {
  const tr = new Translator(store, policy.translate);
  return judge(tr, policy, [...store.all()].map(keyOf));
}

/** Findings of the state as it is, for these objects (the problems report keeps them current). */
export type KnownFindings = (keys: Iterable<string>, peers: Iterable<string>) => Finding[];

/**
 * `known`, when given, must hold the current findings of exactly `view` under `policy`: the engine then
 * judges only the state after the change, not the one before it.
 */
export function evaluate(view: StateView, change: Change, policy: Policy, known?: KnownFindings): Verdict {
  const subject = change.object ?? change.oldObject;
  if (!subject) throw new Error('a change needs an object or an oldObject');
  const object = refOf(subject);
  const verdict: Verdict = { allowed: true, operation: change.operation, object, denials: [], warnings: [], judged: 0 };
  if (policy.ignoreNamespaces.includes(object.namespace ?? '')) return verdict;

  const after = new Overlay(view, change);
  const trBefore = new Translator(view, policy.translate);
  const trAfter = new Translator(after, policy.translate);
  const stored = view.get(after.key);
  const { keys, peers } = affectedKeys(after.key, [
    { tr: trBefore, object: stored },
    { tr: trAfter, object: after.object },
  ]);
  verdict.judged = keys.size + peers.size;

  const beforeFindings = known ? known(keys, peers) : judge(trBefore, policy, keys, undefined, undefined, peers);
  const beforeIds = new Set(beforeFindings.map((f) => f.id));
  const cause = describeChange(change, stored);
  for (const finding of judge(trAfter, policy, keys, trBefore, undefined, peers)) {
    const onChanged = refKey(finding.object) === after.key;
    if (beforeIds.has(finding.id)) {
      if (onChanged) verdict.warnings.push({ ...finding, severity: 'warn', preexisting: true });
      continue;
    }
    // The consequence belongs before the fix, the cause after it.
    if (finding.severity === 'deny' && ruleById(finding.rule)?.kongRejects) finding.problem += fallbackConsequence(after, finding);
    finding.message = `${finding.problem} Fix: ${finding.fix}`;
    if (!onChanged) finding.message += ` Caused by ${cause}.`;
    const severity = introducedSeverity(policy, ruleById(finding.rule)!, finding.severity, change.operation);
    if (severity !== finding.severity) {
      finding.severity = severity;
      finding.message += ' Allowed with a warning because this is a create: an object later in the same apply may still fix it (strict denies).';
    }
    (finding.severity === 'deny' ? verdict.denials : verdict.warnings).push(finding);
  }
  verdict.warnings.sort((a, b) => Number(a.preexisting ?? false) - Number(b.preexisting ?? false));
  verdict.allowed = verdict.denials.length === 0;
  return verdict;
}

/** "KIC's fallback would exclude X and its dependants Y, Z." for the object a denial breaks. */
function fallbackConsequence(view: StateView, finding: Finding): string {
  const excluded = [...excludedBy(view, [refKey(finding.broken)]).keys()].map((k) => describe(refOf(view.get(k)!)));
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
