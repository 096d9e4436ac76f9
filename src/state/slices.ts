// Work over many items in slices that give the event loop a turn in between, so reviews and /healthz are answered
// while tens of thousands of objects are applied (a relist) or judged.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long one slice may run before the event loop gets a turn. */
export const SLICE_MS = 10;

/** Calls `apply` on each item, yielding after every SLICE_MS of work; stops early once `stopped()` says so. */
export async function forEachInSlices<T>(items: Iterable<T>, apply: (item: T) => void, stopped: () => boolean = () => false): Promise<void> {
  let sliceStart = performance.now();
  for (const item of items) {
    if (stopped()) return;
    apply(item);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}
