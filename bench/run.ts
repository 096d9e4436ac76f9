// `npm run bench`: latency, throughput and memory of the real webhook with 1k-50k objects, against a no-op
// fastify webhook on the same stack. Servers run in child processes (bench/server.ts); this process is
// the load generator (undici, HTTPS keep-alive, fixed concurrency, fixed duration).
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { measureStartup } from './startup.ts';
import { measureProblems } from './problems.ts';
import { measureTrace } from './trace.ts';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Pool } from 'undici';
import { drive, IMAGE_NODE_FLAGS, poolFor, startServer, type Child, type LoadResult } from './client.ts';
import { generateCertificates } from '../src/cli/certs.ts';
import { DEFAULT_SEED, generateCluster, workloads, type Workload } from './generate.ts';
import type { ReadyMessage, StatsMessage } from './server.ts';

const HELP = `Usage: npm run bench -- [options]

  --quick              1k and 10k objects, short runs (under a minute)
  --objects LIST       cluster sizes, comma-separated (default: 1000,10000,50000)
  --workloads LIST     workload names, comma-separated (default: all five)
  --duration S         measured seconds per run (default: 4; quick: 1.5)
  --warmup S           unmeasured seconds before each run (default: 1; quick: 0.5)
  --cli-runs N         runs of each command-line start-up measurement (default: 5; quick: 3)
  --concurrency N      requests in flight, one keep-alive connection each (default: 16)
  --seed N             generator seed (default: ${DEFAULT_SEED})
  --json FILE          write every figure as JSON
  --cpu-prof DIR       run our servers with --cpu-prof, profiles in DIR
  --server-flags=F     Node/V8 flags for our servers instead of the image's NODE_OPTIONS
                       (space-separated, e.g. --server-flags="--max-semi-space-size=16"; see bench/memory.ts)
  -h, --help
`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    objects: { type: 'string' },
    workloads: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    'cli-runs': { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'server-flags': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const quick = values.quick ?? false;
const sizes = (values.objects ?? (quick ? '1000,10000' : '1000,10000,50000')).split(',').map((s) => Number(s.trim()));
const durationS = Number(values.duration ?? (quick ? 1.5 : 4));
const warmupS = Number(values.warmup ?? (quick ? 0.5 : 1));
const cliRuns = Number(values['cli-runs'] ?? (quick ? 3 : 5));
const concurrency = Number(values.concurrency ?? 16);
const seed = Number(values.seed ?? DEFAULT_SEED);
const only = values.workloads?.split(',').map((s) => s.trim());
const cpuProf = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;
const serverFlags = values['server-flags']?.split(' ').filter(Boolean);

interface LatencyRow {
  objects: number;
  workload: string;
  p50_ms: number;
  p99_ms: number;
  p999_ms: number;
  rps: number;
  server_p50_ms: number;
  server_p99_ms: number;
  server_p999_ms: number;
  server_mean_ms: number;
  server_histogram_p99_le_ms: number | null;
  server_cpu: number;
  noop_p50_ms: number;
  noop_p99_ms: number;
  noop_p999_ms: number;
  noop_rps: number;
  noop_cpu: number;
  client_cpu: number;
  requests: number;
  errors: number;
  expect: string;
  description: string;
}

interface MemoryRow {
  objects: number;
  rss_bytes: number;
  heap_bytes: number;
  /** Outside V8's heap: Buffers and ArrayBuffers (external includes array_buffers). */
  external_bytes: number;
  heap_bytes_per_object: number;
  load_ms: number;
  parse_ms: number;
  upsert_ms: number;
  report_build_ms: number;
  report_block_ms: number;
  report_block_cpu_ms: number;
  return_memory_ms: number;
  relist_kind: string;
  relist_objects: number;
  relist_ms: number;
  relist_block_ms: number;
  relist_block_cpu_ms: number;
  relist_parse_ms: number;
}

function memoryRow(objects: number, r: ReadyMessage, baseHeap = r.heapUsed): MemoryRow {
  return {
    objects,
    rss_bytes: r.rss,
    heap_bytes: r.heapUsed,
    external_bytes: r.external,
    heap_bytes_per_object: objects > 0 ? (r.heapUsed - baseHeap) / objects : 0,
    load_ms: r.loadMs,
    parse_ms: r.parseMs,
    upsert_ms: r.upsertMs,
    report_build_ms: r.reportMs,
    report_block_ms: r.reportBlockMs,
    report_block_cpu_ms: r.reportBlockCpuMs,
    return_memory_ms: r.returnMs,
    relist_kind: r.relistKind,
    relist_objects: r.relistObjects,
    relist_ms: r.relistMs,
    relist_block_ms: r.relistBlockMs,
    relist_block_cpu_ms: r.relistBlockCpuMs,
    relist_parse_ms: r.relistParseMs,
  };
}

/** One review answered as the bench expects, or the run stops: never measure the wrong thing. */
async function check(pool: Pool, w: Workload, who: string): Promise<void> {
  const res = await pool.request({ path: '/validate', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(w.review) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${who} ${w.name}: HTTP ${res.statusCode}: ${text}`);
  const answer = JSON.parse(text) as { response: { uid: string; allowed: boolean } };
  const expected = who === 'noop' ? true : w.expect === 'allowed';
  if (answer.response.uid !== w.review.request.uid || answer.response.allowed !== expected) {
    throw new Error(`${who} ${w.name}: expected ${expected ? 'allowed' : 'denied'}, got ${text}`);
  }
}

async function measure(child: Child, pool: Pool, body: string): Promise<{ load: LoadResult; server: StatsMessage }> {
  await drive(pool, body, warmupS, false, concurrency);
  await child.request('reset');
  const load = await drive(pool, body, durationS, true, concurrency);
  const server = await child.request('stats');
  return { load, server };
}

// ---------------------------------------------------------------------------------------------- output

const f = (v: number | null, digits = 2) => (v === null || Number.isNaN(v) ? '-' : v === Infinity ? 'inf' : v.toFixed(digits));
const kib = (b: number) => `${(b / 1024).toFixed(2)}`;
const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)}`;

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || (i === 1 && headers[1] === 'workload') ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

// ------------------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  const started = Date.now();
  const certs = await generateCertificates({ service: 'ingress-guard', namespace: 'ingress-guard' });
  const tls = { cert: certs.cert, key: certs.key };
  const latency: LatencyRow[] = [];
  const memory: MemoryRow[] = [];

  const log = (text: string) => process.stderr.write(`${text}\n`);
  // The machine may be shared: the load average says how much, and why only ratios within one run compare.
  const loadAverage = loadavg().map((l) => l.toFixed(2)).join(' ');
  log(`bench: load average ${loadAverage} on ${availableParallelism()} cores`);
  const startup = measureStartup(cliRuns);
  for (const r of startup) log(`bench: ${r.command} (${r.entry}): ${f(r.wall_ms_median, 0)} ms, peak RSS ${r.peak_rss_bytes === null ? '-' : mib(r.peak_rss_bytes)} MiB`);
  log(`bench: sizes ${sizes.join(', ')};${serverFlags ? ` our server runs with ${serverFlags.join(' ')};` : ''} ${durationS}s measured after ${warmupS}s warm-up per run; concurrency ${concurrency}; seed ${seed}`);

  // The heap of a server with no objects: what per-object bytes are counted from.
  const empty = await startServer({ mode: 'ours', objects: 0, tls, seed, cpuProf, ...(serverFlags ? { nodeFlags: serverFlags } : {}) });
  const baseHeap = empty.ready.heapUsed;
  const baseRss = empty.ready.rss;
  memory.push(memoryRow(0, empty.ready));
  await empty.stop();
  log(`bench: empty server heap ${mib(baseHeap)} MiB, rss ${mib(baseRss)} MiB`);

  const noop = await startServer({ mode: 'noop', objects: 0, tls, seed, cpuProf });
  const noopPool = poolFor(noop.ready.port, certs.caCert, concurrency);
  log(`bench: no-op server heap ${mib(noop.ready.heapUsed)} MiB, rss ${mib(noop.ready.rss)} MiB`);

  for (const size of sizes) {
    const cluster = generateCluster(size, seed);
    const list = workloads(cluster).filter((w) => !only || only.includes(w.name));
    const ours = await startServer({ mode: 'ours', objects: size, tls, seed, cpuProf, ...(serverFlags ? { nodeFlags: serverFlags } : {}) });
    const r = ours.ready;
    memory.push(memoryRow(size, r, baseHeap));
    log(`bench: ${size} objects loaded in ${f(r.loadMs, 0)} ms (parse ${f(r.parseMs, 0)}, upsert ${f(r.upsertMs, 0)}); heap ${mib(r.heapUsed)} MiB, rss ${mib(r.rss)} MiB; report built in ${f(r.reportMs, 0)} ms (longest block ${f(r.reportBlockMs, 1)} ms, ${f(r.reportBlockCpuMs, 1)} ms CPU), then memory returned in ${f(r.returnMs, 0)} ms; relist of ${r.relistObjects} ${r.relistKind} objects: longest block ${f(r.relistBlockMs, 1)} ms, ${f(r.relistBlockCpuMs, 1)} ms CPU`);
    const pool = poolFor(r.port, certs.caCert, concurrency);
    for (const w of list) {
      await check(pool, w, 'ours');
      await check(noopPool, w, 'noop');
      const body = JSON.stringify(w.review);
      const a = await measure(ours, pool, body);
      const b = await measure(noop, noopPool, body);
      const row: LatencyRow = {
        objects: size,
        workload: w.name,
        p50_ms: a.load.p50,
        p99_ms: a.load.p99,
        p999_ms: a.load.p999,
        rps: a.load.rps,
        server_p50_ms: a.server.p50,
        server_p99_ms: a.server.p99,
        server_p999_ms: a.server.p999,
        server_mean_ms: a.server.mean,
        server_histogram_p99_le_ms: a.server.histogramP99Le,
        server_cpu: a.server.cpuUtil,
        noop_p50_ms: b.load.p50,
        noop_p99_ms: b.load.p99,
        noop_p999_ms: b.load.p999,
        noop_rps: b.load.rps,
        noop_cpu: b.server.cpuUtil,
        client_cpu: a.load.clientCpu,
        requests: a.load.requests,
        errors: a.load.errors + b.load.errors,
        expect: w.expect,
        description: w.description,
      };
      latency.push(row);
      log(`bench: ${size} ${w.name}: p99 ${f(row.p99_ms)} ms (no-op ${f(row.noop_p99_ms)}), ${f(row.rps, 0)} rps (no-op ${f(row.noop_rps, 0)}), server p99 ${f(row.server_p99_ms, 3)} ms`);
    }
    await pool.close();
    await ours.stop();
  }
  await noopPool.close();
  await noop.stop();

  // ---- report
  const out: string[] = [];
  out.push(`Latency (HTTPS keep-alive, concurrency ${concurrency}, ${durationS}s per run; end-to-end as the client sees it; server = per-review processing, the webhook's histogram span; srv cpu = cores the server process used, garbage collection included, and cpu us/req that per request; both servers run with the image's NODE_OPTIONS ${IMAGE_NODE_FLAGS.join(' ') || '(none)'})`);
  out.push(
    table(
      ['objects', 'workload', 'p50 ms', 'p99 ms', 'p99.9 ms', 'req/s', 'srv p50', 'srv p99', 'srv p99.9', 'srv mean', 'hist p99<=', 'no-op p99', 'no-op req/s', 'p99 x', 'req/s x', 'srv cpu', 'cpu us/req', 'no-op cpu us/req', 'errors'],
      latency.map((l) => [
        String(l.objects),
        l.workload,
        f(l.p50_ms),
        f(l.p99_ms),
        f(l.p999_ms),
        f(l.rps, 0),
        f(l.server_p50_ms, 3),
        f(l.server_p99_ms, 3),
        f(l.server_p999_ms, 3),
        f(l.server_mean_ms, 3),
        f(l.server_histogram_p99_le_ms, 3),
        f(l.noop_p99_ms),
        f(l.noop_rps, 0),
        f(l.p99_ms / l.noop_p99_ms),
        f(l.rps / l.noop_rps),
        f(l.server_cpu),
        f((l.server_cpu / l.rps) * 1e6, 0),
        f((l.noop_cpu / l.noop_rps) * 1e6, 0),
        String(l.errors),
      ]),
    ),
  );
  out.push('');
  out.push(`Memory and blocking (after a forced GC; per object = (heap - empty server's ${mib(baseHeap)} MiB) / objects; external = Buffers/ArrayBuffers outside the heap; load = JSON.parse + Store.upsert; the report is built in slices as serve builds it; return GC = the one full collection that gives the start-up's memory back once the report is built, before ready (src/server/heap.ts), a block of its own; relist = every object of the most numerous kind upserted again in slices, as informers apply a list; block = longest event-loop block, timer-drift probe, wall (with the most CPU the process used within one gap: on a shared machine a wall gap can be preemption))`);
  out.push(
    table(
      ['objects', 'rss MiB', 'heap MiB', 'rss-heap MiB', 'external MiB', 'heap KiB/object', 'load ms', 'report build ms', 'build block ms (cpu)', 'return GC ms', 'relist', 'relist ms', 'relist block ms (cpu)', 'list parse ms'],
      memory.map((m) => [
        String(m.objects),
        mib(m.rss_bytes),
        mib(m.heap_bytes),
        mib(m.rss_bytes - m.heap_bytes),
        mib(m.external_bytes),
        m.objects ? kib(m.heap_bytes_per_object) : '-',
        f(m.load_ms, 0),
        f(m.report_build_ms, 0),
        `${f(m.report_block_ms, 1)} (${f(m.report_block_cpu_ms, 1)})`,
        f(m.return_memory_ms, 0),
        m.relist_objects ? `${m.relist_objects} ${m.relist_kind}` : '-',
        f(m.relist_ms, 0),
        `${f(m.relist_block_ms, 1)} (${f(m.relist_block_cpu_ms, 1)})`,
        f(m.relist_parse_ms, 0),
      ]),
    ),
  );
  out.push('');
  out.push(`Command-line start-up (${startup[0]?.runs ?? 0} runs each, median wall; peak RSS from GNU time; ${startup[1]?.entry === 'dist' ? 'dist/ (npm run build)' : 'from source: dist/ is absent (npm run build first to measure the build)'})`);
  const floor = startup.find((r) => r.entry === 'node');
  out.push(
    table(
      ['command', 'wall ms', 'min ms', 'over node -e 0 ms', 'peak RSS MiB', 'over node -e 0 MiB'],
      startup.map((r) => [
        r.command,
        f(r.wall_ms_median, 0),
        f(r.wall_ms_min, 0),
        r.entry === 'node' ? '-' : f(r.wall_ms_median - (floor?.wall_ms_median ?? 0), 0),
        r.peak_rss_bytes === null ? '-' : mib(r.peak_rss_bytes),
        r.entry === 'node' || r.peak_rss_bytes === null ? '-' : mib(r.peak_rss_bytes - (floor?.peak_rss_bytes ?? 0)),
      ]),
    ),
  );

  // ---- targets (issue 15; reported, never asserted)
  const largest = Math.max(...sizes);
  const smallest = Math.min(...sizes);
  const at = (n: number) => latency.filter((l) => l.objects === n);
  const targets: { target: string; measured: string; met: boolean }[] = [];
  /** The worst workload at the largest size by `value` (higher is worse unless `lowWorst`). */
  const worst = (value: (l: LatencyRow) => number, lowWorst = false) => {
    const rows = at(largest);
    if (!rows.length) return undefined;
    return rows.reduce((a, b) => ((lowWorst ? value(b) < value(a) : value(b) > value(a)) ? b : a));
  };
  const every = (label: string, value: (l: LatencyRow) => number, ok: (v: number) => boolean, show: (v: number) => string, lowWorst = false) => {
    const w = worst(value, lowWorst);
    if (w) targets.push({ target: `${label} at ${largest}, every workload`, measured: `worst ${show(value(w))} (${w.workload})`, met: at(largest).every((l) => ok(value(l))) });
  };
  every('server p99 per review <= 0.25 ms', (l) => l.server_p99_ms, (v) => v <= 0.25, (v) => `${f(v, 3)} ms`);
  every('end-to-end req/s >= 0.6x no-op', (l) => l.rps / l.noop_rps, (v) => v >= 0.6, (v) => `${f(v)}x`, true);
  every('end-to-end p99 <= 1.5x no-op', (l) => l.p99_ms / l.noop_p99_ms, (v) => v <= 1.5, (v) => `${f(v)}x`);
  const big = memory.find((m) => m.objects === largest);
  const empty0 = memory.find((m) => m.objects === 0);
  if (big) {
    targets.push({ target: 'heap per cached object <= 2 KiB', measured: `${kib(big.heap_bytes_per_object)} KiB at ${largest}`, met: big.heap_bytes_per_object <= 2048 });
    targets.push({ target: 'RSS <= 256 MiB at 50000 (the Deployment\'s request)', measured: `${mib(big.rss_bytes)} MiB at ${largest} (${empty0 ? `${mib(empty0.rss_bytes)} empty` : ''})`, met: big.rss_bytes <= 256 * 1024 * 1024 });
  }
  const cmd = (name: string) => startup.find((r) => r.command === name);
  const checkRow = cmd('check examples/cluster');
  const rules = cmd('rules');
  const vsNode = `node -e 0: ${f(floor?.wall_ms_median ?? NaN, 0)} ms`;
  if (checkRow) {
    targets.push({ target: `check on one small directory <= 0.25 s wall (${checkRow.entry})`, measured: `${f(checkRow.wall_ms_median / 1000)} s (${vsNode})`, met: checkRow.wall_ms_median <= 250 });
    if (checkRow.peak_rss_bytes !== null) targets.push({ target: `check on one small directory <= 80 MiB peak RSS (${checkRow.entry})`, measured: `${mib(checkRow.peak_rss_bytes)} MiB (node -e 0: ${mib(floor?.peak_rss_bytes ?? NaN)} MiB)`, met: checkRow.peak_rss_bytes <= 80 * 1024 * 1024 });
  }
  if (rules) targets.push({ target: `rules <= 0.15 s wall (${rules.entry})`, measured: `${f(rules.wall_ms_median / 1000)} s (${vsNode})`, met: rules.wall_ms_median <= 150 });
  if (big) {
    targets.push({ target: `longest event-loop block at start-up (report build) <= 50 ms at ${largest}`, measured: `${f(big.report_block_ms, 1)} ms wall (${f(big.report_block_cpu_ms, 1)} ms CPU)`, met: big.report_block_ms <= 50 });
    targets.push({ target: `longest event-loop block at a relist <= 50 ms at ${largest}`, measured: `${f(big.relist_block_ms, 1)} ms wall (${f(big.relist_block_cpu_ms, 1)} ms CPU; ${big.relist_objects} ${big.relist_kind})`, met: big.relist_block_ms <= 50 });
  }
  // Earlier goals, still reported: issue 6 (scaling, load time) and issue 5 (the report's work per event).
  if (largest !== smallest) {
    const w = worst((l) => l.p99_ms / (at(smallest).find((s) => s.workload === l.workload)?.p99_ms ?? NaN));
    if (w) targets.push({ target: `p99 at ${largest} <= 1.3x p99 at ${smallest}, every workload (issue 6)`, measured: `worst ${f(w.p99_ms / at(smallest).find((s) => s.workload === w.workload)!.p99_ms)}x (${w.workload})`, met: at(largest).every((l) => l.p99_ms <= 1.3 * (at(smallest).find((s) => s.workload === l.workload)?.p99_ms ?? Infinity)) });
  }
  if (big) targets.push({ target: `${largest} objects load in <= 3 s (issue 6)`, measured: `${f(big.load_ms / 1000)} s`, met: big.load_ms <= 3000 });
  // The problems report (issue 5): work per informer event, in this process (no HTTP involved).
  const problems = sizes.flatMap((n) => measureProblems(n, quick ? 100 : 200));
  out.push('');
  out.push('Problems report: work per informer event (the workload applied, then undone; in the bench process)');
  out.push(table(['objects', 'event', 'median us', 'p99 us', 'rebuild ms'], problems.map((p) => [String(p.objects), p.event, f(p.median_us, 1), f(p.p99_us, 1), f(p.rebuild_ms, 0)])));
  const slowest = problems.filter((r) => r.objects === largest).sort((a, b) => b.median_us - a.median_us)[0];
  if (slowest) targets.push({ target: `problems report update median < 1 ms at ${largest}, every event (issue 5)`, measured: `worst ${f(slowest.median_us / 1000, 3)} ms (${slowest.event})`, met: problems.filter((r) => r.objects === largest).every((p) => p.median_us < 1000) });

  // trace (issue 14): one request against a loaded state, in this process; the 10k and 50k states of the run.
  const traced = sizes.filter((n) => n >= 10_000).map((n) => measureTrace(n, quick ? 100 : 300));
  if (traced.length) {
    out.push('');
    out.push('trace: one request once the state is loaded (served, 404 and unknown-host requests; in the bench process)');
    out.push(table(['objects', 'requests', 'served', 'first trace ms', 'median ms', 'p99 ms', 'max ms'], traced.map((t) => [String(t.objects), String(t.requests), String(t.served), f(t.first_ms, 0), f(t.median_ms, 2), f(t.p99_ms, 2), f(t.max_ms, 2)])));
    const worstTrace = [...traced].sort((a, b) => b.p99_ms - a.p99_ms)[0]!;
    targets.push({ target: 'trace <= 50 ms per request after load (issue 14)', measured: `p99 ${f(worstTrace.p99_ms, 1)} ms, median ${f(worstTrace.median_ms, 1)} ms at ${worstTrace.objects}`, met: traced.every((t) => t.p99_ms <= 50) });
  }

  out.push('');
  out.push(`Targets (issue 15; reported, not asserted; ratios are against the no-op webhook measured in this run; load average at the start ${loadAverage})`);
  out.push(table(['target', 'measured', 'verdict'], targets.map((t) => [t.target, t.measured, verdict(t.met)])));
  out.push('');
  out.push(`bench: done in ${f((Date.now() - started) / 1000, 1)} s`);
  process.stdout.write(out.join('\n') + '\n');

  if (values.json) {
    const json = {
      config: { sizes, durationS, warmupS, concurrency, seed, serverFlags, node: process.version, emptyServerHeapBytes: baseHeap, emptyServerRssBytes: baseRss, loadAverage },
      latency,
      memory,
      startup,
      problems,
      trace: traced,
      targets,
    };
    writeFileSync(values.json, JSON.stringify(json, null, 2) + '\n');
  }
}

await main();
