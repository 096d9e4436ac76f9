// A problems report following a store event by event, as `serve` runs it (and the benchmark measures it).
// Whole-state judgements (the first one, after a failed event, after an event burst) run in slices that
// yield to the event loop; see ProblemTracker.rebuildInSlices.
import type { K8sObject } from '../model/object.ts';
import type { Store } from '../state/store.ts';
import type { Policy } from './policy.ts';
import { ProblemTracker } from './problems.ts';

/**
 * Time spent applying events in one turn of the event loop past which the report is rebuilt in slices instead
 * of event by event: an informer relisting a kind delivers every object again in one synchronous loop (those
 * that changed reach the report), and one re-judgement each would block for seconds at 50k objects. Once a
 * rebuild is under way, the rest of the burst costs its scope look-ups (objects not judged yet are skipped).
 */
export const BURST_BUDGET_MS = 10;

export interface FollowHooks {
  /** A whole-state judgement finished (`why`: first build, after a burst, after a failed event). */
  rebuilt?: (why: string, ms: number) => void;
  /** An event could not be applied (a bug): the report is rebuilt. */
  failed?: (err: unknown) => void;
  /** Overrides BURST_BUDGET_MS (tests: 0 turns any second event in one turn into a rebuild). */
  burstBudgetMs?: number;
}

export interface FollowedReport {
  tracker: ProblemTracker;
  /** Whether the first whole-state judgement has finished. */
  built(): boolean;
  /** Resolves when no rebuild is in progress. */
  settled(): Promise<void>;
}

/** Builds the report over `store` in slices, then follows every write to it. */
export function followStore(store: Store, policy: Policy, hooks: FollowHooks = {}): FollowedReport {
  const tracker = new ProblemTracker(store, policy, { deferred: true });
  let built = false;
  let running: Promise<void> = Promise.resolve();
  const rebuild = (why: string) => {
    const started = performance.now();
    running = tracker.rebuildInSlices().then(() => {
      if (tracker.rebuilding) return; // replaced by a later rebuild, which reports
      built = true;
      hooks.rebuilt?.(why, performance.now() - started);
    });
  };
  const budget = hooks.burstBudgetMs ?? BURST_BUDGET_MS;
  // Milliseconds spent observing in this turn of the event loop (reset at the next turn).
  let spent = -1;
  store.subscribe((before: K8sObject | undefined, after: K8sObject | undefined) => {
    if (spent < 0) {
      spent = 0;
      setImmediate(() => (spent = -1));
    }
    if (spent > budget && !tracker.rebuilding) rebuild('after an event burst (a relist)');
    const started = performance.now();
    try {
      tracker.observe(before, after);
    } catch (err) {
      hooks.failed?.(err);
      rebuild('after a failed event');
    }
    spent += performance.now() - started;
  });
  rebuild('first build');
  return {
    tracker,
    built: () => built,
    settled: async () => {
      while (tracker.rebuilding) await running;
    },
  };
}
