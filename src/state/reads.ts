// What a judgement read from the state, so that a change re-judges exactly the judgements it can alter.
//
// A read is a token: one object's key (`get`, `sequence`), one index entry (`lookup`), or "which objects of
// kind K exist" (`list`, which also reads the key of every object it yields). A change to one object touches
// its key, the entries of every index for its old and its new version, and its kind when it appears or
// disappears (touchedReads). A lookup's answer can only differ if its entry is touched, and so does the
// content of every object it returns (an updated object is in its entries on both sides), so an index read
// needs no per-object tokens. A judgement is a deterministic function of its reads: if a change alters it,
// the first read whose answer differs is one it made before the change, which is why the reads of the last
// judgement before a change are enough to find every judgement the change can alter.
import { keyOf, type K8sObject } from '../model/object.ts';
import { INDEX_NAMES, INDEXES, type IndexName } from './indexes.ts';
import type { StateView } from './view.ts';

export type Read = string;

export const objectRead = (key: string): Read => `o ${key}`;
export const indexRead = (name: IndexName, value: string): Read => `i ${name} ${value}`;
export const kindRead = (kind: string): Read => `k ${kind}`;
/**
 * A link to a memoised translation (translate/memo.ts LiveMemo): read by whatever used it, touched when it goes
 * stale. It is the memo key itself (no second string per value): keys start with a name of several letters
 * (`kept:...`, `default-class`), the other reads with one letter and a space.
 */
export const memoRead = (key: string): Read => key;

/** The index entry an index read names (undefined for other reads). */
export function indexEntryOf(read: Read): { name: IndexName; value: string } | undefined {
  if (!read.startsWith('i ')) return undefined;
  const space = read.indexOf(' ', 2);
  return { name: read.slice(2, space) as IndexName, value: read.slice(space + 1) };
}

/** The reads whose answers a change from `before` to `after` (undefined: absent) can alter. */
export function touchedReads(before: K8sObject | undefined, after: K8sObject | undefined): Set<Read> {
  const subject = after ?? before;
  if (!subject) return new Set();
  const touched = new Set<Read>([objectRead(keyOf(subject))]);
  if (!before || !after) touched.add(kindRead(subject.kind));
  for (const name of INDEX_NAMES) {
    for (const version of [before, after]) if (version) for (const value of INDEXES[name](version)) touched.add(indexRead(name, value));
  }
  return touched;
}

/**
 * A view that notes every read into the innermost active recorder (a stack: a memoised translation records
 * its own reads, then its caller notes what stands for them: the reads themselves, or a link to the memo
 * entry, translate/memo.ts). Without an active recorder it only passes reads through.
 */
export class RecordingView implements StateView {
  readonly base: StateView;
  private readonly recorders: Set<Read>[] = [];

  constructor(base: StateView) {
    this.base = base;
  }

  /** Runs `fn` with a fresh recorder on the stack; returns its result and what it read. */
  record<T>(fn: () => T): [T, Set<Read>] {
    const reads = new Set<Read>();
    this.recorders.push(reads);
    try {
      return [fn(), reads];
    } finally {
      this.recorders.pop();
    }
  }

  /** Whether anything is being recorded (memoised values need their reads only then). */
  get recording(): boolean {
    return this.recorders.length > 0;
  }

  /** Notes reads made earlier (a memoised value's, or a link to it) into the innermost recorder. */
  replay(reads: Iterable<Read>): void {
    const recorder = this.recorders.at(-1);
    if (recorder) for (const read of reads) recorder.add(read);
  }

  private note(read: Read): void {
    this.recorders.at(-1)!.add(read);
  }

  get(key: string): K8sObject | undefined {
    if (this.recorders.length) this.note(objectRead(key));
    return this.base.get(key);
  }

  *list(kind: string): Iterable<K8sObject> {
    if (this.recorders.length) this.note(kindRead(kind));
    for (const obj of this.base.list(kind)) {
      if (this.recorders.length) this.note(objectRead(keyOf(obj)));
      yield obj;
    }
  }

  all(): Iterable<K8sObject> {
    return this.base.all();
  }

  lookup(name: IndexName, value: string): K8sObject[] {
    if (this.recorders.length) this.note(indexRead(name, value));
    return this.base.lookup(name, value);
  }

  sequence(key: string): number {
    if (this.recorders.length) this.note(objectRead(key));
    return this.base.sequence(key);
  }
}
