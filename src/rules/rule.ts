// What a rule is. A rule inspects one subject object in one view and returns drafts; the engine turns
// them into findings (rule id, severity after policy, identity for diffing). Everything a rule needs besides
// the state (settings, the clock) comes through its context: the catalogue is one static list.
import type { K8sObject, ObjectRef } from '../model/object.ts';
import type { StateView } from '../state/view.ts';
import type { Translator } from '../translate/translator.ts';

export type Severity = 'deny' | 'warn';
export type Setting = Severity | 'off';

/** What the operator configured that rules read (KIC's class and controller are on `tr.config`). */
export interface RuleSettings {
  /** Custom plugins installed in Kong (KONG_PLUGINS): unknown-plugin accepts them. */
  customPlugins: readonly string[];
}

export interface RuleContext {
  tr: Translator;
  view: StateView;
  settings: RuleSettings;
  /** The judgement's clock: one instant for every rule (certificate dates). */
  now: Date;
  /** When judging the state after a change: the translator of the state before it (what things used to be). */
  before?: Translator;
}

export interface Draft {
  /** The subject's field the finding is about, e.g. `metadata.annotations["konghq.com/plugins"]`. */
  field?: string;
  /** What is wrong, the other objects and the consequence in Kong's terms. */
  message: string;
  /** What to do about it, starting lower-case: `create the Service or correct the backend name.` */
  fix: string;
  related: ObjectRef[];
  /** Distinguishes several findings of one rule on one object; stable across before/after. */
  discriminator?: string;
  /** The object Kong's error would point at, which KIC's fallback excludes; the subject by default. */
  broken?: ObjectRef;
  /** Whether Kong rejects this finding's configuration, where it differs by case within one rule; the rule's kongRejects by default. */
  kongRejects?: boolean;
}

export interface Rule {
  id: string;
  severity: Severity;
  /** A reference that may simply not exist yet (batch applies): `strict` turns its warnings into denials. */
  dangling?: boolean;
  /**
   * Introduced by creating an object, the finding may be healed by an object later in the same batch
   * apply (KIC's own fallback guide creates plugins before the consumers that scope them): a CREATE only
   * warns unless `strict`.
   */
  orderSensitiveOnCreate?: boolean;
  /**
   * Kong itself rejects the configuration (stage 3), so KIC's Fallback Configuration excludes the broken object
   * and its dependants: denials then say which. Translation failures (stage 2) only drop the object.
   */
  kongRejects?: boolean;
  /**
   * The rule judges a change, not a state (route-stolen: "this change moves another team's traffic"): it reads
   * `ctx.before` and finds nothing in a whole-state audit, so its findings in a verdict are not a whole-state
   * diff. Its examples are changes to `examples.state`.
   */
  judgesChanges?: boolean;
  summary: string;
  explanation: string;
  /**
   * Manifests (multi-document YAML) shown by `ingress-guard rules ID` and run by the test suite: `bad` on its
   * own is a state in which the rule finds something, `good` the closest neighbour in which it finds nothing.
   * With `state` (a rule that judges changes only, such as route-stolen): `bad` and `good` are changes, each
   * applied to `state` as `check --state` applies files; `bad` gets the finding, `good` does not.
   */
  examples?: { bad: string; good: string; state?: string };
  /** Kinds of subjects this rule inspects. */
  kinds: readonly string[];
  check(ctx: RuleContext, subject: K8sObject): Draft[];
}

export interface Finding {
  rule: string;
  severity: Severity;
  object: ObjectRef;
  field?: string;
  /** The whole text users read: problem, consequence, `Fix: ...`, and what caused it when judging a change. */
  message: string;
  /** The parts `message` is rendered from. */
  problem: string;
  fix: string;
  related: ObjectRef[];
  /** Identity for before/after diffs: rule, object and discriminator. */
  id: string;
  /** Set by the engine on findings the changed object already had before the change. */
  preexisting?: boolean;
  /** The object Kong's error would point at (see Draft.broken). */
  broken: ObjectRef;
  /**
   * Kong rejects the configuration (the rule's kongRejects), so KIC's fallback treats `broken` as broken. The one
   * meaning of "broken" everywhere: denials' consequence text, the problems report, its gauges, last-valid versions.
   * Other findings are translation failures, KIC webhook refusals or routing surprises: no fallback.
   */
  breaks: boolean;
}
