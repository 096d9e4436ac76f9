// The audit face of the engine: what KIC's Fallback Configuration would exclude from the current state,
// kept up to date one event at a time. Each event re-judges the (subject, rule) pairs whose last reads it
// touches (engine/judgements.ts), the same scope admission uses; the report itself is assembled on request.
// It is also the judgement of the current state that `serve` and `check --state` evaluate changes against.
import { excludedBy } from '../graph/fallback.ts';
import { keyOf, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import type { Finding } from '../rules/rule.ts';
import { indexEntryOf, touchedReads, type Read } from '../state/reads.ts';
import type { Store } from '../state/store.ts';
import type { StateView } from '../state/view.ts';
import { LastValid } from './last-valid.ts';
import { everything, type Scope } from './judge.ts';
import { Judgements, type KnownFindings } from './judgements.ts';
import { LiveTranslation } from '../translate/live-translation.ts';
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

/** How a rebuild in slices shares the event loop. */
export interface SliceOptions {
  /** Judging time per slice before yielding to the event loop, ms (default 15). */
  budgetMs?: number;
}

/**
 * Subjects judged between two looks at the clock: small enough to stay near the budget (a subject costs up to a few
 * milliseconds at 50k objects; 32 of them made 100-300 ms blocks). The translator is the live one whatever the batch.
 */
const BATCH = 4;

/** How long a review may spend judging, ahead of a rebuild, the objects near its change. */
const NEIGHBOURHOOD_BUDGET_MS = 20;

export class ProblemTracker implements KnownFindings {
  readonly store: Store;
  readonly policy: Policy;
  /** Current findings and what each (subject, rule) read to find them. */
  private readonly judgements: Judgements;
  /** The store's translation, kept current with it here, before each event is judged (the judging fills it). */
  readonly translation: LiveTranslation;
  /** How many current findings Kong rejects name each object (as subject or as Kong's culprit). */
  private readonly breakages = new Map<string, number>();
  /** The newest version of each object whose arrival broke nothing: what backfilling would restore. */
  readonly lastValid: LastValid;
  /** The keys a rebuild in progress has yet to judge (in store order). */
  private pending = new Set<string>();
  /** Keys written while a rebuild was in progress: observe() settled their last valid version. */
  private readonly observedDuringRebuild = new Set<string>();
  private total = 0;
  private rebuildingNow = false;
  /** Whether a whole-state judgement ever completed: before it, nothing has a last valid version but what it judged valid. */
  private built = false;
  /** Bumped by every rebuild, so a rebuild in slices that another one replaced stops. */
  private generation = 0;

  /**
   * Judges the whole state now, unless `deferred`: then the report starts incomplete and `rebuildInSlices`
   * (serve) judges it without blocking the event loop; it follows events meanwhile.
   */
  constructor(store: Store, policy: Policy, options: { deferred?: boolean } = {}) {
    this.store = store;
    this.policy = policy;
    this.judgements = new Judgements(policy);
    this.translation = new LiveTranslation(store, policy.translate);
    this.lastValid = new LastValid(store);
    if (options.deferred) this.begin();
    else this.rebuild();
  }

  /** Whether a rebuild is in progress: the current findings cover only the objects judged so far. */
  get rebuilding(): boolean {
    return this.rebuildingNow;
  }

  /** Judges the whole state (start-up, or after a relist); every object without deny findings is last valid. */
  rebuild(): void {
    this.begin();
    this.step(Number.POSITIVE_INFINITY);
  }

  /**
   * The same judgement as `rebuild`, in slices of about `budgetMs` that yield to the event loop (setImmediate)
   * in between, so health checks and reviews are answered throughout. Events observed meanwhile are applied
   * to what is judged so far (their scope is found from its reads); the objects not judged yet are judged
   * later against the state as it then is. Resolves when done, or at once when another rebuild replaced it.
   */
  async rebuildInSlices(options: SliceOptions = {}): Promise<void> {
    const budget = options.budgetMs ?? 15;
    this.begin();
    const generation = this.generation;
    // Yields first: a caller in the middle of an event burst (a relist) finishes it before the judging starts.
    do await new Promise<void>((resolve) => setImmediate(resolve));
    while (generation === this.generation && !this.step(performance.now() + budget));
  }

  private begin(): void {
    this.generation++;
    this.judgements.clear();
    this.translation.clear();
    this.breakages.clear();
    this.pending = new Set([...this.store.all()].map(keyOf));
    this.total = this.pending.size;
    this.observedDuringRebuild.clear();
    this.rebuildingNow = true;
  }

  /** Judges pending subjects until none is left (true) or `deadline` (performance.now()) has passed. */
  private step(deadline: number): boolean {
    let batch: string[] = [];
    for (const key of this.pending) {
      batch.push(key);
      if (batch.length < BATCH) continue;
      this.judgeNow(batch);
      batch = [];
      if (performance.now() >= deadline) break;
    }
    if (batch.length) this.judgeNow(batch);
    if (this.pending.size) return false;
    this.finish();
    return true;
  }

  /** Judges these subjects on the store as it is (whatever an event already judged of them is replaced). */
  private judgeNow(keys: string[]): void {
    for (const key of keys) this.pending.delete(key);
    const { previous, current } = this.judgements.judge(this.translation.translator, everything(keys));
    for (const f of previous) this.countBreakage(f, -1);
    for (const f of current) this.countBreakage(f, 1);
  }

  /**
   * Every object without breakage is its own last valid version. On the first build, a breaking object has
   * none; on later ones, it keeps what it had (a breaking object not held has had its current version judged
   * valid before, as the old second store kept it). Objects written during the rebuild were settled by observe.
   */
  private finish(): void {
    for (const obj of this.store.all()) {
      const key = keyOf(obj);
      if (this.observedDuringRebuild.has(key)) continue;
      if (!this.breaking(key)) this.lastValid.release(key);
      else if (!this.built && !this.lastValid.isHeld(key)) this.lastValid.hold(key, undefined);
    }
    this.observedDuringRebuild.clear();
    this.rebuildingNow = false;
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
    // Right after a rebuild began (a relist burst) nothing has recorded a read: no need to list what this touches.
    const touched = this.judgements.unread && this.translation.size === 0 ? [] : touchedReads(before, after);
    // The judgements that used a value the event drops recorded its link: the scope follows those too.
    const scope = this.judgements.scopeOf(this.translation.observe(before, after, touched), key);
    if (this.pending.size) {
      // Mid-rebuild: subjects not judged yet are judged later, against the store as it is then, so an event
      // burst (a relist) during a rebuild costs little more than its scope look-ups.
      for (const k of scope.keys()) if (this.pending.has(k)) scope.delete(k);
      if (this.pending.has(key)) {
        // Until the rebuild judges this version, the last valid one stays the one it had.
        if (!after) this.lastValid.release(key);
        else if (!this.lastValid.isHeld(key)) this.lastValid.hold(key, lastValidBefore);
      }
    }
    const { previous, current } = this.judgements.judge(this.translation.translator, scope);
    const previousIds = new Set(previous.map((f) => f.id));
    const introducedBreakage = current.some((f) => f.breaks && !previousIds.has(f.id));
    for (const f of previous) this.countBreakage(f, -1);
    for (const f of current) this.countBreakage(f, 1);
    if (this.rebuildingNow && scope.has(key)) this.observedDuringRebuild.add(key);
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

  /**
   * While a rebuild is in progress, the changed object is judged now if it was not yet (its own findings are
   * then exact); other subjects not judged yet are missing from the scope: see `incomplete`.
   */
  scopeOf(touched: Iterable<Read>, changedKey: string): Scope {
    if (this.pending.size) this.judgeNeighbourhood([...touched], changedKey);
    // `touched` itself, not a copy: the review's translator then asks the live memo for the same stale keys (LiveMemo.staleBy).
    return this.judgements.scopeOf(this.translation.expand(touched), changedKey);
  }

  /**
   * Mid-rebuild, before a change is scoped: judges now the subjects not judged yet that most likely read what
   * it touches (the changed object, the objects that depend on it, the objects in the index entries it
   * touches: same host and path, username, credential, ...), within one slice's budget. That is rebuild work
   * done early, not extra; what it leaves out is missing from the scope (`incomplete` says so).
   */
  private judgeNeighbourhood(touched: Read[], changedKey: string): void {
    const near = new Set<string>([changedKey]);
    for (const obj of this.store.lookup('dependants', changedKey)) near.add(keyOf(obj));
    for (const read of touched) {
      const entry = indexEntryOf(read);
      if (entry) for (const obj of this.store.lookup(entry.name, entry.value)) near.add(keyOf(obj));
    }
    const keys = [...near].filter((k) => this.pending.has(k));
    const deadline = performance.now() + NEIGHBOURHOOD_BUDGET_MS;
    for (let i = 0; i < keys.length && performance.now() < deadline; i += BATCH) this.judgeNow(keys.slice(i, i + BATCH));
  }

  /** A warning for every verdict while the report is being built: findings on objects not judged yet are missed. */
  incomplete(): string | undefined {
    if (!this.rebuildingNow) return undefined;
    const judged = this.total - this.pending.size;
    return `ingress-guard: its problems report is being built (${judged} of ${this.total} objects judged): this verdict may miss findings on the objects not judged yet.`;
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
    const excluded = excludedBy(this.store, broken.keys());
    report.excludedObjects = affected(this.store, excluded);
    // fallback.go GenerateBackfillingBrokenObjects: each excluded object's subgraph in the last valid state, caused by
    // that excluded object. The last valid view substitutes the held versions, indexing them only now that a report is asked for.
    const backfilled = affected(this.lastValid, excludedBy(this.lastValid, excluded.keys()));
    if (backfilled.length) report.backfilledObjects = backfilled;
    return report;
  }
}
