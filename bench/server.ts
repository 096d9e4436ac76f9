// Benchmark child process: the real webhook (buildWebhook + metrics, the engine, a Store loaded with a
// generated cluster, no informers) or a no-op fastify webhook on the same stack. Forked by bench/run.ts
// with --expose-gc; talks to it over the IPC channel.
//
// Environment: BENCH_MODE (ours | noop), BENCH_OBJECTS, BENCH_SEED, BENCH_CERT, BENCH_KEY (PEM),
// BENCH_KEEP_STARTUP_MEMORY (skip returnStartupMemory).
// Messages in: reset (start a measurement window), stats (end it), stop. Out: ready, reset, stats.
import { readFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { followStore } from '../src/engine/follow.ts';
import { DEFAULT_POLICY } from '../src/engine/policy.ts';
import { keyOf, type K8sObject } from '../src/model/object.ts';
import { keepReviewGarbageYoung, returnStartupMemory } from '../src/server/heap.ts';
import { createMetrics } from '../src/server/metrics.ts';
import { BODY_LIMIT, buildWebhook, CONNECTION_OPTIONS, logDestination } from '../src/server/webhook.ts';
import { Store } from '../src/state/store.ts';
import { BlockProbe } from './blocks.ts';
import { generateCluster } from './generate.ts';
import { forEachInSlices } from '../src/state/slices.ts';

export interface ReadyMessage {
  type: 'ready';
  port: number;
  mode: 'ours' | 'noop';
  objects: number;
  /** JSON.parse of every object's wire text plus Store.upsert (what an informer's list costs, less the network). */
  loadMs: number;
  parseMs: number;
  upsertMs: number;
  /** Building the problems report over the loaded state, in slices as serve does before it is ready (wall time). */
  reportMs: number;
  /** The longest event-loop block while the report was built (timer-drift probe), and the most CPU used in one. */
  reportBlockMs: number;
  reportBlockCpuMs: number;
  /** The full collection that returns the start-up's memory once the report is built, as serve runs it (src/server/heap.ts). */
  returnMs: number;
  /** A relist of the most numerous kind: every object delivered again, in slices, as informers apply a list. */
  relistKind: string;
  relistObjects: number;
  /** From the burst to the report complete again (wall), and the longest event-loop block meanwhile. */
  relistMs: number;
  relistBlockMs: number;
  relistBlockCpuMs: number;
  /** JSON.parse of that kind's list (the informer parses it before the burst; a block of its own, not in relistBlockMs). */
  relistParseMs: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export interface StatsMessage {
  type: 'stats';
  /** Reviews timed by the server in the window. */
  count: number;
  /** Per-review processing time (the span the webhook's histogram observes: parse, evaluate, answer), ms. */
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** The mean: reviews that take long pull it above the p50, and it is what the CPU pays per review. */
  mean: number;
  /** The histogram's own answer: the upper bound of the bucket holding the 99th percentile, ms. */
  histogramP99Le: number | null;
  /** Server CPU time over wall time in the window (1 = one core busy). */
  cpuUtil: number;
}

/** Where the resident memory is (bench/memory.ts): V8's spaces, malloc, and the kernel's split of RSS. */
export interface MemoryDetail {
  type: 'memory-detail';
  usage: NodeJS.MemoryUsage;
  /** Per V8 space: committed (size), used, and resident (physical) bytes. */
  spaces: { name: string; size: number; used: number; physical: number }[];
  heap: { totalPhysical: number; malloced: number; peakMalloced: number; external: number };
  /** /proc/self/status, bytes: RssAnon (heap, malloc, stacks), RssFile (the node binary and libraries mapped), RssShmem; LazyFree from smaps_rollup; V8Pages and Brk from smaps. */
  kernel: Record<string, number>;
}

function memoryDetail(): MemoryDetail {
  const kernel: Record<string, number> = {};
  try {
    for (const line of readFileSync('/proc/self/status', 'utf8').split('\n')) {
      const m = /^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem):\s+(\d+) kB/.exec(line);
      if (m) kernel[m[1]!] = Number(m[2]) * 1024;
    }
    // Pages freed with MADV_FREE: counted in RSS until the kernel needs them.
    const lazy = /^LazyFree:\s+(\d+) kB/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    if (lazy) kernel.LazyFree = Number(lazy[1]) * 1024;
    // Per mapping: V8's regular pages are anonymous 256 KiB mappings (those it counts and those it pools), the
    // main malloc arena is [heap] (brk).
    kernel.V8Pages = 0;
    kernel.Brk = 0;
    let into: 'V8Pages' | 'Brk' | undefined;
    for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
      const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (mapping) {
        const size = parseInt(mapping[2]!, 16) - parseInt(mapping[1]!, 16);
        into = mapping[3] === '[heap]' ? 'Brk' : !mapping[3] && size === 256 * 1024 ? 'V8Pages' : undefined;
        continue;
      }
      const rss = /^Rss:\s+(\d+) kB/.exec(line);
      if (rss && into) kernel[into] = (kernel[into] ?? 0) + Number(rss[1]) * 1024;
    }
  } catch {
    // not Linux: the kernel's split is unknown
  }
  const h = getHeapStatistics();
  return {
    type: 'memory-detail',
    usage: process.memoryUsage(),
    spaces: getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: s.space_size, used: s.space_used_size, physical: s.physical_space_size })),
    heap: { totalPhysical: h.total_physical_size, malloced: h.malloced_memory, peakMalloced: h.peak_malloced_memory, external: h.external_memory },
    kernel,
  };
}

const gc = (globalThis as { gc?: () => void }).gc;

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}

function send(message: unknown): void {
  process.send!(message);
}

async function main(): Promise<void> {
  const mode = process.env.BENCH_MODE === 'noop' ? 'noop' : 'ours';
  const count = Number(process.env.BENCH_OBJECTS ?? '0');
  const seed = Number(process.env.BENCH_SEED ?? '1');
  const tls = { cert: process.env.BENCH_CERT!, key: process.env.BENCH_KEY! };
  const samples = new Samples();
  let windowStart = { cpu: process.cpuUsage(), wall: process.hrtime.bigint() };
  let histogramP99Le: () => Promise<number | null> = async () => null;
  let histogramReset: () => void = () => {};

  let app: FastifyInstance<HttpsServer>;
  let loadMs = 0;
  let parseMs = 0;
  let upsertMs = 0;
  let reportMs = 0;
  let reportBlock = { longestMs: 0, busiestCpuMs: 0 };
  let returnMs = 0;
  let relist = { relistKind: '', relistObjects: 0, relistMs: 0, relistBlockMs: 0, relistBlockCpuMs: 0, relistParseMs: 0 };
  let relistNow: (() => Promise<typeof relist>) | undefined;
  let objects = 0;
  let store: Store | undefined;
  let churned = 0;
  if (mode === 'ours') {
    // As serve runs (src/server/heap.ts).
    keepReviewGarbageYoung();
    const loaded = new Store();
    store = loaded;
    if (count > 0) {
      // What an informer receives: JSON text per object. Generated here so nothing crosses the IPC channel.
      let texts: string[] | undefined = generateCluster(count, seed).objects.map((o) => JSON.stringify(o));
      gc?.();
      const t0 = performance.now();
      let parsed: K8sObject[] | undefined = texts.map((t) => JSON.parse(t) as K8sObject);
      const t1 = performance.now();
      for (const o of parsed) store.upsert(o);
      const t2 = performance.now();
      parseMs = t1 - t0;
      upsertMs = t2 - t1;
      loadMs = t2 - t0;
      texts = undefined;
      parsed = undefined;
    }
    objects = store.size;
    const metrics = createMetrics({ defaultMetrics: true, stateObjects: () => loaded.size });
    const observe = metrics.duration.observe.bind(metrics.duration);
    metrics.duration.observe = ((seconds: number) => {
      samples.push(seconds * 1000);
      observe(seconds);
    }) as typeof metrics.duration.observe;
    histogramReset = () => metrics.duration.reset();
    histogramP99Le = async () => {
      // From the histogram as Prometheus's histogram_quantile would read it: the upper bound of the bucket
      // holding the 99th percentile (no interpolation).
      const { values } = await metrics.duration.get();
      const buckets = values
        .filter((v) => v.metricName === 'ingress_guard_review_duration_seconds_bucket')
        .map((v) => ({ le: String((v.labels as { le?: string | number }).le), value: v.value }));
      const total = buckets.find((b) => b.le === '+Inf')?.value ?? 0;
      if (total === 0) return null;
      const hit = buckets.find((b) => b.value >= 0.99 * total);
      return hit && hit.le !== '+Inf' ? Number(hit.le) * 1000 : Infinity;
    };
    // The real logger setup of serve (buffered pino, one line per review), written to /dev/null.
    const logger = pino({ name: 'ingress-guard', base: { pid: process.pid } }, logDestination({ dest: '/dev/null' }));
    // As serve runs: the problems report keeps the current findings, and the engine judges only the "after" side.
    const t3 = performance.now();
    const probe = new BlockProbe().start();
    const followed = followStore(store, DEFAULT_POLICY);
    await followed.settled();
    reportMs = performance.now() - t3;
    reportBlock = probe.stop();
    // As serve does before it reports ready (BENCH_KEEP_STARTUP_MEMORY=1: not, for bench/memory.ts to compare).
    if (!process.env.BENCH_KEEP_STARTUP_MEMORY) {
      const t4 = performance.now();
      returnStartupMemory();
      returnMs = performance.now() - t4;
    }
    const problems = followed.tracker;
    relistNow = () => relistLargestKind(loaded, followed.settled);
    const churnMs = Number(process.env.BENCH_CHURN_MS ?? '0');
    if (churnMs > 0) startChurn(store, churnMs, () => churned++);
    const view = store;
    app = buildWebhook({ getView: () => view, policy: DEFAULT_POLICY, tls, logger, metrics, knownFindings: () => problems });
  } else {
    app = noopWebhook(tls, samples);
  }

  await app.listen({ port: 0, host: '127.0.0.1' });
  gc?.();
  gc?.();
  const mem = process.memoryUsage();
  const port = (app.server.address() as { port: number }).port;
  // After the memory figures: the relisted objects replace the loaded ones (same content, new objects).
  if (relistNow && count > 0) relist = await relistNow();
  const ready: ReadyMessage = { type: 'ready', port, mode, objects, loadMs, parseMs, upsertMs, reportMs, reportBlockMs: reportBlock.longestMs, reportBlockCpuMs: reportBlock.busiestCpuMs, returnMs, ...relist, rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external };
  send(ready);

  process.on('message', async (message: { type: string }) => {
    if (message.type === 'reset') {
      samples.length = 0;
      histogramReset();
      windowStart = { cpu: process.cpuUsage(), wall: process.hrtime.bigint() };
      send({ type: 'reset' });
    } else if (message.type === 'stats') {
      const cpu = process.cpuUsage(windowStart.cpu);
      const wallUs = Number(process.hrtime.bigint() - windowStart.wall) / 1000;
      const sorted = samples.sorted();
      const stats: StatsMessage = {
        type: 'stats',
        count: sorted.length,
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        p999: percentile(sorted, 0.999),
        max: sorted.length ? sorted[sorted.length - 1]! : NaN,
        mean: sorted.length ? sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length : NaN,
        histogramP99Le: await histogramP99Le(),
        cpuUtil: (cpu.user + cpu.system) / wallUs,
      };
      send(stats);
    } else if (message.type === 'memory') {
      gc?.();
      gc?.();
      const m = process.memoryUsage();
      send({ type: 'memory', rss: m.rss, heapUsed: m.heapUsed, objects: store?.size ?? 0, churned });
    } else if (message.type === 'memory-detail') {
      gc?.();
      gc?.();
      send(memoryDetail());
    } else if (message.type === 'stop') {
      void app.close().then(() => process.exit(0));
    }
  });
}

/**
 * A relist of the kind with the most objects, as the informers apply one (every object upserted again, in the
 * informers' slices), after a watch gap in which every tenth object changed (a new resourceVersion and annotation).
 */
async function relistLargestKind(store: Store, settled: () => Promise<void>) {
  const counts = new Map<string, number>();
  for (const o of store.all()) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  const [kind, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const items0 = [...store.list(kind)].map((o, i) => (i % 10 ? o : { ...o, metadata: { ...o.metadata, resourceVersion: `relist-${i}`, annotations: { ...o.metadata.annotations, 'bench.ingress-guard.dev/relist': String(i) } } }));
  const text = JSON.stringify({ items: items0 });
  const t0 = performance.now();
  const items = (JSON.parse(text) as { items: K8sObject[] }).items;
  const relistParseMs = performance.now() - t0;
  const probe = new BlockProbe().start();
  await new Promise((resolve) => setTimeout(resolve, 2));
  const t1 = performance.now();
  await forEachInSlices(items, (o) => store.upsert(o));
  await settled();
  const relistMs = performance.now() - t1;
  const blocks = probe.stop();
  return { relistKind: kind, relistObjects: n, relistMs, relistBlockMs: blocks.longestMs, relistBlockCpuMs: blocks.busiestCpuMs, relistParseMs };
}

/**
 * Informer churn for the soak: one store event every `everyMs`, as watches deliver them. In turn: an
 * annotation change on an Ingress, a KongConsumer or a Service (new object versions, re-judged
 * neighbourhoods), and an EndpointSlice deleted then restored (deletes and re-creates).
 */
function startChurn(store: Store, everyMs: number, count: () => void): void {
  const pick = (kind: string) => [...store.list(kind)].slice(0, 500);
  const pools = [pick('Ingress'), pick('KongConsumer'), pick('Service')].filter((p) => p.length > 0);
  const slices = pick('EndpointSlice');
  let i = 0;
  let removed: K8sObject | undefined;
  setInterval(() => {
    i++;
    if (removed) {
      store.upsert(removed);
      removed = undefined;
    } else if (i % 4 === 0 && slices.length) {
      removed = slices[i % slices.length]!;
      store.delete(keyOf(removed));
    } else if (pools.length) {
      const pool = pools[i % pools.length]!;
      const current = store.get(keyOf(pool[i % pool.length]!));
      // A new resourceVersion, as the API server gives every write (the store skips a version it holds).
      if (current) store.upsert({ ...current, metadata: { ...current.metadata, resourceVersion: `churn-${i}`, annotations: { ...current.metadata.annotations, 'bench.ingress-guard.dev/churn': String(i) } } });
    }
    count();
  }, everyMs).unref();
}

/**
 * The floor: fastify over HTTPS with the webhook's own options and JSON parser, answering every review
 * "allowed" with its uid, with the webhook's own connection options.
 */
function noopWebhook(tls: { cert: string; key: string }, samples: Samples): FastifyInstance<HttpsServer> {
  const app = Fastify({
    https: { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' },
    loggerInstance: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false })),
    ...CONNECTION_OPTIONS,
  }) as unknown as FastifyInstance<HttpsServer>;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.post('/validate', async (request, reply) => {
    const started = process.hrtime.bigint();
    const uid = (request.body as { request?: { uid?: unknown } }).request?.uid;
    const body = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, allowed: true } };
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    return reply.code(200).send(body);
  });
  return app;
}

await main();
