// The audit face of the engine: what KIC's Fallback Configuration would exclude from the current state,
// kept up to date one event at a time. Each event re-judges the (subject, rule) pairs whose last reads it
// touches (engine/judgements.ts), the same scope admission uses; the report itself is assembled on request.
// It is also the judgement of the current state that `serve` and `check --state` evaluate changes against.
import { excludedBy } from '../graph/fallback.ts';
import { keyOf, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import type { Finding } from '../rules/rule.ts';
import { touchedReads, type Read } from '../state/reads.ts';
import type { Store } from '../state/store.ts';
import type { StateView } from '../state/view.ts';
import { LastValid } from './last-valid.ts';
import { everything, type Scope } from './judge.ts';
import { Judgements, type KnownFindings } from './judgements.ts';
import type { Policy } from './policy.ts';

export interface ProblemObject {
  group: string;
  kind: string;
  version?: string;
  namespace?: string;
  name: string;
}

export interface BrokenObject extends ProblemObject {
  findings: { rule: string; message: string }[];
}

/** An object with deny-level findings that Kong would accept: no fallback, but KIC or Kong misbehave with it. */
export type DeniedObject = BrokenObject;

export interface AffectedObject extends ProblemObject {
  /** `group/Kind:namespace/name` of the broken objects that take this one down, as KIC prints them. */
  causingObjects: string[];
}

/**
 * Compatible with KIC's `/debug/config/fallback` (lists omitted when empty), plus the findings, plus the objects
 * denied for what KIC itself does with them (translation failures, its webhook's refusals, routing conflicts),
 * which trigger no fallback.
 */
export interface ProblemsReport {
  status: 'triggered' | 'not-triggered';
  brokenObjects?: BrokenObject[];
  excludedObjects?: AffectedObject[];
  backfilledObjects?: AffectedObject[];
  deniedObjects?: DeniedObject[];
}

/** KIC's field order: group, kind, version, namespace, name. */
function problemObject(ref: ObjectRef, obj: K8sObject | undefined): ProblemObject {
  const version = obj?.apiVersion.split('/').pop();
  return { group: ref.group, kind: ref.kind, ...(version ? { version } : {}), ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name };
}

export class ProblemTracker implements KnownFindings {
  readonly store: Store;
  readonly policy: Policy;
  /** Current findings and what each (subject, rule) read to find them. */
  private readonly judgements: Judgements;
  /** How many current findings Kong rejects name each object (as subject or as Kong's culprit). */
  private readonly breakages = new Map<string, number>();
  /** The newest version of each object whose arrival broke nothing: what backfilling would restore. */
  readonly lastValid: LastValid;
  /** Whether a whole-state judgement ever completed: before it, nothing has a last valid version but what it judged valid. */
  private built = false;

  constructor(store: Store, policy: Policy) {
    this.store = store;
    this.policy = policy;
    this.judgements = new Judgements(policy);
    this.lastValid = new LastValid(store);
    this.rebuild();
  }

  /** Judges the whole state (start-up, or after a relist); every object without deny findings is last valid. */
  rebuild(): void {
    this.judgements.clear();
    this.breakages.clear();
    const keys = [...this.store.all()].map(keyOf);
    for (const f of this.judgements.judge(this.store, everything(keys)).current) this.countBreakage(f, 1);
    // Every object without breakage is its own last valid version. On the first build, a breaking object has
    // none; on later ones, it keeps what it had (a breaking object not held had its current version judged valid).
    for (const key of keys) {
      if (!this.breaking(key)) this.lastValid.release(key);
      else if (!this.built && !this.lastValid.isHeld(key)) this.lastValid.hold(key, undefined);
    }
    this.built = true;
  }

  /**
   * Call after the store applied an event (`before` is the object's previous version, `after` its new one).
   * Re-judges what the event's touched reads reach.
   */
  observe(before: K8sObject | undefined, after: K8sObject | undefined): void {
    const subject = after ?? before;
    if (!subject) return;
    const key = keyOf(subject);
    // The last valid version before this event: the held one, else the version it replaces.
    const lastValidBefore = this.lastValid.isHeld(key) ? this.lastValid.get(key) : before;
    const scope = this.judgements.scopeOf(touchedReads(before, after), key);
    const { previous, current } = this.judgements.judge(this.store, scope);
    const previousIds = new Set(previous.map((f) => f.id));
    const introducedBreakage = current.some((f) => f.breaks && !previousIds.has(f.id));
    for (const f of previous) this.countBreakage(f, -1);
    for (const f of current) this.countBreakage(f, 1);
    for (const k of scope.keys()) {
      const obj = this.store.get(k);
      if (k === key && (introducedBreakage || (obj && this.breaking(k)))) {
        // Keep the version from before the breaking change (or from before this version, which breaks).
        if (!this.lastValid.isHeld(k)) this.lastValid.hold(k, lastValidBefore);
      } else if (obj && !this.breaking(k)) this.lastValid.release(k);
      else if (!obj && k === key) this.lastValid.release(k);
    }
  }

  private countBreakage(f: Finding, delta: number): void {
    if (!f.breaks) return;
    for (const key of new Set([refKey(f.object), refKey(f.broken)])) {
      const n = (this.breakages.get(key) ?? 0) + delta;
      if (n > 0) this.breakages.set(key, n);
      else this.breakages.delete(key);
    }
  }

  /** Whether the object has, or is blamed for, a finding Kong rejects: not a version Kong accepted, to backfill with. */
  private breaking(key: string): boolean {
    return this.breakages.has(key);
  }

  scopeOf(touched: Iterable<Read>, changedKey: string): Scope {
    return this.judgements.scopeOf(touched, changedKey);
  }

  findingsIn(scope: Scope): Finding[] {
    return this.judgements.findingsIn(scope);
  }

  /** Every current finding, deny and warn. */
  allFindings(): Finding[] {
    return this.judgements.all();
  }

  report(): ProblemsReport {
    const broken = new Map<string, BrokenObject>();
    const denied = new Map<string, DeniedObject>();
    for (const f of this.allFindings()) {
      if (!f.breaks && f.severity !== 'deny') continue;
      const ref = f.breaks ? f.broken : f.object;
      const key = refKey(ref);
      if (!this.store.get(key)) continue;
      const into = f.breaks ? broken : denied;
      let entry = into.get(key);
      if (!entry) into.set(key, (entry = { ...problemObject(ref, this.store.get(key)), findings: [] }));
      entry.findings.push({ rule: f.rule, message: f.message });
    }
    const report: ProblemsReport = { status: broken.size ? 'triggered' : 'not-triggered' };
    if (denied.size) report.deniedObjects = [...denied.values()];
    if (!broken.size) return report;
    report.brokenObjects = [...broken.values()];
    const affected = (view: StateView, sets: Map<string, Set<string>>) =>
      [...sets].map(([key, causes]) => {
        const obj = view.get(key)!;
        return { ...problemObject(refOf(obj), obj), causingObjects: [...causes].sort() };
      });
    report.excludedObjects = affected(this.store, excludedBy(this.store, broken.keys()));
    // The last valid view substitutes the held versions, indexing them only now that a report is asked for.
    const backfilled = affected(this.lastValid, excludedBy(this.lastValid, broken.keys()));
    if (backfilled.length) report.backfilledObjects = backfilled;
    return report;
  }
}
