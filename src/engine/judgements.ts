// The current findings of a state and what each (subject, rule) read to find them, with the reverse map
// (read -> subjects) that turns a change's touched reads into the scope to re-judge. The problems report
// keeps one current with the cluster; `evaluate` without one builds it over the whole state.
import { keyOf, refKey } from '../model/object.ts';
import type { Finding } from '../rules/rule.ts';
import { intern } from '../state/intern.ts';
import { Readers } from '../state/readers.ts';
import { RecordingView, type Read } from '../state/reads.ts';
import type { StateView } from '../state/view.ts';
import { LiveTranslation } from '../translate/live-translation.ts';
import type { Translator } from '../translate/translator.ts';
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

/**
 * What one subject's rules read, compactly: [read, bits, read, bits, ...]. A subject makes a few dozen reads at
 * most (links stand for memoised values' reads), so a scan beats a Map, which cost about 600 bytes per subject.
 */
type ReadList = (Read | number)[];

export class Judgements implements KnownFindings {
  readonly policy: Policy;
  private readonly findings = new Map<string, Finding[]>();
  private readonly reads = new Map<string, ReadList>();
  /**
   * read -> the subjects that made it (most reads have one: its own key, its own host+path entries). Reads are
   * interned (state/intern.ts): the subjects' lists share the map's strings.
   */
  private readonly readers = new Readers();

  /**
   * The live translation the judging used, when the scope is to follow its links (a judgement records a link
   * to each memoised value it used, not the value's reads): without it, the caller expands touched reads itself
   * (the problems report, which invalidates the translation in between).
   */
  readonly translation?: LiveTranslation;

  constructor(policy: Policy, translation?: LiveTranslation) {
    this.policy = policy;
    if (translation) this.translation = translation;
  }

  /**
   * The judgement of a whole state, over a live translation of it, as the problems report judges (so that both
   * find the same scope in the same order), which reviews then reuse.
   */
  static of(view: StateView, policy: Policy): Judgements {
    const translation = new LiveTranslation(view, policy.translate);
    const judgements = new Judgements(policy, translation);
    judgements.judge(translation.translator, everything([...view.all()].map(keyOf)));
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
    for (const read of this.translation ? this.translation.expand(touched) : touched) {
      this.readers.forEach(read, (subject) => {
        const list = this.reads.get(subject)!;
        scope.set(subject, (scope.get(subject) ?? 0) | (list[list.indexOf(read) + 1] as number));
      });
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
    const kept: ReadList = [];
    for (let i = 0; i < reads.length; i += 2) {
      const read = reads[i] as Read;
      const left = (reads[i + 1] as number) & ~bits;
      if (left) kept.push(read, left);
      else this.readers.delete(read, key);
    }
    if (kept.length) this.reads.set(key, kept);
    else this.reads.delete(key);
  }

  private remember(subject: string, made: SubjectReads): void {
    if (!made.size) return;
    let reads = this.reads.get(subject);
    if (!reads) this.reads.set(subject, (reads = []));
    for (const [read, bits] of made) {
      const flat = intern(read);
      this.readers.add(flat, subject);
      const at = reads.indexOf(flat);
      if (at >= 0) reads[at + 1] = (reads[at + 1] as number) | bits;
      else reads.push(flat, bits);
    }
  }
}
