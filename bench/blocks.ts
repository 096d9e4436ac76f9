// The longest event-loop block while something runs: a timer-drift probe (a 1 ms timer chain; a block shows
// as a late timer). Used by the benchmark's server around the problems report build and a relist.
// On a shared machine a late timer may also mean the process was not scheduled: the CPU time the process
// used during each gap tells the two apart (it counts every thread, GC helpers included, so it can exceed
// the main thread's share, never the preemption).
export interface Blocks {
  /** The longest gap between two ticks, wall time, ms. */
  longestMs: number;
  /** The most CPU time the process used within one gap, ms (the longest block our own code made). */
  busiestCpuMs: number;
}

export class BlockProbe {
  private last = 0;
  private lastCpu = 0;
  private longest = 0;
  private busiest = 0;
  private timer: NodeJS.Timeout | undefined;

  private cpuMs(): number {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }

  private tick = (): void => {
    const now = performance.now();
    const cpu = this.cpuMs();
    this.longest = Math.max(this.longest, now - this.last);
    this.busiest = Math.max(this.busiest, Math.min(cpu - this.lastCpu, now - this.last));
    this.last = now;
    this.lastCpu = cpu;
  };

  start(): this {
    this.last = performance.now();
    this.lastCpu = this.cpuMs();
    this.longest = 0;
    this.busiest = 0;
    const loop = () => {
      this.tick();
      this.timer = setTimeout(loop, 1);
    };
    this.timer = setTimeout(loop, 1);
    return this;
  }

  /** The figures since start, the gap still open included. */
  stop(): Blocks {
    clearTimeout(this.timer);
    this.tick();
    return { longestMs: this.longest, busiestCpuMs: this.busiest };
  }
}
