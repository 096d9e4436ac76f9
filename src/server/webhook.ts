// The HTTPS face of the engine: POST /validate answers AdmissionReview v1 requests.
import type { Server as HttpsServer } from 'node:https';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { parseReview, responseFor, type ParsedReview } from '../admission/review.ts';
import { evaluate, type KnownFindings, type Verdict } from '../engine/evaluate.ts';
import type { Policy } from '../engine/policy.ts';
import type { StateView } from '../state/view.ts';
import { tokenMatches } from './auth.ts';
import type { Metrics } from './metrics.ts';
import type { TlsPair } from './tls.ts';

export const BODY_LIMIT = 8 * 1024 * 1024;

export interface WebhookOptions {
  getView: () => StateView;
  policy: Policy;
  tls: TlsPair;
  logger: Logger;
  metrics: Metrics;
  /** Test hook: replaces the engine. */
  evaluateFn?: typeof evaluate;
  /** Why the view may be out of date (a watch stuck or the API server unreachable), added to every verdict. */
  staleness?: () => string | undefined;
  /** Kinds whose watch is down right now (live state): named in every verdict's warnings. */
  unwatched?: () => string[];
  /** Deny changes to a kind whose watch is down (serve --fail-closed-unwatched). */
  failClosedUnwatched?: boolean;
  /** The current findings of the view, when something keeps them (the problems report): halves the work. */
  knownFindings?: () => KnownFindings | undefined;
  /** Require a client certificate signed by one of these CAs (PEM); the TLS handshake fails without one. */
  clientCa?: string;
  /** Serve reviews at /validate/<token> only (see src/server/auth.ts); /validate answers 404. */
  pathToken?: string;
}

export type WebhookApp = FastifyInstance<HttpsServer> & {
  /** Serves a new certificate to new connections; established ones keep theirs. */
  setTls(pair: TlsPair): void;
  /** Trusts new client CAs for new connections (only when started with clientCa). */
  setClientCa(pem: string): void;
  /**
   * Shutdown has begun but the listener stays open (serve's --shutdown-delay): every answer now carries
   * `Connection: close`, so the API server's pooled connections move to other replicas one review at a time.
   */
  shedConnections(): void;
};

class HttpError extends Error {
  statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

/** JSON.parse messages quote the input; keep only the position so a body's content never reaches a log. */
function jsonErrorMessage(err: unknown): string {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  return `the body is not valid JSON${m ? ` (at position ${m[1]})` : ''}`;
}

/**
 * An error as it may be logged. V8's TypeError and SyntaxError messages quote the values involved
 * ("Cannot use 'in' operator to search for 'x' in <value>"), and values come from the request (a Secret's
 * data included): those messages are replaced; the stack frames (code locations) are kept.
 */
export function errorForLog(err: unknown): { type: string; message: string; stack?: string } {
  if (!(err instanceof Error)) return { type: typeof err, message: 'a non-Error value was thrown' };
  const quotes = err instanceof TypeError || err instanceof SyntaxError;
  const message = quotes ? `(${err.name} message omitted: it may quote request content)` : err.message.slice(0, 300);
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  return { type: err.name, message, ...(frames.length ? { stack: frames.join('\n') } : {}) };
}

/**
 * Where serve's JSON lines go (stdout), shared with the benchmark. One write per line costs more than judging
 * a review: lines are written in batches of at least 4 KiB, and at least every 200 ms so a quiet webhook's
 * lines still show promptly (sonic-boom's minLength and periodicFlush). Written asynchronously: a slow reader
 * never blocks reviews. serve ends it on stop; pino writes what is left synchronously if the process exits.
 */
export function logDestination(target: { fd: number } | { dest: string }): ReturnType<typeof pino.destination> {
  return pino.destination({ ...target, sync: false, minLength: 4096, periodicFlush: 200 });
}

/** Body and connection handling shared with the benchmark's no-op webhook, so the two stay comparable. */
export const CONNECTION_OPTIONS = {
  logController: new LogController({ disableRequestLogging: true }),
  bodyLimit: BODY_LIMIT,
  // The API server's webhook client keeps idle connections for up to 90 s (Go's IdleConnTimeout):
  // keep ours open longer, so it never sends a review on a connection we are closing.
  keepAliveTimeout: 120_000,
  connectionTimeout: 30_000,
  requestTimeout: 30_000,
  return503OnClosing: true,
} as const;

export function buildWebhook(options: WebhookOptions): WebhookApp {
  const { metrics, policy } = options;
  const run = options.evaluateFn ?? evaluate;
  const log = options.logger;
  let tls = options.tls;
  let clientCa = options.clientCa;
  // The secure context holds the serving pair and the client CAs: a reload of either keeps the other.
  const context = () => ({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' as const, ...(clientCa ? { ca: clientCa } : {}) });
  const app = Fastify({
    https: { ...context(), ...(clientCa ? { requestCert: true, rejectUnauthorized: true } : {}) },
    // Room for a path token of up to 256 characters.
    routerOptions: { maxParamLength: 300 },
    loggerInstance: log,
    ...CONNECTION_OPTIONS,
  }) as unknown as FastifyInstance<HttpsServer>;

  // While closing, answer in-flight reviews with `Connection: close`. Node's server.close() only closes
  // connections that are idle at that moment: one still answering a review would stay open as keep-alive
  // afterwards, holding the process for the whole keepAliveTimeout (past any grace period), and the API
  // server would send its next review on it and get a 503.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    if (typeof body !== 'string' || body.trim() === '') return done(new HttpError(400, 'the body is empty; expected an AdmissionReview (JSON)'), undefined);
    try {
      done(null, JSON.parse(body));
    } catch (err) {
      done(new HttpError(400, jsonErrorMessage(err)), undefined);
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: errorForLog(error), reqId: request.id }, 'internal error');
      return reply.code(500).send({ error: 'internal error' });
    }
    let message = error.message;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') message = `the body is larger than ${BODY_LIMIT} bytes`;
    else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') message = 'the Content-Type must be application/json';
    metrics.reviews.inc({ kind: '', operation: '', verdict: 'invalid' });
    request.log.warn({ status, reason: message }, 'rejected request');
    return reply.code(status).send({ error: message });
  });

  // With a path token, the answer never hints where reviews are served.
  const notFound = (request: { method: string; url: string }) => `not found: ${askedFor(request)}${options.pathToken ? '' : '; reviews are served at POST /validate'}`;
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: notFound(request) }));

  const pathToken = options.pathToken;
  // A wrong token is answered exactly like an unknown path (constant-time comparison), before the body is read.
  const checkToken = pathToken
    ? {
        onRequest: (request: { params: unknown; method: string; url: string }, reply: { code(n: number): { send(body: unknown): unknown } }, done: () => void) => {
          if (tokenMatches(pathToken, (request.params as { token?: string }).token ?? '')) return done();
          reply.code(404).send({ error: notFound(request) });
        },
      }
    : {};
  app.post(pathToken ? '/validate/:token' : '/validate', checkToken, async (request, reply) => {
    const started = process.hrtime.bigint();
    const parsed = parseReview(request.body);
    if (!parsed.ok) {
      metrics.reviews.inc({ kind: '', operation: '', verdict: 'invalid' });
      request.log.warn({ status: parsed.status, reason: parsed.message }, 'rejected request');
      return reply.code(parsed.status).send({ error: parsed.message });
    }
    const review = parsed.review;
    // Kinds we judge by name; anything else is `other`: a label taken from the request would let any caller
    // create time series without bound.
    const kindLabel = review.kind?.kind ?? 'other';
    let verdict: Verdict | undefined;
    const known = options.knownFindings?.();
    try {
      if (review.change) verdict = run(options.getView(), review.change, policy, known);
    } catch (err) {
      metrics.reviews.inc({ kind: kindLabel, operation: review.operation, verdict: 'error' });
      // The API server's failurePolicy decides what a 500 means.
      request.log.error({ uid: review.uid, kind: kindLabel, namespace: clip(review.namespace), name: clip(review.name), operation: review.operation, err: errorForLog(err) }, 'review failed');
      return reply.code(500).send({ error: `internal error judging request ${review.uid}` });
    }
    const body = responseFor(review.uid, verdict ?? 'allow', review.requestKind);
    const stale = verdict && options.staleness?.();
    if (stale) body.response.warnings = [...(body.response.warnings ?? []), stale];
    // The problems report still being built (start-up, a rebuild): the verdict stands, and says what it may miss.
    const incomplete = verdict && known?.incomplete?.();
    if (incomplete) body.response.warnings = [...(body.response.warnings ?? []), incomplete];
    const unwatched = verdict ? (options.unwatched?.() ?? []) : [];
    const closed = options.failClosedUnwatched && kindLabel !== 'other' && unwatched.includes(kindLabel);
    if (unwatched.length) body.response.warnings = [...(body.response.warnings ?? []), unwatchedWarning(unwatched)];
    if (closed) {
      const denial = unwatchedDenial(kindLabel, review);
      body.response.allowed = false;
      body.response.status = { code: 403, reason: 'Forbidden', message: [denial, body.response.status?.message].filter(Boolean).join('\n') };
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.duration.observe(seconds);
    metrics.reviews.inc({ kind: kindLabel, operation: review.operation, verdict: verdict ? (body.response.allowed ? 'allowed' : 'denied') : 'skipped' });
    if (verdict) for (const f of [...verdict.denials, ...verdict.warnings]) metrics.findings.inc({ rule: f.rule, severity: f.severity });
    // The line is built only when it is written (a level above info throws it away).
    if (log.isLevelEnabled('info')) request.log.info({ ...logLine(review, verdict, seconds), ...(closed ? { allowed: false, unwatched } : {}) }, 'review');
    return reply.code(200).send(body);
  });

  const webhook = app as WebhookApp;
  webhook.setTls = (pair: TlsPair) => {
    tls = pair;
    app.server.setSecureContext(context());
  };
  webhook.shedConnections = () => {
    closing = true;
  };
  webhook.setClientCa = (pem: string) => {
    if (!clientCa) throw new Error('the webhook was started without a client CA');
    clientCa = pem;
    app.server.setSecureContext(context());
  };
  return webhook;
}

/** Short, like the staleness warning: kubectl shows warnings one per line. */
export function unwatchedWarning(kinds: string[]): string {
  return `ingress-guard: its watch of ${kinds.join(', ')} is down (reconnecting to the API server): this verdict may miss changes made since.`;
}

function unwatchedDenial(kind: string, review: ParsedReview): string {
  const subject = `${kind} ${review.namespace ? `${review.namespace}/` : ''}${clip(review.name) ?? ''}`.trim();
  return (
    `ingress-guard: this change to ${subject} is not judged: the webhook's watch of ${kind} objects is down (reconnecting to the API server), ` +
    `so its view of them may be stale, and serve --fail-closed-unwatched denies changes to them until the watch is back. Fix: retry in a few seconds.`
  );
}

/** Names as the API server bounds them (253); a forged review's megabyte-long namespace stays out of the logs. */
/** "GET /x" for a 404: the path as asked (no query string, which may carry anything), clipped. */
export function askedFor(request: { method: string; url: string }): string {
  const path = request.url.split('?')[0]!;
  return `${request.method} ${path.length > 200 ? `${path.slice(0, 200)}...` : path}`;
}

function clip(text: string | undefined): string | undefined {
  return text !== undefined && text.length > 253 ? `${text.slice(0, 253)}…` : text;
}

/** One line per review: who, what, the verdict and rule ids. Never object contents. */
function logLine(review: ParsedReview, verdict: Verdict | undefined, seconds: number): Record<string, unknown> {
  return {
    uid: review.uid,
    kind: clip(review.kind?.kind ?? review.requestKind?.kind),
    namespace: clip(review.namespace),
    name: clip(review.name),
    operation: review.operation,
    dryRun: review.dryRun,
    allowed: verdict?.allowed ?? true,
    judged: verdict ? verdict.judged : 'skipped',
    denied: verdict?.denials.map((f) => f.rule) ?? [],
    warned: verdict?.warnings.map((f) => f.rule) ?? [],
    durationMs: Math.round(seconds * 1e6) / 1e3,
  };
}
