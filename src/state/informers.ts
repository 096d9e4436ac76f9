// Live cluster state: one list+watch loop per kind, feeding the Store.
//
// Built on @kubernetes/client-node's `Watch` (streaming, auth, TLS) and its HTTP layer for lists, rather
// than on `makeInformer`/`ListWatch`: in 2.0.1 ListWatch stops for good on any list or watch error (it
// only emits 'error'), cannot tell a 404 (API not installed) apart, takes no field selector through
// makeInformer, and its stop() does not wait for the connection to close. The loop here does the same
// protocol (list, then watch from the list's resourceVersion, relist on 410) with its own recovery: a failed
// list or watch backs off (doubling, up to 30 s), and the first success of any kind afterwards ends every
// kind's wait, since it means the API server is back. A kind whose watch is down keeps its last view, and
// says so (`synced` false, `unwatched()`), so that verdicts can name it.
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpMethod, IsomorphicFetchHttpLibrary, type KubeConfig, RequestContext, Watch } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { SECRET_FIELD_SELECTOR } from '../model/secret-selection.ts';
import { CA_CERT_LABEL } from '../model/ca-certificate.ts';
import { KINDS, type KindInfo } from '../model/kinds.ts';
import { isRecord, keyOf, type K8sObject } from '../model/object.ts';
import { displayUrl } from './kubeconfig.ts';
import type { Store } from './store.ts';
import { forEachInSlices } from './slices.ts';

export interface InformerOptions {
  kubeConfig: KubeConfig;
  store: Store;
  logger: Logger;
  /** First delay after a failed list/watch; doubles up to 30 s (or this value if larger). Default 1000. */
  relistBackoffMs?: number;
  /** How often a kind whose API is not served is tried again. Default 60000. */
  missingKindRetryMs?: number;
  /**
   * A kind that was served and is answered 404 is kept (unwatched, retried at the base delay) for this long
   * before it counts as removed and its objects leave the view: a restarting kube-apiserver answers 404 for
   * CRDs until it has loaded them, and emptying the view then would report every KongPlugin missing. Default 60000.
   */
  vanishedGraceMs?: number;
  /**
   * A watch that delivers nothing, not even a bookmark (the API server sends one about every minute), for this
   * long is presumed stuck: it is dropped and the kind relisted. Default 300000 (5 min).
   */
  silentAfterMs?: number;
  kinds?: readonly KindInfo[];
}

export interface InformerStatus {
  kind: string;
  enabled: boolean;
  /** Listed at least once since the kind was (re-)enabled: the store holds a complete view (readiness). */
  listed: boolean;
  /** Listed and currently watching: false from a failed list or watch until a watch is established again. */
  synced: boolean;
  lastEventAt?: number;
  reason?: string;
  /** Watches dropped and relisted because they went silent. */
  silentRelists: number;
  /** Watch requests that failed (refused, HTTP error, error event, no answer), since start. */
  watchFailures: number;
  /** List requests that failed, since start. */
  listFailures: number;
  /** Successful lists after the first (after a 410, a silent watch, the kind coming back), since start. */
  relists: number;
}

export interface InformerSet {
  /** Every enabled kind has been listed. */
  ready(): boolean;
  status(): InformerStatus[];
  /** Kinds listed but not watched right now (a list or watch failed; reconnecting): their view may be stale. */
  unwatched(): string[];
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;
/**
 * Answers that mean "the API server is up, this resource is not ready yet" (a restarted kube-apiserver answers
 * CRD requests 503 until it has loaded them; 429 is its overload protection): retried at the base delay, not
 * a doubled one, so a kind is back within about a second of the server.
 */
const RETRY_SOON = new Set([429, 503]);

/** A failed HTTP exchange with the API server. */
class ApiError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

function statusOf(err: unknown): number | undefined {
  if (!isRecord(err)) return undefined;
  if (typeof err.statusCode === 'number') return err.statusCode;
  if (typeof err.code === 'number') return err.code;
  return undefined;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${(cause as { code?: string }).code ?? cause.message}` : '';
    return `${err.message}${detail}`;
  }
  return String(err);
}

function isAbort(err: unknown): boolean {
  return isRecord(err) && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

/** Drops what the engine never reads and that costs memory (managedFields); fills in kind/apiVersion. */
function trim(raw: unknown, info: KindInfo, version: string): K8sObject | undefined {
  if (!isRecord(raw) || !isRecord(raw.metadata) || typeof raw.metadata.name !== 'string') return undefined;
  const { managedFields: _dropped, ...metadata } = raw.metadata;
  return {
    ...raw,
    // List items from the API server usually carry no kind/apiVersion for built-in types.
    apiVersion: typeof raw.apiVersion === 'string' ? raw.apiVersion : info.group ? `${info.group}/${version}` : version,
    kind: typeof raw.kind === 'string' ? raw.kind : info.kind,
    metadata: metadata as unknown as K8sObject['metadata'],
  };
}

interface StreamSpec {
  fieldSelector?: string;
  labelSelector?: string;
}

/** Per-kind state, and the store bookkeeping (which keys the kind's stream holds). */
class KindInformer {
  readonly info: KindInfo;
  readonly stream: Stream;
  enabled = true;
  reason: string | undefined;
  lastEventAt: number | undefined;
  silentRelists = 0;
  watchFailures = 0;
  listFailures = 0;
  lists = 0;
  private readonly store: Store;
  readonly logger: Logger;

  constructor(info: KindInfo, spec: StreamSpec, ctx: Shared) {
    this.info = info;
    this.store = ctx.store;
    this.logger = ctx.logger.child({ kind: info.kind });
    this.stream = new Stream(this, spec, ctx);
  }

  touch(): void {
    this.lastEventAt = Date.now();
  }

  upsert(stream: Stream, obj: K8sObject): void {
    const key = keyOf(obj);
    stream.keys.add(key);
    this.store.upsert(obj);
  }

  remove(stream: Stream, key: string): void {
    if (stream.keys.delete(key)) this.store.delete(key);
  }

  status(): InformerStatus {
    const { listed, watching } = this.stream;
    const s: InformerStatus = {
      kind: this.info.kind,
      enabled: this.enabled,
      listed: this.enabled && listed,
      synced: this.enabled && listed && watching,
      silentRelists: this.silentRelists,
      watchFailures: this.watchFailures,
      listFailures: this.listFailures,
      relists: Math.max(0, this.lists - 1),
    };
    if (this.lastEventAt !== undefined) s.lastEventAt = this.lastEventAt;
    if (this.reason !== undefined) s.reason = this.reason;
    return s;
  }
}

interface Shared {
  kubeConfig: KubeConfig;
  store: Store;
  logger: Logger;
  backoffMs: number;
  missingRetryMs: number;
  vanishedGraceMs: number;
  silentAfterMs: number;
  stopSignal: AbortSignal;
  streams: Stream[];
  /** Some list or watch failed since the API server last answered one. */
  failing: boolean;
}

/** A list or a watch failed: the next success anywhere means the API server is back. */
function noteFailure(ctx: Shared): void {
  ctx.failing = true;
}

/**
 * A list succeeded or a watch was established. After failures, every kind's backoff is reset and the kinds
 * waiting one out retry at once: the delay doubled through an outage (up to 30 s) says nothing about the server
 * now, and a kind left waiting would be judged from a stale view while the others are current.
 */
function noteAnswer(ctx: Shared): void {
  if (!ctx.failing) return;
  ctx.failing = false;
  const waiting = ctx.streams.filter((s) => s.serverAnswered()).map((s) => s.kind);
  if (waiting.length) ctx.logger.info({ kinds: waiting }, 'the API server answers again: retrying every waiting kind now');
}

interface WatchEnd {
  err?: unknown;
  /** The server said the resourceVersion is too old (410): relist. */
  gone?: boolean;
  /** The watch delivered at least one event. */
  progressed?: boolean;
  /** The API server accepted the watch (200). */
  established?: boolean;
  /** Nothing arrived for silentAfterMs: dropped on purpose, to relist. */
  silent?: boolean;
}

/** One list+watch loop over a resource path with optional selectors. */
class Stream {
  readonly keys = new Set<string>();
  /** The store holds this kind's complete list (kept through watch failures: the view is old, not partial). */
  listed = false;
  /** A watch is established, or ended cleanly and is being resumed; false from a failure until the next one. */
  watching = false;
  private readonly owner: KindInformer;
  private readonly spec: StreamSpec;
  private readonly ctx: Shared;
  private readonly http = new IsomorphicFetchHttpLibrary();
  private readonly watcher: Watch;
  private versionIndex = 0;
  private backoff: number;
  private abortWatch: (() => void) | undefined;
  /** Ends a failure backoff early (the API server answered another kind). */
  private wake: AbortController | undefined;
  /** When the API server last said anything for this stream (a list, an event, a bookmark): silence spans resumes. */
  private lastHeard = Date.now();
  /** Set while the kind is disabled, so the "disabled" line is logged once per outage. */
  private missing = false;
  /** When a kind that was listed was first answered 404 (see vanishedGraceMs). */
  private vanishedSince: number | undefined;
  done: Promise<void> = Promise.resolve();

  constructor(owner: KindInformer, spec: StreamSpec, ctx: Shared) {
    this.owner = owner;
    this.spec = spec;
    this.ctx = ctx;
    this.backoff = ctx.backoffMs;
    this.watcher = new Watch(ctx.kubeConfig);
  }

  private get stopped(): boolean {
    return this.ctx.stopSignal.aborted;
  }

  private get version(): string {
    return this.owner.info.versions[this.versionIndex] ?? this.owner.info.versions[0] ?? 'v1';
  }

  private path(): string {
    const { group, resource } = this.owner.info;
    return group ? `/apis/${group}/${this.version}/${resource}` : `/api/${this.version}/${resource}`;
  }

  start(): void {
    this.done = this.run().catch((err: unknown) => {
      // run() catches everything itself; this is a last line of defence against unhandled rejections.
      this.owner.logger.error({ err }, 'informer loop failed');
    });
  }

  stopWatch(): void {
    this.abortWatch?.();
  }

  private async pause(ms: number, wakeable = false): Promise<void> {
    const wake = wakeable ? (this.wake = new AbortController()) : undefined;
    try {
      await sleep(ms, undefined, { signal: wake ? AbortSignal.any([this.ctx.stopSignal, wake.signal]) : this.ctx.stopSignal });
    } catch {
      // stopped, or woken
    } finally {
      if (this.wake === wake) this.wake = undefined;
    }
  }

  /** A failed list or watch: no longer watching; how long to wait (base delay after 429/503, else doubling). */
  private failed(err: unknown): number {
    this.watching = false;
    noteFailure(this.ctx);
    const status = statusOf(err);
    return status !== undefined && RETRY_SOON.has(status) ? this.ctx.backoffMs : this.nextBackoff();
  }

  /** Resets the backoff; returns whether it was waiting one out (and is now woken). */
  serverAnswered(): boolean {
    this.backoff = this.ctx.backoffMs;
    if (!this.wake) return false;
    this.wake.abort();
    return true;
  }

  get kind(): string {
    return this.owner.info.kind;
  }

  private nextBackoff(): number {
    const current = this.backoff;
    this.backoff = Math.min(this.backoff * 2, Math.max(MAX_BACKOFF_MS, this.ctx.backoffMs));
    return current;
  }

  private async run(): Promise<void> {
    let resourceVersion = '';
    while (!this.stopped) {
      if (!resourceVersion) {
        const listed = await this.relist();
        if (this.stopped) return;
        if (listed === undefined) continue; // relist() already waited
        resourceVersion = listed;
        this.lastHeard = Date.now();
      }
      const end = await this.watchOnce(resourceVersion, (rv) => (resourceVersion = rv));
      if (this.stopped) return;
      const status = statusOf(end.err);
      // Below, the watch is over and the view waits for a relist: not watching until the next watch is accepted.
      if (end.gone || status === 410) {
        this.watching = false;
        this.owner.logger.info({ path: this.path() }, 'watch expired (410), relisting');
        resourceVersion = '';
        continue;
      }
      if (end.silent) {
        this.watching = false;
        this.owner.silentRelists++;
        this.owner.logger.warn({ path: this.path(), silentForMs: this.ctx.silentAfterMs }, 'watch silent (not even a bookmark), relisting');
        resourceVersion = '';
        continue;
      }
      if (status === 404) {
        this.watching = false;
        resourceVersion = ''; // the API went away: the list decides what to do
        continue;
      }
      // An accepted watch that went idle (client-node's 30 s inactivity timeout): resume. A watch the server
      // never accepted in that time is a failure.
      if (end.established && isRecord(end.err) && end.err.name === 'TimeoutError') continue;
      if (end.err) {
        this.owner.watchFailures++;
        const wait = this.failed(end.err);
        this.owner.logger.warn({ path: this.path(), err: messageOf(end.err), retryInMs: wait }, 'watch failed, reconnecting');
        await this.pause(wait, true);
      } else if (!end.progressed) {
        // Closed by the server without a single event: don't spin if it keeps doing that.
        await this.pause(this.nextBackoff(), true);
      }
    }
  }

  /** Lists and reconciles; returns the list's resourceVersion, or undefined after waiting out a failure. */
  private async relist(): Promise<string | undefined> {
    const info = this.owner.info;
    let list: { items: unknown[]; resourceVersion: string };
    try {
      list = await this.list();
    } catch (err) {
      if (this.stopped) return undefined;
      if (statusOf(err) === 404) {
        if (this.versionIndex + 1 < info.versions.length) {
          this.versionIndex++;
          return undefined; // try the next version at once
        }
        this.versionIndex = 0;
        if (this.listed && Date.now() - (this.vanishedSince ??= Date.now()) < this.ctx.vanishedGraceMs) {
          // Served until now: most likely an API server still loading its CRDs. Keep the view, retry soon.
          this.owner.listFailures++;
          this.watching = false;
          const reason = `${info.group || 'core'}/${this.version} answered 404 (not served yet or removed), keeping the last view`;
          if (this.owner.reason !== reason) this.owner.logger.warn({ path: this.path(), retryInMs: this.ctx.backoffMs }, reason);
          this.owner.reason = reason;
          await this.pause(this.ctx.backoffMs, true);
          return undefined;
        }
        this.vanishedSince = undefined;
        await this.markMissing();
        await this.pause(this.ctx.missingRetryMs);
        return undefined;
      }
      this.owner.listFailures++;
      const wait = this.failed(err);
      const reason = `list failed: ${messageOf(err)}`;
      if (this.owner.reason !== reason) this.owner.logger.warn({ path: this.path(), retryInMs: wait }, reason);
      this.owner.reason = reason;
      await this.pause(wait, true);
      return undefined;
    }
    if (this.missing) {
      this.missing = false;
      this.owner.logger.info(`kind enabled: ${info.kind} (${info.group || 'core'}/${this.version} served)`);
    }
    this.owner.enabled = true;
    this.owner.reason = undefined;
    this.vanishedSince = undefined;
    await this.reconcile(list.items);
    if (this.stopped) return undefined;
    this.listed = true;
    this.owner.lists++;
    this.backoff = this.ctx.backoffMs;
    noteAnswer(this.ctx);
    this.owner.touch();
    return list.resourceVersion || '0';
  }

  private async markMissing(): Promise<void> {
    const info = this.owner.info;
    const first = info.versions[0] ?? 'v1';
    const reason = `${info.group || 'core'}/${first} not served`;
    // Whatever this stream held is gone with the API.
    await this.reconcile([]);
    this.listed = false;
    this.watching = false;
    this.owner.enabled = false;
    this.owner.reason = reason;
    if (!this.missing) {
      this.missing = true;
      const every = this.ctx.missingRetryMs / 1000;
      this.owner.logger.info(`kind disabled: ${info.kind} (${reason}), retrying every ${every}s`);
    }
  }

  /**
   * Applies a full list: upserts everything in it, removes what this stream had that it lacks, in slices that yield
   * to the event loop (state/slices.ts): a relist of tens of thousands of objects, each write re-judged by the
   * problems report, never holds up reviews and /healthz.
   */
  private async reconcile(items: unknown[]): Promise<void> {
    const seen = new Set<string>();
    const stopped = () => this.stopped;
    await forEachInSlices(items, (raw) => {
      const obj = trim(raw, this.owner.info, this.version);
      if (!obj) return;
      seen.add(keyOf(obj));
      this.owner.upsert(this, obj);
    }, stopped);
    await forEachInSlices([...this.keys].filter((key) => !seen.has(key)), (key) => this.owner.remove(this, key), stopped);
  }

  private async list(): Promise<{ items: unknown[]; resourceVersion: string }> {
    const cluster = this.ctx.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('no current cluster in kubeconfig');
    const request = new RequestContext(`${cluster.server}${this.path()}`, HttpMethod.GET);
    if (this.spec.fieldSelector !== undefined) request.setQueryParam('fieldSelector', this.spec.fieldSelector);
    if (this.spec.labelSelector !== undefined) request.setQueryParam('labelSelector', this.spec.labelSelector);
    request.setHeaderParam('Accept', 'application/json');
    await this.ctx.kubeConfig.applySecurityAuthentication(request);
    request.setSignal(this.ctx.stopSignal);
    const response = await this.http.send(request).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode !== 200) {
      throw new ApiError(response.httpStatusCode, `HTTP ${response.httpStatusCode} ${text.slice(0, 200)}`);
    }
    const body: unknown = JSON.parse(text);
    if (!isRecord(body) || !Array.isArray(body.items)) throw new Error('list response has no items');
    const rv = isRecord(body.metadata) && typeof body.metadata.resourceVersion === 'string' ? body.metadata.resourceVersion : '';
    return { items: body.items, resourceVersion: rv };
  }

  private watchOnce(resourceVersion: string, advance: (rv: string) => void): Promise<WatchEnd> {
    return new Promise<WatchEnd>((resolve) => {
      const end: WatchEnd = {};
      let finished = false;
      let controller: AbortController | undefined;
      let abortRequested = false;
      // Reset by every event (bookmarks included); firing means the watch is stuck.
      let silence: NodeJS.Timeout | undefined;
      const listen = (): void => {
        clearTimeout(silence);
        silence = setTimeout(
          () => {
            end.silent = true;
            abort();
          },
          Math.max(0, this.ctx.silentAfterMs - (Date.now() - this.lastHeard)),
        );
        silence.unref();
      };
      const finish = (err?: unknown): void => {
        if (finished) return;
        finished = true;
        clearTimeout(silence);
        this.abortWatch = undefined;
        if (err !== undefined && err !== null && !(abortRequested && isAbort(err))) end.err = err;
        resolve(end);
      };
      const abort = (): void => {
        abortRequested = true;
        if (controller) controller.abort();
      };
      // Aborting makes Watch call done(), which finishes this promise once the connection is torn down.
      this.abortWatch = abort;
      const query: Record<string, string> = { resourceVersion, allowWatchBookmarks: 'true' };
      if (this.spec.fieldSelector !== undefined) query.fieldSelector = this.spec.fieldSelector;
      if (this.spec.labelSelector !== undefined) query.labelSelector = this.spec.labelSelector;
      const onEvent = (type: string, object: unknown): void => {
        if (finished) return;
        this.lastHeard = Date.now();
        listen();
        try {
          this.handleEvent(type, object, end, advance, abort);
        } catch (err) {
          this.owner.logger.error({ err }, 'failed to apply watch event');
        }
      };
      listen();
      this.watcher
        .watch(this.path(), query, onEvent, (err: unknown) => finish(err))
        .then((c) => {
          controller = c;
          // client-node resolves after the response headers: unless it already ended, the server accepted it.
          if (!finished) {
            end.established = true;
            this.watching = true;
            this.backoff = this.ctx.backoffMs;
            noteAnswer(this.ctx);
          }
          if (abortRequested || finished || this.stopped) c.abort();
        })
        .catch((err: unknown) => finish(err));
    });
  }

  private handleEvent(type: string, object: unknown, end: WatchEnd, advance: (rv: string) => void, abort: () => void): void {
    if (type === 'ERROR') {
      const code = isRecord(object) && typeof object.code === 'number' ? object.code : undefined;
      if (code === 410) end.gone = true;
      else end.err = new ApiError(code ?? 500, `watch error: ${isRecord(object) ? String(object.message ?? object.reason ?? '') : ''}`);
      abort();
      return;
    }
    end.progressed = true;
    this.owner.touch();
    this.backoff = this.ctx.backoffMs;
    const rv = isRecord(object) && isRecord(object.metadata) ? object.metadata.resourceVersion : undefined;
    if (type === 'BOOKMARK') {
      if (typeof rv === 'string' && rv) advance(rv);
      return;
    }
    const obj = trim(object, this.owner.info, this.version);
    if (!obj) return;
    if (type === 'ADDED' || type === 'MODIFIED') this.owner.upsert(this, obj);
    else if (type === 'DELETED') this.owner.remove(this, keyOf(obj));
    if (typeof rv === 'string' && rv) advance(rv);
  }
}

function streamFor(info: KindInfo): StreamSpec {
  // The Secrets the engine reads (src/model/secret-selection.ts): all but a few types Kong never uses.
  if (info.group === '' && info.kind === 'Secret') return { fieldSelector: SECRET_FIELD_SELECTOR };
  // Only the ConfigMaps KIC reads as CA certificates: a cluster's ConfigMaps are many and large.
  if (info.group === '' && info.kind === 'ConfigMap') return { labelSelector: `${CA_CERT_LABEL}=true` };
  return {};
}

export async function startInformers(options: InformerOptions): Promise<InformerSet> {
  const cluster = options.kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const stopper = new AbortController();
  const shared: Shared = {
    kubeConfig: options.kubeConfig,
    store: options.store,
    logger: options.logger.child({ server: displayUrl(cluster.server) }),
    backoffMs: Math.max(1, options.relistBackoffMs ?? 1000),
    missingRetryMs: Math.max(1, options.missingKindRetryMs ?? 60_000),
    vanishedGraceMs: Math.max(0, options.vanishedGraceMs ?? 60_000),
    silentAfterMs: Math.max(1, options.silentAfterMs ?? 300_000),
    stopSignal: stopper.signal,
    streams: [],
    failing: false,
  };
  const informers = (options.kinds ?? KINDS).map((info) => new KindInformer(info, streamFor(info), shared));
  shared.streams.push(...informers.map((i) => i.stream));
  for (const informer of informers) informer.stream.start();
  let stopping: Promise<void> | undefined;
  return {
    ready: () => !stopper.signal.aborted && informers.every((i) => !i.enabled || i.stream.listed),
    status: () => informers.map((i) => i.status()),
    unwatched: () => informers.filter((i) => i.enabled && i.stream.listed && !i.stream.watching).map((i) => i.info.kind),
    stop: () => {
      stopping ??= (async () => {
        stopper.abort();
        const streams = informers.map((i) => i.stream);
        for (const stream of streams) stream.stopWatch();
        await Promise.all(streams.map((s) => s.done));
      })();
      return stopping;
    },
  };
}
