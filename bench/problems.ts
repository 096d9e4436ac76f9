// The problems report under events: how much work one informer event costs the report at N objects.
// Run: npx node --expose-gc bench/problems.ts [--quick] [--json FILE]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY } from '../src/engine/policy.ts';
import { ProblemTracker } from '../src/engine/problems.ts';
import { keyOf, type K8sObject } from '../src/model/object.ts';
import { Store } from '../src/state/store.ts';
import { generateCluster, workloads } from './generate.ts';

export interface ProblemsRow {
  objects: number;
  event: string;
  median_us: number;
  p99_us: number;
  rebuild_ms: number;
  report_ms: number;
}

/** The p-quantile of sorted samples (nearest rank below). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

/** Alternates an event and its undo on the store, timing the tracker's observe() for each write. */
export function measureProblems(count: number, iterations: number): ProblemsRow[] {
  const cluster = generateCluster(count);
  const store = new Store(cluster.objects);
  let t = performance.now();
  const tracker = new ProblemTracker(store, DEFAULT_POLICY);
  const rebuildMs = performance.now() - t;
  let observeMs = 0;
  store.subscribe((before, after) => {
    const start = performance.now();
    tracker.observe(before, after);
    observeMs += performance.now() - start;
  });
  const rows: ProblemsRow[] = [];
  for (const w of workloads(cluster)) {
    const request = w.review.request as unknown as { object: K8sObject | null; oldObject: K8sObject | null };
    const apply = () => (request.object ? store.upsert(request.object) : store.delete(keyOf(request.oldObject!)));
    const undo = () => (request.oldObject ? store.upsert(request.oldObject) : store.delete(keyOf(request.object!)));
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      for (const step of [apply, undo]) {
        observeMs = 0;
        step();
        samples.push(observeMs * 1000);
      }
    }
    samples.sort((a, b) => a - b);
    t = performance.now();
    tracker.report();
    rows.push({ objects: count, event: w.name, median_us: percentile(samples, 0.5), p99_us: percentile(samples, 0.99), rebuild_ms: rebuildMs, report_ms: performance.now() - t });
  }
  return rows;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } } });
  const sizes = values.quick ? [1_000, 10_000] : [1_000, 10_000, 50_000];
  const rows = sizes.flatMap((n) => measureProblems(n, values.quick ? 100 : 400));
  console.log('objects  event                 median µs   p99 µs   rebuild ms   report ms');
  for (const r of rows) console.log(`${String(r.objects).padStart(7)}  ${r.event.padEnd(20)}  ${r.median_us.toFixed(1).padStart(9)}  ${r.p99_us.toFixed(1).padStart(7)}  ${r.rebuild_ms.toFixed(0).padStart(11)}  ${r.report_ms.toFixed(2).padStart(10)}`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ problems: rows }, null, 2));
}
