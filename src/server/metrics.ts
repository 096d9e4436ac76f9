// Prometheus metrics, on a dedicated registry so several servers (tests) can coexist.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  reviews: Counter<'kind' | 'operation' | 'verdict'>;
  duration: Histogram<never>;
  findings: Counter<'rule' | 'severity'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'ingress_guard_' });
  return {
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
}
