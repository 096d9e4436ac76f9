// Plain-HTTP diagnostics: liveness, readiness, metrics, the problems report and request traces. Never serves
// Secret data: the report names objects and carries finding messages, which never quote Secret values; a trace
// names plugins by their objects and credentials only by where Kong looks for them.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ProblemsReport } from '../engine/problems.ts';
import type { Metrics } from './metrics.ts';
import { headerLines, TraceInputError, type TraceRequest } from '../trace/trace.ts';
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
  /** `ingress-guard trace` over the current state, as JSON; undefined until the state is complete. */
  trace?: (request: TraceRequest) => unknown;
  logger?: FastifyBaseLogger;
}

const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** `?url=…&method=…&header=Name:value&header=…&sni=…` as a trace request; a message when it is not one. */
function traceRequestOf(query: Record<string, unknown>): TraceRequest | string {
  const [url] = strings(query.url);
  if (!url) return 'give the request as ?url=http://HOST/PATH (and optionally method=, header=Name:value, sni=)';
  let headers: Record<string, string[]>;
  try {
    headers = headerLines(strings(query.header));
  } catch (err) {
    if (err instanceof TraceInputError) return err.message;
    throw err;
  }
  const [method] = strings(query.method);
  const [sni] = strings(query.sni);
  return { url, headers, ...(method ? { method } : {}), ...(sni ? { sni } : {}) };
}

const DIAGNOSTIC_PATHS = ['/healthz', '/readyz', '/metrics', '/debug/config/problems', '/debug/trace?url=…'];

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
  app.get('/debug/trace', async (req, reply) => {
    const request = traceRequestOf(req.query as Record<string, unknown>);
    if (typeof request === 'string') return reply.code(400).send({ error: request });
    try {
      const answer = options.trace?.(request);
      if (answer !== undefined) return answer;
    } catch (err) {
      if (err instanceof TraceInputError) return reply.code(400).send({ error: err.message });
      throw err;
    }
    return reply.code(503).send({ status: 'unavailable', reason: options.trace ? 'the cluster state is not complete yet' : 'no state in this process' });
  });
  app.get('/metrics', async (_req, reply) => {
    const text = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(text);
  });
  return app;
}
