// The longest event-loop block while something runs: a timer-drift probe (a 1 ms timer chain; a block shows
// as a late timer). Used by the benchmark's server around the problems report build and a relist.
export class BlockProbe {
  private last = 0;
  private longest = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): this {
    this.last = performance.now();
    this.longest = 0;
    const tick = () => {
      const now = performance.now();
      this.longest = Math.max(this.longest, now - this.last);
      this.last = now;
      this.timer = setTimeout(tick, 1);
    };
    this.timer = setTimeout(tick, 1);
    return this;
  }

  /** The longest gap between two timer ticks since start (including the one still open), ms. */
  stop(): number {
    clearTimeout(this.timer);
    return Math.max(this.longest, performance.now() - this.last);
  }
}
