// Running the rules on subjects: one finding per draft, and, over a RecordingView, what each rule read to
// find it (per subject, a bit per rule of the subject's kind), so that a change re-judges only the
// (subject, rule) pairs whose reads it touches.
import { refOf } from '../model/object.ts';
import { RULES } from '../rules/index.ts';
import type { Finding, Rule, RuleContext } from '../rules/rule.ts';
import { RecordingView, type Read } from '../state/reads.ts';
import type { Translator } from '../translate/translator.ts';
import { buildFinding, type Judged } from './finding.ts';
import { severityOf, type Policy } from './policy.ts';

/** Subjects to judge, each with the rules to run: bit i is the i-th rule of the subject's kind (kindRules). */
export type Scope = Map<string, number>;

/** Every rule of the subject's kind. */
export const EVERY_RULE = -1;

/** What one subject's rules read: read -> the bits of the rules that made it. */
export type SubjectReads = Map<Read, number>;

const byKind = new WeakMap<readonly Rule[], Map<string, readonly Rule[]>>();

/** The rules of a catalogue that inspect subjects of one kind, in catalogue order (the bit order of a Scope). */
export function kindRules(rules: readonly Rule[], kind: string): readonly Rule[] {
  let kinds = byKind.get(rules);
  if (!kinds) byKind.set(rules, (kinds = new Map()));
  let found = kinds.get(kind);
  if (!found) {
    found = rules.filter((r) => r.kinds.includes(kind));
    if (found.length > 31) throw new Error(`${found.length} rules inspect ${kind}: a Scope holds 31 bits`);
    kinds.set(kind, found);
  }
  return found;
}

/** The bit of rule `id` among the rules of `kind` (0 when no such rule inspects that kind). */
export function ruleBit(kind: string, id: string): number {
  const i = kindRules(RULES, kind).findIndex((r) => r.id === id);
  return i < 0 ? 0 : 1 << i;
}

/** A whole-state scope: every rule on every object. */
export function everything(keys: Iterable<string>): Scope {
  return new Map([...keys].map((k) => [k, EVERY_RULE]));
}

export interface JudgeOptions {
  /** When judging the state after a change: the translator of the state before it (for messages). */
  before?: Translator;
  /** Only these rules (tests judge one family); the whole catalogue by default. */
  rules?: readonly Rule[];
  /** The clock rules see (certificate dates); now by default. */
  now?: Date;
  /** Receives what each subject's rules read (needs a translator over a RecordingView). */
  reads?: (subject: string, reads: SubjectReads) => void;
}

/** Runs the scope's rules on its subjects (absent objects and ignored namespaces yield nothing): their findings. */
export function judge(tr: Translator, policy: Policy, scope: Scope, options: JudgeOptions = {}): Finding[] {
  return judgeDrafts(tr, policy, scope, options).map((j) => buildFinding(j));
}

/** The drafts behind `judge`, for a caller that has more to say in each finding (evaluate). */
export function judgeDrafts(tr: Translator, policy: Policy, scope: Scope, options: JudgeOptions = {}): Judged[] {
  const judged: Judged[] = [];
  const ctx: RuleContext = { tr, view: tr.view, settings: { customPlugins: policy.customPlugins }, now: options.now ?? new Date() };
  if (options.before) ctx.before = options.before;
  const recorder = options.reads && tr.view instanceof RecordingView ? tr.view : undefined;
  const catalogue = options.rules ?? RULES;
  for (const [key, bits] of scope) {
    const obj = tr.view.get(key);
    if (!obj || policy.ignoreNamespaces.includes(obj.metadata.namespace ?? '')) continue;
    const object = refOf(obj);
    const reads: SubjectReads = new Map();
    kindRules(catalogue, obj.kind).forEach((rule, i) => {
      const bit = 1 << i;
      if (!(bits & bit)) return;
      const severity = severityOf(policy, rule);
      if (severity === 'off') return;
      let drafts;
      if (recorder) {
        let made: Set<Read>;
        [drafts, made] = recorder.record(() => rule.check(ctx, obj));
        for (const read of made) reads.set(read, (reads.get(read) ?? 0) | bit);
      } else drafts = rule.check(ctx, obj);
      for (const draft of drafts) judged.push({ rule, severity, object, draft, id: `${rule.id}|${key}|${draft.discriminator ?? ''}` });
    });
    options.reads?.(key, reads);
  }
  return judged;
}
