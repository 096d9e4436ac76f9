// Plain-HTTP diagnostics: liveness, readiness, metrics and the problems report. Never serves Secret data:
// the report names objects and carries finding messages, which never quote Secret values.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ProblemsReport } from '../engine/problems.ts';
import type { Metrics } from './metrics.ts';
import { askedFor } from './webhook.ts';

export interface Readiness {
  ready: boolean;
  /** Why not ready, e.g. "caches not synced: KongConsumer". */
  reason?: string;
}

export interface DiagnosticsOptions {
  metrics: Metrics;
  isReady: () => boolean | Readiness;
  /** The fallback picture of the current state; undefined until the state is complete. */
  problems?: () => ProblemsReport | undefined;
  logger?: FastifyBaseLogger;
}

const DIAGNOSTIC_PATHS = ['/healthz', '/readyz', '/metrics', '/debug/config/problems'];

export function buildDiagnostics(options: DiagnosticsOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger?.child({ component: 'diagnostics' }),
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `not found: ${askedFor(request)}; this port serves GET ${DIAGNOSTIC_PATHS.join(', ')}` }),
  );
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const r = options.isReady();
    const readiness: Readiness = typeof r === 'boolean' ? { ready: r } : r;
    if (readiness.ready) return { status: 'ready' };
    return reply.code(503).send({ status: 'not ready', reason: readiness.reason ?? 'the cluster state is not loaded yet' });
  });
  app.get('/debug/config/problems', async (_req, reply) => {
    const report = options.problems?.();
    if (report) return report;
    return reply.code(503).send({ status: 'unavailable', reason: options.problems ? 'the cluster state is not complete yet' : 'no problems report in this process' });
  });
  app.get('/metrics', async (_req, reply) => {
    const text = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(text);
  });
  return app;
}
