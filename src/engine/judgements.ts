// The current findings of a state and what each (subject, rule) read to find them, with the reverse map
// (read -> subjects) that turns a change's touched reads into the scope to re-judge. The problems report
// keeps one current with the cluster; `evaluate` without one builds it over the whole state.
import { keyOf, refKey } from '../model/object.ts';
import type { Finding } from '../rules/rule.ts';
import { intern } from '../state/intern.ts';
import { RecordingView, type Read } from '../state/reads.ts';
import type { StateView } from '../state/view.ts';
import type { LiveTranslation } from '../translate/live-translation.ts';
import { Translator } from '../translate/translator.ts';
import { EVERY_RULE, everything, judge, ruleBit, type Scope, type SubjectReads } from './judge.ts';
import type { Policy } from './policy.ts';

/** What `evaluate` needs from the judgement of the state before a change. */
export interface KnownFindings {
  /** The subjects, and which of their rules, whose last judgement read something in `touched`; plus the changed object. */
  scopeOf(touched: Iterable<Read>, changedKey: string): Scope;
  /** The current findings of the scope's (subject, rule) pairs. */
  findingsIn(scope: Scope): Finding[];
  /** Why these findings may be incomplete right now (a report still being built), for every verdict's warnings. */
  incomplete?(): string | undefined;
  /** The translation of the same state, kept current with it: review translators reuse its values. */
  readonly translation?: LiveTranslation;
}

export class Judgements implements KnownFindings {
  readonly policy: Policy;
  private readonly findings = new Map<string, Finding[]>();
  private readonly reads = new Map<string, SubjectReads>();
  /**
   * read -> the subjects that made it. The entry's `read` interns the text for the subjects' maps; most reads
   * have one subject (its own key, its own host+path entries), held without a Set.
   */
  private readonly readers = new Map<Read, { read: Read; subjects: string | Set<string> }>();

  constructor(policy: Policy) {
    this.policy = policy;
  }

  /** The judgement of a whole state. */
  static of(view: StateView, policy: Policy): Judgements {
    const judgements = new Judgements(policy);
    judgements.judge(new Translator(new RecordingView(view), policy.translate), everything([...view.all()].map(keyOf)));
    return judgements;
  }

  clear(): void {
    this.findings.clear();
    this.reads.clear();
    this.readers.clear();
  }

  /** Whether no judgement has recorded a read (cleared, or nothing judged yet): a scope is then the changed key alone. */
  get unread(): boolean {
    return this.readers.size === 0;
  }

  scopeOf(touched: Iterable<Read>, changedKey: string): Scope {
    const scope: Scope = new Map([[changedKey, EVERY_RULE]]);
    for (const read of touched) {
      const subjects = this.readers.get(read)?.subjects ?? [];
      for (const subject of typeof subjects === 'string' ? [subjects] : subjects) scope.set(subject, (scope.get(subject) ?? 0) | this.reads.get(subject)!.get(read)!);
    }
    return scope;
  }

  findingsIn(scope: Scope): Finding[] {
    const out: Finding[] = [];
    for (const [key, bits] of scope) for (const f of this.findings.get(key) ?? []) if (bits & ruleBit(f.object.kind, f.rule)) out.push(f);
    return out;
  }

  all(): Finding[] {
    return [...this.findings.values()].flat();
  }

  /**
   * (Re-)judges the scope with `tr`, a translator of the state as it now is over a RecordingView; returns the
   * scope's findings before and after.
   */
  judge(tr: Translator, scope: Scope): { previous: Finding[]; current: Finding[] } {
    if (!(tr.view instanceof RecordingView)) throw new Error('Judgements.judge needs a translator over a RecordingView');
    const previous = this.findingsIn(scope);
    for (const [key, bits] of scope) this.forget(key, bits);
    const current = judge(tr, this.policy, scope, { reads: (subject, reads) => this.remember(subject, reads) });
    for (const f of current) {
      const key = refKey(f.object);
      const list = this.findings.get(key);
      if (list) list.push(f);
      else this.findings.set(key, [f]);
    }
    return { previous, current };
  }

  /** Drops the findings and reads of these rules of one subject. */
  private forget(key: string, bits: number): void {
    const findings = this.findings.get(key);
    if (findings) {
      const kept = findings.filter((f) => !(bits & ruleBit(f.object.kind, f.rule)));
      if (kept.length) this.findings.set(key, kept);
      else this.findings.delete(key);
    }
    const reads = this.reads.get(key);
    if (!reads) return;
    for (const [read, made] of reads) {
      const left = made & ~bits;
      if (left) reads.set(read, left);
      else {
        reads.delete(read);
        const entry = this.readers.get(read)!;
        if (typeof entry.subjects === 'string' || (entry.subjects.delete(key) && entry.subjects.size === 0)) this.readers.delete(read);
        else if (entry.subjects.size === 1) entry.subjects = entry.subjects.values().next().value!;
      }
    }
    if (!reads.size) this.reads.delete(key);
  }

  private remember(subject: string, made: SubjectReads): void {
    if (!made.size) return;
    let reads = this.reads.get(subject);
    if (!reads) this.reads.set(subject, (reads = new Map()));
    for (const [read, bits] of made) {
      const entry = this.readers.get(read);
      if (!entry) {
        const flat = intern(read);
        this.readers.set(flat, { read: flat, subjects: subject });
      }
      else if (typeof entry.subjects === 'string') {
        if (entry.subjects !== subject) entry.subjects = new Set([entry.subjects, subject]);
      } else entry.subjects.add(subject);
      const interned = (entry ?? this.readers.get(read)!).read;
      reads.set(interned, (reads.get(interned) ?? 0) | bits);
    }
  }
}
