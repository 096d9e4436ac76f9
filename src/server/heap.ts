// V8 settings for a process that keeps a large state for hours and answers many short reviews against it.
import { setFlagsFromString } from 'node:v8';

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
