// V8 settings for a process that keeps a large state for hours and answers many short reviews against it.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Turns off V8's allocation-site pretenuring. Building the state and its problems report runs the same
 * translation and judging code as a review, with objects that live on: V8 learns to allocate at those sites
 * straight into the old generation, and every review's short-lived objects then land there too. At 10k objects
 * that was 6 MiB of dead old space per 1,500 secret-update reviews: scavenges twice as long and a mark-compact
 * of the whole state over and over. Start-up, heap and relist blocks measured the same without it.
 * Call it before the state is loaded (sites decided before keep their decision).
 */
export function keepReviewGarbageYoung(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}

type Gc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * One full garbage collection that gives memory back to the system, for when the start-up's garbage is gone.
 * Building the state and its problems report grows the young generation and old space far beyond what the
 * state needs afterwards; V8 keeps those pages mapped and resident (idle, its memory reducer does not run while
 * timers keep allocating), and its ordinary collections do not return them. The "last resort" flavour (what
 * V8 runs on a low-memory notification) collects repeatedly, compacts, shrinks the young generation and unmaps
 * the freed and pooled pages. It blocks for the length of a few full collections (measured: see README
 * "Benchmark"), so: once, before the webhook reports ready.
 */
export function returnStartupMemory(): void {
  let gc = (globalThis as { gc?: Gc }).gc;
  if (!gc) {
    // Without --expose-gc: a context created while the flag is on carries gc(); the flag is turned off again.
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
    setFlagsFromString('--no-expose-gc');
  }
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
