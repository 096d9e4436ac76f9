// The one place a finding is built. Everything its text depends on (KIC's fallback consequence, the change
// that caused it, the create downgrade, whether the changed object already had it) is gathered first and
// the finding is built once: nothing rewrites a finding's message or severity afterwards.
import type { ObjectRef } from '../model/object.ts';
import type { Draft, Finding, Rule, Severity } from '../rules/rule.ts';

/** A rule's draft on one subject, before it becomes a finding. */
export interface Judged {
  rule: Rule;
  /** The rule's severity under the policy. */
  severity: Severity;
  object: ObjectRef;
  draft: Draft;
  /** Identity for before/after diffs: rule, subject key and discriminator. */
  id: string;
}

/** What judging a change adds to a finding. */
export interface Circumstances {
  /** " KIC's fallback would exclude ...": after the problem, before the fix. */
  consequence?: string;
  /** The change that caused a finding on another object than the changed one. */
  cause?: string;
  /** Introduced by a create that an object later in the same apply may still fix: only a warning. */
  downgraded?: boolean;
  /** The changed object already had it before the change: a warning. */
  preexisting?: boolean;
}

/** Whether Kong rejects the configuration a draft is about (so KIC's fallback treats its `broken` as broken). */
export function kongRejects(j: Pick<Judged, 'rule' | 'draft'>): boolean {
  return j.draft.kongRejects ?? Boolean(j.rule.kongRejects);
}

const DOWNGRADED = ' Allowed with a warning because this is a create: an object later in the same apply may still fix it (strict denies).';

export function buildFinding(j: Judged, c: Circumstances = {}): Finding {
  const problem = j.draft.message + (c.consequence ?? '');
  const finding: Finding = {
    rule: j.rule.id,
    severity: c.preexisting || c.downgraded ? 'warn' : j.severity,
    object: j.object,
    message: `${problem} Fix: ${j.draft.fix}${c.cause ? ` Caused by ${c.cause}.` : ''}${c.downgraded ? DOWNGRADED : ''}`,
    problem,
    fix: j.draft.fix,
    related: j.draft.related,
    id: j.id,
    broken: j.draft.broken ?? j.object,
    breaks: kongRejects(j),
  };
  if (j.draft.field) finding.field = j.draft.field;
  if (c.preexisting) finding.preexisting = true;
  return finding;
}
