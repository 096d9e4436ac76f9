// Where a Translator keeps its memoised values. A plain Map serves one translator over one state; LiveMemo
// outlives states: it follows a store event by event, dropping every entry that read something the event
// touched (state/reads.ts), and lends its entries to translators over that store plus one change (ReviewMemo).
import { intern } from '../state/intern.ts';
import { Readers } from '../state/readers.ts';
import { memoRead, objectRead, type Read } from '../state/reads.ts';

/**
 * A memoised value and, when it was computed over a RecordingView, the reads it rests on: the reads
 * themselves, or (LiveMemo) one link read standing for them, which a hit records in their place.
 */
export interface MemoEntry {
  readonly value: unknown;
  readonly reads?: Iterable<Read>;
}

export interface Memo {
  get(key: string): MemoEntry | undefined;
  set(key: string, entry: MemoEntry): void;
}

/**
 * The objects a memo key names. Keys are `name` or `name:<object key>[|<object key>...]` (Translator.cached):
 * a value computed from an object passed in rests on that object as surely as on one it read from the view.
 */
export function argumentReads(key: string): Read[] {
  const colon = key.indexOf(':');
  return colon < 0 ? [] : key.slice(colon + 1).split('|').map(objectRead);
}

const NONE: ReadonlySet<string> = new Set();

/**
 * A live entry: its value, its link (memoRead of its key: what a hit records), and what it read itself. The
 * one-read list a hit records is made on each hit: kept, it cost 56 bytes per entry (5 MiB at 50k objects).
 */
class LiveEntry implements MemoEntry {
  readonly value: unknown;
  readonly link: Read;
  readonly direct: Read[];

  constructor(value: unknown, link: Read, direct: Read[]) {
    this.value = value;
    this.link = link;
    this.direct = direct;
  }

  get reads(): readonly [Read] {
    return [this.link];
  }
}

/**
 * The memo of a translator over a live store. Every entry keeps the reads it made itself (interned, as an
 * array) and the links of the entries it used (memoRead), not their reads again: a hit records the link
 * alone, so judgements and enclosing entries hold one read per value they use instead of all its reads
 * (at 50k objects, most of the memo's and the judgements' bookkeeping). A reverse map read -> the keys of the
 * entries that made it finds what an event invalidates, following links up to every entry that used a
 * stale one (staleBy). An entry made while nothing recorded is not kept: nothing could tell when it goes stale.
 */
export class LiveMemo implements Memo {
  private readonly entries = new Map<string, LiveEntry>();
  /** read -> the keys of the entries that made it. Reads are interned (state/intern.ts): the entries' lists share the map's strings. */
  private readonly readers = new Readers();
  /** Bumped by every change to the entries, so that `last` is known stale. */
  private version = 0;
  private last: { touched: Iterable<Read>; version: number; stale: ReadonlySet<string> } | undefined;

  get size(): number {
    return this.entries.size;
  }

  get(key: string): MemoEntry | undefined {
    return this.entries.get(key);
  }

  set(found: string, entry: MemoEntry): void {
    if (!entry.reads) return;
    const key = intern(found);
    this.version++;
    this.drop(key);
    const direct: Read[] = [];
    for (const read of entry.reads) {
      const flat = intern(read);
      this.readers.add(flat, key);
      direct.push(flat);
    }
    this.entries.set(key, new LiveEntry(entry.value, memoRead(key), direct));
  }

  /**
   * The keys of the entries that read any of `touched`, and of those that used one of them, and so on: what
   * a change to the state makes stale. A review asks twice for the same touched reads (its scope, then its
   * translator), so the last answer is kept while the memo does not change (`touched` is never modified).
   */
  staleBy(touched: Iterable<Read>): ReadonlySet<string> {
    if (this.last?.touched === touched && this.last.version === this.version) return this.last.stale;
    const stale = new Set<string>();
    const queue = [...touched];
    const add = (key: string) => {
      if (stale.has(key)) return;
      stale.add(key);
      queue.push(memoRead(key));
    };
    for (let i = 0; i < queue.length; i++) this.readers.forEach(queue[i]!, add);
    this.last = { touched, version: this.version, stale };
    return stale;
  }

  /** `touched` plus the links of the entries it makes stale: what judgements that used those entries recorded. */
  expand(touched: Iterable<Read>): Read[] {
    const stale = this.staleBy(touched);
    const reads = [...touched];
    for (const key of stale) reads.push(memoRead(key));
    return reads;
  }

  /** Drops every entry that read any of `touched` (call after the store applied the event). */
  invalidate(touched: Iterable<Read>): void {
    for (const key of this.staleBy(touched)) this.drop(key);
  }

  clear(): void {
    this.version++;
    this.entries.clear();
    this.readers.clear();
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.version++;
    this.entries.delete(key);
    for (const read of entry.direct) this.readers.delete(read, key);
  }

  /** A memo for one translation of the store plus a change touching `touched`: it reuses the entries the change leaves valid. */
  forReview(touched?: Iterable<Read>): ReviewMemo {
    return new ReviewMemo(this, touched ? this.staleBy(touched) : NONE);
  }
}

/**
 * Per review: its own entries first, then the live ones the change did not make stale (a value is a function
 * of its reads, so one none of whose reads the change touches is the same on both sides). Its own entries
 * never reach the live memo: they describe a state the store does not hold (or objects a rule passed in).
 */
export class ReviewMemo implements Memo {
  private readonly own = new Map<string, MemoEntry>();
  private readonly live: LiveMemo;
  private readonly stale: ReadonlySet<string>;

  constructor(live: LiveMemo, stale: ReadonlySet<string>) {
    this.live = live;
    this.stale = stale;
  }

  get(key: string): MemoEntry | undefined {
    return this.own.get(key) ?? (this.stale.has(key) ? undefined : this.live.get(key));
  }

  set(key: string, entry: MemoEntry): void {
    this.own.set(key, entry);
  }
}
