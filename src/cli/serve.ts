// `ingress-guard serve`: the webhook face of the engine (HTTPS) plus plain-HTTP diagnostics.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import { policyFrom } from './config-file.ts';
import { followStore, type FollowedReport } from '../engine/follow.ts';
import type { ProblemTracker } from '../engine/problems.ts';
import { buildDiagnostics } from '../server/diagnostics.ts';
import { traceJson } from '../trace/render.ts';
import { traceRequest } from '../trace/trace.ts';
import type { Translator } from '../translate/translator.ts';
import { createMetrics } from '../server/metrics.ts';
import { loadClientCa, loadPathToken, parseClientCa, watchFile, type ClientCa } from '../server/auth.ts';
import { loadPair, watchPair } from '../server/tls.ts';
import { keepReviewGarbageYoung, returnStartupMemory } from '../server/heap.ts';
import { buildWebhook, errorForLog, logDestination } from '../server/webhook.ts';
import { loadManifests } from '../state/manifests.ts';
import { Store } from '../state/store.ts';
import { startInformers, type InformerSet } from '../state/informers.ts';
import { liveSource } from './live.ts';
import { UsageError } from './check.ts';

export const SERVE_HELP = `Usage: ingress-guard serve [options]

Runs the validating admission webhook: POST /validate over HTTPS (AdmissionReview v1),
and /healthz, /readyz and /metrics over plain HTTP on the diagnostics port.

Options (each also from the environment as INGRESS_GUARD_<OPTION>, e.g. INGRESS_GUARD_TLS_CERT):
  --state PATH              cluster state from manifest files or directories (repeatable;
                            in the environment, comma-separated). The state is a snapshot:
                            it is not updated by the reviews it answers.
  --port N                  HTTPS port (default: 8443; 0 picks a free port)
  --host ADDR               address to listen on (default: 0.0.0.0)
  --tls-cert FILE           serving certificate, PEM (default: certs/tls.crt)
  --tls-key FILE            its private key, PEM (default: certs/tls.key)
                            Both are watched and reloaded without a restart.
  --client-ca FILE          require a client certificate signed by a CA in FILE (PEM): the
                            API server presents it when its --admission-control-config-file
                            names a kubeconfig with a client certificate (docs/deploy.md).
                            Watched and reloaded like the serving pair.
  --path-token-file FILE    serve reviews at /validate/TOKEN only, TOKEN read from FILE (at
                            least 32 characters: A-Z a-z 0-9 . _ ~ -); /validate answers 404.
                            Set clientConfig.service.path to /validate/TOKEN.
  --diagnostics-port N      plain-HTTP port for /healthz, /readyz, /metrics (default: 10254)
  --ingress-class NAME      KIC's ingress class (default: kong)
  --strict                  dangling references (missing Service, Secret, plugin, ...) deny
  --config FILE             configuration file (YAML): class, per-rule severity, strict,
                            custom plugins, ignored namespaces (flags win over it)
  --stale-after SEC         with --kubeconfig: when a kind has heard nothing from the API server
                            for this long (default: 600), every verdict carries a warning that
                            the view may be stale
  --fail-closed-unwatched   with --kubeconfig: while the watch of a kind is down (API server
                            unreachable, restarting), deny changes to objects of that kind
                            instead of judging them from a possibly stale view (every verdict
                            names such kinds in a warning either way)
  -h, --help                this help

  --kubeconfig FILE         live cluster state from this kubeconfig (default without --state:
                            KUBECONFIG, else the in-cluster service account, else
                            ~/.kube/config). /readyz turns ready once every served kind has
                            been listed.
  --shutdown-delay SEC      on SIGTERM, keep answering (with /readyz 503) this long before closing
                            the listener, while the endpoint leaves the Service (default: 5; 0: none)

SIGTERM: not ready at once, answers for --shutdown-delay, then stops accepting connections, lets
in-flight reviews finish and exits 0. SIGINT (Ctrl-C) skips or cuts short the delay.
`;

export interface ServeIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Where the JSON log lines go (default: stdout). */
  logStream?: DestinationStream;
  /** Resolves to stop the server (default: SIGTERM or SIGINT). */
  stopSignal?: Promise<unknown>;
  /** Called once both servers listen (tests). */
  onListening?: (addresses: { port: number; diagnosticsPort: number }) => void;
}

const OPTIONS = {
  state: { type: 'string', multiple: true },
  kubeconfig: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'client-ca': { type: 'string' },
  'path-token-file': { type: 'string' },
  'diagnostics-port': { type: 'string' },
  'ingress-class': { type: 'string' },
  strict: { type: 'boolean' },
  config: { type: 'string' },
  'stale-after': { type: 'string' },
  'shutdown-delay': { type: 'string' },
  'fail-closed-unwatched': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function envName(flag: string): string {
  return `INGRESS_GUARD_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function secondsOf(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new UsageError(`serve: --${flag} must be a whole number of seconds (1 or more), not "${value}"`);
  return n;
}

function delayOf(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 600) throw new UsageError(`serve: --shutdown-delay must be a whole number of seconds (0-600), not "${value}"`);
  return Number(value);
}

function portOf(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`serve: --${flag} must be a port number (0-65535), not "${value}"`);
  return n;
}

/** Flags win over the environment. */
export function serveSettings(argv: string[], env: NodeJS.ProcessEnv) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  if (positionals.length > 0) throw new UsageError(`serve: unexpected argument "${positionals[0]}"`);
  const str = (flag: keyof typeof OPTIONS, fallback: string): string => {
    const v = values[flag as 'port'];
    if (typeof v === 'string') return v;
    return env[envName(flag)] ?? fallback;
  };
  const bool = (flag: 'strict' | 'fail-closed-unwatched'): boolean => {
    if (values[flag] !== undefined) return values[flag]!;
    const v = env[envName(flag)]?.toLowerCase();
    if (v === undefined || v === '') return false;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    throw new UsageError(`serve: ${envName(flag)} must be true or false, not "${v}"`);
  };
  const state = values.state ?? (env[envName('state')] ? env[envName('state')]!.split(',').map((s) => s.trim()).filter(Boolean) : []);
  return {
    help: values.help ?? false,
    state,
    kubeconfig: str('kubeconfig', ''),
    port: portOf('port', str('port', '8443')),
    host: str('host', '0.0.0.0'),
    tlsCert: str('tls-cert', 'certs/tls.crt'),
    tlsKey: str('tls-key', 'certs/tls.key'),
    clientCa: str('client-ca', ''),
    pathTokenFile: str('path-token-file', ''),
    diagnosticsPort: portOf('diagnostics-port', str('diagnostics-port', '10254')),
    ingressClass: str('ingress-class', ''),
    strict: bool('strict'),
    config: str('config', ''),
    staleAfterS: secondsOf('stale-after', str('stale-after', '600')),
    shutdownDelayS: delayOf(str('shutdown-delay', '5')),
    failClosedUnwatched: bool('fail-closed-unwatched'),
  };
}

export async function runServe(argv: string[], io: ServeIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const settings = serveSettings(argv, env);
  if (settings.help) {
    io.stdout(SERVE_HELP);
    return 0;
  }
  if (settings.state.length > 0 && settings.kubeconfig) throw new UsageError('serve takes --state or --kubeconfig, not both');
  // Before anything else: which API server, or why none (exit 2).
  const api = settings.state.length > 0 ? undefined : liveSource('serve', settings.kubeconfig || undefined, env);
  const policy = policyFrom(settings.config || undefined, { ingressClass: settings.ingressClass, strict: settings.strict });
  // Before the state is loaded: see heap.ts.
  keepReviewGarbageYoung();
  // Buffered stdout (see logDestination), ended on stop.
  const stdout = io.logStream ? undefined : logDestination({ fd: 1 });
  const log: Logger = pino({ name: 'ingress-guard', base: { pid: process.pid } }, io.logStream ?? stdout!);

  let tls;
  try {
    tls = await loadPair(settings.tlsCert, settings.tlsKey);
  } catch (err) {
    throw new UsageError(
      `serve: cannot use the TLS pair ${settings.tlsCert} / ${settings.tlsKey}: ${(err as Error).message}. Create one with "ingress-guard certs" or point --tls-cert/--tls-key at a mounted Secret.`,
    );
  }

  let clientCa: ClientCa | undefined;
  let pathToken: string | undefined;
  try {
    if (settings.clientCa) clientCa = await loadClientCa(settings.clientCa);
    if (settings.pathTokenFile) pathToken = await loadPathToken(settings.pathTokenFile);
  } catch (err) {
    throw new UsageError(`serve: ${(err as Error).message}`);
  }

  const store = new Store();
  let informers: InformerSet | undefined;
  if (settings.state.length > 0) {
    const loaded = await loadManifests(settings.state);
    if (loaded.problems.length > 0) {
      for (const p of loaded.problems) io.stderr(`error: ${p.message}\n`);
      throw new UsageError(`serve: the state in ${settings.state.join(', ')} could not be read (${loaded.problems.length} problems)`);
    }
    for (const o of loaded.objects) store.upsert(o.object);
    log.info({ objects: store.size, ignored: loaded.ignored, sources: settings.state }, 'state loaded');
  } else {
    log.info({ server: api!.server, from: api!.source }, 'live state from the API server');
    informers = await startInformers({ kubeConfig: api!.kubeConfig, store, logger: log });
  }

  const live = informers;
  // The problems report judges the whole state once it is complete, then follows it event by event. Whole-state
  // judgements run in slices that yield to the event loop (engine/follow.ts), so /healthz and reviews are
  // answered throughout; reviews meanwhile carry a warning that the report is incomplete.
  let followed: FollowedReport | undefined;
  const track = () => {
    let first = true;
    followed = followStore(store, policy, {
      rebuilt: (why, ms) => {
        log.info({ broken: followed!.tracker.report().brokenObjects?.length ?? 0, objects: store.size, ms: Math.round(ms), why }, 'problems report ready');
        if (!first) return;
        first = false;
        // Synchronously, so before /readyz can answer ready: see heap.ts.
        const rss = process.memoryUsage.rss();
        const started = performance.now();
        returnStartupMemory();
        log.info({ ms: Math.round(performance.now() - started), rssMiB: Math.round(rss / 2 ** 20), rssAfterMiB: Math.round(process.memoryUsage.rss() / 2 ** 20) }, 'start-up memory returned');
      },
      failed: (err) => log.error({ err: errorForLog(err) }, 'problems report: event not applied; rebuilding'),
    });
  };
  const problems = () => followed?.tracker;
  let trackWhenSynced: NodeJS.Timeout | undefined;
  if (!live) track();
  else {
    trackWhenSynced = setInterval(() => {
      if (!live.ready()) return;
      clearInterval(trackWhenSynced);
      track();
    }, 250);
  }
  const report = () => problems()?.report();
  const metrics = createMetrics({
    defaultMetrics: true,
    stateObjects: () => store.size,
    problems: report,
    ...(live ? { informers: () => live.status() } : {}),
  });
  // A live view whose watches went quiet for too long (API server unreachable) still judges, and says so.
  const staleness = (): string | undefined => {
    if (!live) return undefined;
    const now = Date.now();
    const quiet = live.status().filter((s) => s.enabled && s.lastEventAt !== undefined && now - s.lastEventAt > settings.staleAfterS * 1000);
    if (!quiet.length) return undefined;
    const minutes = Math.floor((now - Math.min(...quiet.map((s) => s.lastEventAt!))) / 60_000);
    return `ingress-guard: its view of ${quiet.map((s) => s.kind).join(', ')} is ${minutes} min old (no word from the API server): this verdict may miss recent changes.`;
  };
  // Kinds whose watch failed and is reconnecting: their view stopped following the cluster then (before the
  // first list, /readyz keeps traffic away instead).
  const unwatched = (): string[] => live?.unwatched() ?? [];
  const webhook = buildWebhook({ getView: () => store, policy, tls, logger: log, metrics, staleness, unwatched, failClosedUnwatched: settings.failClosedUnwatched, knownFindings: problems, ...(clientCa ? { clientCa: clientCa.pem } : {}), ...(pathToken ? { pathToken } : {}) });
  const caWatcher = settings.clientCa
    ? watchFile(settings.clientCa, (text) => {
        try {
          const ca = parseClientCa(text, settings.clientCa);
          webhook.setClientCa(ca.pem);
          log.info({ subjects: ca.subjects }, 'client CA reloaded');
        } catch (err) {
          log.warn({ reason: (err as Error).message }, 'new client CA ignored; still trusting the previous one');
        }
      })
    : undefined;
  let ready = false;
  let stopping = false;
  // One translator for /debug/trace while the state is unchanged (trace's route index lives on it), reusing the
  // problems report's live translation of the store.
  let traced: { revision: number; tr: Translator } | undefined;
  const traceTranslator = (tracker: ProblemTracker): Translator => {
    if (traced?.revision !== store.revision) traced = { revision: store.revision, tr: tracker.translation.forReview(store) };
    return traced.tr;
  };
  const diagnostics = buildDiagnostics({
    metrics,
    problems: report,
    trace: (request) => {
      const tracker = problems();
      return tracker ? traceJson(traceRequest(traceTranslator(tracker), request)) : undefined;
    },
    logger: log,
    isReady: () => {
      if (stopping) return { ready: false, reason: 'shutting down' };
      if (!ready) return { ready: false, reason: 'starting' };
      // Listed once is enough: a watch that fails later is said in every verdict (and denied with
      // --fail-closed-unwatched); taking the webhook out of the Service would leave it to the failurePolicy.
      if (informers && !informers.ready()) return { ready: false, reason: `caches not synced: ${informers.status().filter((s) => s.enabled && !s.listed).map((s) => s.kind).join(', ')}` };
      // Judging the whole state once takes seconds at 50k objects: traffic waits until it is done.
      if (!followed?.built()) return { ready: false, reason: 'building the problems report' };
      return true;
    },
  });

  const watcher = watchPair({
    certFile: settings.tlsCert,
    keyFile: settings.tlsKey,
    current: tls,
    onChange: (pair, info) => {
      webhook.setTls(pair);
      log.info({ serialNumber: info.serialNumber, validTo: info.validTo }, 'serving certificate reloaded');
    },
    onError: (err) => log.warn({ reason: err.message }, 'new TLS pair ignored; still serving the previous one'),
  });

  await webhook.listen({ port: settings.port, host: settings.host });
  await diagnostics.listen({ port: settings.diagnosticsPort, host: settings.host });
  const port = (webhook.server.address() as { port: number }).port;
  const diagnosticsPort = (diagnostics.server.address() as { port: number }).port;
  ready = true;
  log.info({ port, diagnosticsPort, host: settings.host, serialNumber: tls.info.serialNumber, strict: policy.strict, clientCertificates: clientCa ? clientCa.subjects : 'not required', pathToken: pathToken ? 'required' : 'not required' }, 'listening');
  io.onListening?.({ port, diagnosticsPort });

  // SIGINT (Ctrl-C, a person at a terminal) ends the delay: nobody is routing reviews to a local run.
  const interrupted = new AbortController();
  const stop =
    io.stopSignal ??
    new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => {
        resolve('SIGINT');
        interrupted.abort();
      });
    });
  const reason = await stop;
  stopping = true;
  const signal = typeof reason === 'string' ? reason : undefined;
  // The kubelet sends SIGTERM while the endpoint is still being removed from the Service, and the API server
  // keeps calling this pod until its endpoint cache hears of it: closing now would fail those reviews (rejected
  // writes under failurePolicy Fail). So: not ready, keep answering, then close.
  if (settings.shutdownDelayS > 0 && !interrupted.signal.aborted) {
    webhook.shedConnections();
    log.info({ signal, delaySeconds: settings.shutdownDelayS }, 'shutting down: not ready, still answering until the delay ends');
    await sleep(settings.shutdownDelayS * 1000, undefined, { signal: interrupted.signal }).catch(() => undefined);
  }
  log.info({ signal }, 'shutting down: finishing in-flight reviews');
  watcher.close();
  caWatcher?.close();
  // fastify.close stops accepting, closes idle keep-alive connections and waits for in-flight requests.
  await webhook.close();
  await diagnostics.close();
  clearInterval(trackWhenSynced);
  await informers?.stop();
  log.info('stopped');
  // end() writes what is buffered after any write still in flight, in order (flushSync could pass one).
  if (stdout) await new Promise((resolve) => stdout.once('close', resolve).end());
  return 0;
}
