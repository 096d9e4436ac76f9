// The translation of a store kept current event by event (issue 15): one long-lived translator over the
// store whose memoised values each keep what they read, so an event drops exactly the values it can alter.
// A review's "before" side then reuses it whole and its "after" side all but what the change touches.
import type { K8sObject } from '../model/object.ts';
import { RecordingView, touchedReads, type Read } from '../state/reads.ts';
import type { StateView } from '../state/view.ts';
import type { TranslateConfig } from './config.ts';
import { LiveMemo } from './memo.ts';
import { Translator } from './translator.ts';

export class LiveTranslation {
  readonly config: TranslateConfig;
  /** The store it follows: the views of review translators must be this store (or an Overlay or wrapper of it). */
  readonly store: StateView;
  /** Over a RecordingView of the store, so every value it memoises keeps its reads (judgements record through it too). */
  readonly translator: Translator;
  private readonly memo = new LiveMemo();

  constructor(store: StateView, config: TranslateConfig) {
    this.store = store;
    this.config = config;
    this.translator = new Translator(new RecordingView(store), config, this.memo);
  }

  /** How many values are memoised. */
  get size(): number {
    return this.memo.size;
  }

  /**
   * Call after the store applied an event; `touched` defaults to touchedReads(before, after). Returns `touched`
   * plus the links of the values it dropped (expand), for judgements that used them.
   */
  observe(before: K8sObject | undefined, after: K8sObject | undefined, touched: Iterable<Read> = touchedReads(before, after)): Read[] {
    const expanded = this.memo.expand(touched);
    this.memo.invalidate(expanded);
    return expanded;
  }

  /**
   * `touched` plus the links (state/reads.ts memoRead) of the memoised values a change touching it makes stale:
   * a judgement that used a value recorded its link, not the value's reads.
   */
  expand(touched: Iterable<Read>): Read[] {
    return this.memo.expand(touched);
  }

  /** Forgets everything (a rebuild starts from nothing; an event that failed half-way leaves nothing doubtful). */
  clear(): void {
    this.memo.clear();
  }

  /**
   * A translator for one review over `view`: the store as it is (no `touched`), or the store plus a change
   * whose touched reads are `touched`. It reuses the live values the change leaves valid and keeps what it
   * computes to itself, so objects a rule passes in from the other side never reach the live memo.
   */
  forReview(view: StateView, touched?: Iterable<Read>): Translator {
    return new Translator(view, this.config, this.memo.forReview(touched));
  }
}
