// The audit face of the engine: what KIC's Fallback Configuration would exclude from the current state,
// kept up to date one event at a time. Findings are recomputed only in each event's neighbourhood (the
// same scoping as admission); the report itself is assembled on request.
import { affectedKeys } from '../graph/scope.ts';
import { excludedBy } from '../graph/fallback.ts';
import { keyOf, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import type { Finding } from '../rules/rule.ts';
import { Overlay } from '../state/overlay.ts';
import { Store } from '../state/store.ts';
import type { Change } from '../state/view.ts';
import { Translator } from '../translate/translator.ts';
import { judge } from './evaluate.ts';
import { ruleById } from '../rules/index.ts';
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

export interface AffectedObject extends ProblemObject {
  /** `group/Kind:namespace/name` of the broken objects that take this one down, as KIC prints them. */
  causingObjects: string[];
}

/** Compatible with KIC's `/debug/config/fallback` (lists omitted when empty), plus the findings. */
export interface ProblemsReport {
  status: 'triggered' | 'not-triggered';
  brokenObjects?: BrokenObject[];
  excludedObjects?: AffectedObject[];
  backfilledObjects?: AffectedObject[];
}

/** KIC's field order: group, kind, version, namespace, name. */
function problemObject(ref: ObjectRef, obj: K8sObject | undefined): ProblemObject {
  const version = obj?.apiVersion.split('/').pop();
  return { group: ref.group, kind: ref.kind, ...(version ? { version } : {}), ...(ref.namespace ? { namespace: ref.namespace } : {}), name: ref.name };
}

export class ProblemTracker {
  readonly store: Store;
  readonly policy: Policy;
  /** Current findings by subject key (only subjects that have some). */
  private readonly findings = new Map<string, Finding[]>();
  /** How many current deny-level findings make each object broken (as subject or as Kong's culprit). */
  private readonly denials = new Map<string, number>();
  /** The newest version of each object whose arrival broke nothing: what backfilling would restore. */
  readonly lastValid = new Store();

  constructor(store: Store, policy: Policy) {
    this.store = store;
    this.policy = policy;
    this.rebuild();
  }

  /** Judges the whole state (start-up, or after a relist); every object without deny findings is last valid. */
  rebuild(): void {
    this.findings.clear();
    this.denials.clear();
    const keys = [...this.store.all()].map(keyOf);
    this.record(judge(new Translator(this.store, this.policy.translate), this.policy, keys));
    for (const key of keys) if (!this.denied(key)) this.lastValid.upsert(this.store.get(key)!);
  }

  /**
   * Call after the store applied an event (`before` is the object's previous version, `after` its new one).
   * Re-judges the event's neighbourhood only.
   */
  observe(before: K8sObject | undefined, after: K8sObject | undefined): void {
    const subject = after ?? before;
    if (!subject) return;
    const key = keyOf(subject);
    // The state before the event, as an overlay that undoes it on the store.
    const undo: Change = before ? { operation: after ? 'UPDATE' : 'CREATE', object: before } : { operation: 'DELETE', oldObject: after! };
    const beforeView = new Overlay(this.store, undo);
    const trBefore = new Translator(beforeView, this.policy.translate);
    const trAfter = new Translator(this.store, this.policy.translate);
    const { keys, peers } = affectedKeys(key, [
      { tr: trBefore, object: beforeView.object },
      { tr: trAfter, object: this.store.get(key) },
    ]);
    const previous = new Set([...keys, ...peers].flatMap((k) => this.findings.get(k) ?? []).map((f) => f.id));
    const current = judge(trAfter, this.policy, keys, undefined, undefined, peers);
    const introducedDeny = current.some((f) => f.severity === 'deny' && !previous.has(f.id));
    for (const k of keys) this.forget(k);
    // Peers were re-judged only by the rules that read plugin peers: keep their other findings.
    for (const k of peers) this.forget(k, (f) => ruleById(f.rule)?.readsPluginPeers === true);
    this.record(current);
    for (const k of [...keys, ...peers]) {
      if (k === key && introducedDeny) continue; // keep the version from before the breaking change
      const obj = this.store.get(k);
      if (obj && !this.denied(k) && this.lastValid.get(k) !== obj) this.lastValid.upsert(obj);
      else if (!obj && k === key) this.lastValid.delete(k);
    }
  }

  private record(findings: Finding[]): void {
    for (const f of findings) {
      const key = refKey(f.object);
      const list = this.findings.get(key);
      if (list) list.push(f);
      else this.findings.set(key, [f]);
      this.countDenial(f, 1);
    }
  }

  private forget(key: string, which: (f: Finding) => boolean = () => true): void {
    const kept: Finding[] = [];
    for (const f of this.findings.get(key) ?? []) {
      if (which(f)) this.countDenial(f, -1);
      else kept.push(f);
    }
    if (kept.length) this.findings.set(key, kept);
    else this.findings.delete(key);
  }

  private countDenial(f: Finding, delta: number): void {
    if (f.severity !== 'deny') return;
    for (const key of new Set([refKey(f.object), refKey(f.broken)])) {
      const n = (this.denials.get(key) ?? 0) + delta;
      if (n > 0) this.denials.set(key, n);
      else this.denials.delete(key);
    }
  }

  /** Whether the object has, or is blamed for, a deny-level finding: not a version to backfill with. */
  private denied(key: string): boolean {
    return this.denials.has(key);
  }

  /** Current findings of these objects, as `judge` over the store would give them (peers: plugin-peer rules only). */
  findingsFor(keys: Iterable<string>, peers: Iterable<string>): Finding[] {
    const out: Finding[] = [];
    for (const k of keys) out.push(...(this.findings.get(k) ?? []));
    for (const k of peers) for (const f of this.findings.get(k) ?? []) if (ruleById(f.rule)?.readsPluginPeers) out.push(f);
    return out;
  }

  /** Every current finding, deny and warn. */
  allFindings(): Finding[] {
    return [...this.findings.values()].flat();
  }

  report(): ProblemsReport {
    const broken = new Map<string, BrokenObject>();
    for (const f of this.allFindings()) {
      if (f.severity !== 'deny') continue;
      const key = refKey(f.broken);
      if (!this.store.get(key)) continue;
      let entry = broken.get(key);
      if (!entry) broken.set(key, (entry = { ...problemObject(f.broken, this.store.get(key)), findings: [] }));
      entry.findings.push({ rule: f.rule, message: f.message });
    }
    const report: ProblemsReport = { status: broken.size ? 'triggered' : 'not-triggered' };
    if (!broken.size) return report;
    report.brokenObjects = [...broken.values()];
    const affected = (view: Store, sets: Map<string, Set<string>>) =>
      [...sets].map(([key, causes]) => {
        const obj = view.get(key)!;
        return { ...problemObject(refOf(obj), obj), causingObjects: [...causes].sort() };
      });
    report.excludedObjects = affected(this.store, excludedBy(this.store, broken.keys()));
    const backfilled = affected(this.lastValid, excludedBy(this.lastValid, broken.keys()));
    if (backfilled.length) report.backfilledObjects = backfilled;
    return report;
  }
}
