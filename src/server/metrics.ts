// Prometheus metrics, on a dedicated registry so several servers (tests) can coexist.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BrokenObject, ProblemsReport } from '../engine/problems.ts';
import type { InformerStatus } from '../state/informers.ts';

export interface Metrics {
  registry: Registry;
  reviews: Counter<'kind' | 'operation' | 'verdict'>;
  duration: Histogram<never>;
  findings: Counter<'rule' | 'severity'>;
}

export interface MetricsOptions {
  defaultMetrics?: boolean;
  /** Live state: one status per informed kind. Without it, no informer gauges are exported. */
  informers?: () => InformerStatus[];
  /** Objects in the cluster state the engine reads. Without it, no state gauge is exported. */
  stateObjects?: () => number;
  /** The problems report (broken and excluded objects), once available. */
  problems?: () => ProblemsReport | undefined;
  /** Clock for the last-event age (tests). Default Date.now. */
  now?: () => number;
}

/**
 * The state gauges are computed at scrape time (prom-client's `collect`), from the supplied functions:
 * nothing on the review or event path updates them.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'ingress_guard_' });
  const metrics: Metrics = {
    registry,
    reviews: new Counter({
      name: 'ingress_guard_reviews_total',
      help: 'AdmissionReviews answered, by kind, operation and verdict (allowed, denied, skipped, invalid, error).',
      labelNames: ['kind', 'operation', 'verdict'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'ingress_guard_review_duration_seconds',
      help: 'Time to judge one AdmissionReview (parse, evaluate, build the answer).',
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    }),
    findings: new Counter({
      name: 'ingress_guard_findings_total',
      help: 'Findings reported in admission answers, by rule and severity.',
      labelNames: ['rule', 'severity'] as const,
      registers: [registry],
    }),
  };

  const stateObjects = options.stateObjects;
  if (stateObjects) {
    new Gauge({
      name: 'ingress_guard_state_objects',
      help: 'Objects in the cluster state the webhook judges against (Secrets as digests).',
      registers: [registry],
      collect() {
        this.set(stateObjects());
      },
    });
  }

  const problems = options.problems;
  if (problems) {
    const byRuleAndKind = (name: string, help: string, list: (r: ProblemsReport) => BrokenObject[] | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['rule', 'kind'] as const,
        registers: [registry],
        collect() {
          this.reset();
          const counts = new Map<string, { rule: string; kind: string; n: number }>();
          const report = problems();
          for (const o of (report && list(report)) ?? []) {
            for (const rule of new Set(o.findings.map((f) => f.rule))) {
              const key = `${rule}|${o.kind}`;
              const entry = counts.get(key) ?? { rule, kind: o.kind, n: 0 };
              entry.n++;
              counts.set(key, entry);
            }
          }
          for (const c of counts.values()) this.set({ rule: c.rule, kind: c.kind }, c.n);
        },
      });
    byRuleAndKind('ingress_guard_broken_objects', 'Objects KIC\'s fallback would treat as broken (Kong rejects their configuration), by rule and kind.', (r) => r.brokenObjects);
    byRuleAndKind('ingress_guard_denied_objects', 'Objects with deny-level findings that Kong accepts (KIC skips, refuses or misroutes them; no fallback), by rule and kind.', (r) => r.deniedObjects);
    new Gauge({
      name: 'ingress_guard_excluded_objects',
      help: 'Objects KIC\'s fallback would exclude: the broken ones and everything that depends on them.',
      registers: [registry],
      collect() {
        const report = problems();
        if (report) this.set(report.excludedObjects?.length ?? 0);
      },
    });
  }

  const informers = options.informers;
  if (informers) {
    const now = options.now ?? Date.now;
    new Gauge({
      name: 'ingress_guard_informer_enabled',
      help: 'Whether the API server serves the kind (1) or it is disabled until it appears (0, e.g. Gateway API not installed).',
      labelNames: ['kind'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of informers()) this.set({ kind: s.kind }, s.enabled ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ingress_guard_informer_synced',
      help: 'Whether the kind has been listed and is being watched now (1) or not (0: not listed yet, or its watch failed and is reconnecting).',
      labelNames: ['kind'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of informers()) this.set({ kind: s.kind }, s.synced ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ingress_guard_informer_silent_relists',
      help: 'Watches dropped and relisted since start because nothing, not even a bookmark, arrived for the silence bound.',
      labelNames: ['kind'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of informers()) this.set({ kind: s.kind }, s.silentRelists);
      },
    });
    // Counters kept by the informers, exported as they stand at scrape time.
    const counters: [string, string, (s: InformerStatus) => number][] = [
      ['ingress_guard_informer_watch_failures_total', 'Watch requests that failed (refused, HTTP error, error event, not accepted in time), by kind.', (s) => s.watchFailures],
      ['ingress_guard_informer_list_failures_total', 'List requests that failed, by kind.', (s) => s.listFailures],
      ['ingress_guard_informer_relists_total', 'Lists after the first (watch expired with 410, went silent, or lost its place), by kind.', (s) => s.relists],
    ];
    for (const [name, help, value] of counters) {
      new Counter({
        name,
        help,
        labelNames: ['kind'] as const,
        registers: [registry],
        collect() {
          this.reset();
          for (const s of informers()) this.inc({ kind: s.kind }, value(s));
        },
      });
    }
    new Gauge({
      name: 'ingress_guard_informer_last_event_age_seconds',
      help: 'Seconds since the kind last listed or received a watch event (bookmarks included); absent until the first.',
      labelNames: ['kind'] as const,
      registers: [registry],
      collect() {
        this.reset();
        const t = now();
        for (const s of informers()) if (s.lastEventAt !== undefined) this.set({ kind: s.kind }, Math.max(0, (t - s.lastEventAt) / 1000));
      },
    });
  }
  return metrics;
}
