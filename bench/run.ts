// `npm run bench`: latency, throughput and memory of the real webhook with 1k-50k objects, against a no-op
// fastify webhook on the same stack. Servers run in child processes (bench/server.ts); this process is
// the load generator (undici, HTTPS keep-alive, fixed concurrency, fixed duration).
import { writeFileSync } from 'node:fs';
import { measureProblems } from './problems.ts';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Pool } from 'undici';
import { drive, poolFor, startServer, type Child, type LoadResult } from './client.ts';
import { generateCertificates } from '../src/cli/certs.ts';
import { DEFAULT_SEED, generateCluster, workloads, type Workload } from './generate.ts';
import type { StatsMessage } from './server.ts';

const HELP = `Usage: npm run bench -- [options]

  --quick              1k and 10k objects, short runs (under a minute)
  --objects LIST       cluster sizes, comma-separated (default: 1000,10000,50000)
  --workloads LIST     workload names, comma-separated (default: all five)
  --duration S         measured seconds per run (default: 10; quick: 1.5)
  --warmup S           unmeasured seconds before each run (default: 3; quick: 0.5)
  --concurrency N      requests in flight, one keep-alive connection each (default: 16)
  --seed N             generator seed (default: ${DEFAULT_SEED})
  --json FILE          write every figure as JSON
  --cpu-prof DIR       run our servers with --cpu-prof, profiles in DIR
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
    seed: { type: 'string' },
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const quick = values.quick ?? false;
const sizes = (values.objects ?? (quick ? '1000,10000' : '1000,10000,50000')).split(',').map((s) => Number(s.trim()));
const durationS = Number(values.duration ?? (quick ? 1.5 : 10));
const warmupS = Number(values.warmup ?? (quick ? 0.5 : 3));
const concurrency = Number(values.concurrency ?? 16);
const seed = Number(values.seed ?? DEFAULT_SEED);
const only = values.workloads?.split(',').map((s) => s.trim());
const cpuProf = values['cpu-prof'] ? resolve(values['cpu-prof']) : undefined;

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
  heap_bytes_per_object: number;
  load_ms: number;
  parse_ms: number;
  upsert_ms: number;
  report_build_ms: number;
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
  log(`bench: sizes ${sizes.join(', ')}; ${durationS}s measured after ${warmupS}s warm-up per run; concurrency ${concurrency}; seed ${seed}`);

  // The heap of a server with no objects: what per-object bytes are counted from.
  const empty = await startServer({ mode: 'ours', objects: 0, tls, seed, cpuProf });
  const baseHeap = empty.ready.heapUsed;
  const baseRss = empty.ready.rss;
  await empty.stop();
  log(`bench: empty server heap ${mib(baseHeap)} MiB, rss ${mib(baseRss)} MiB`);

  const noop = await startServer({ mode: 'noop', objects: 0, tls, seed, cpuProf });
  const noopPool = poolFor(noop.ready.port, certs.caCert, concurrency);

  for (const size of sizes) {
    const cluster = generateCluster(size, seed);
    const list = workloads(cluster).filter((w) => !only || only.includes(w.name));
    const ours = await startServer({ mode: 'ours', objects: size, tls, seed, cpuProf });
    const r = ours.ready;
    memory.push({
      objects: r.objects,
      rss_bytes: r.rss,
      heap_bytes: r.heapUsed,
      heap_bytes_per_object: size > 0 ? (r.heapUsed - baseHeap) / size : 0,
      load_ms: r.loadMs,
      parse_ms: r.parseMs,
      upsert_ms: r.upsertMs,
      report_build_ms: r.reportMs,
    });
    log(`bench: ${size} objects loaded in ${f(r.loadMs, 0)} ms (parse ${f(r.parseMs, 0)}, upsert ${f(r.upsertMs, 0)}); heap ${mib(r.heapUsed)} MiB, rss ${mib(r.rss)} MiB`);
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
  out.push(`Latency (HTTPS keep-alive, concurrency ${concurrency}, ${durationS}s per run; end-to-end as the client sees it; server = per-review processing, the webhook's histogram span)`);
  out.push(
    table(
      ['objects', 'workload', 'p50 ms', 'p99 ms', 'p99.9 ms', 'req/s', 'srv p50', 'srv p99', 'srv p99.9', 'hist p99<=', 'no-op p99', 'no-op req/s', 'p99 x', 'req/s x', 'srv cpu', 'errors'],
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
        f(l.server_histogram_p99_le_ms, 3),
        f(l.noop_p99_ms),
        f(l.noop_rps, 0),
        f(l.p99_ms / l.noop_p99_ms),
        f(l.rps / l.noop_rps),
        f(l.server_cpu),
        String(l.errors),
      ]),
    ),
  );
  out.push('');
  out.push(`Memory (after a forced GC; per object = (heap - empty server's ${mib(baseHeap)} MiB) / objects; load = JSON.parse + Store.upsert)`);
  out.push(
    table(
      ['objects', 'rss MiB', 'heap MiB', 'heap KiB/object', 'load ms', 'parse ms', 'upsert ms', 'report build ms'],
      memory.map((m) => [String(m.objects), mib(m.rss_bytes), mib(m.heap_bytes), kib(m.heap_bytes_per_object), f(m.load_ms, 0), f(m.parse_ms, 0), f(m.upsert_ms, 0), f(m.report_build_ms, 0)]),
    ),
  );

  // ---- targets (reported, never asserted)
  const largest = Math.max(...sizes);
  const smallest = Math.min(...sizes);
  const at = (n: number) => latency.filter((l) => l.objects === n);
  const targets: { target: string; measured: string; met: boolean }[] = [];
  for (const l of at(largest)) targets.push({ target: `server p99 <= 1 ms at ${largest} (${l.workload})`, measured: `${f(l.server_p99_ms, 3)} ms`, met: l.server_p99_ms <= 1 });
  for (const l of at(largest)) targets.push({ target: `p99 <= 1.5x no-op at ${largest} (${l.workload})`, measured: `${f(l.p99_ms / l.noop_p99_ms)}x`, met: l.p99_ms <= 1.5 * l.noop_p99_ms });
  for (const l of at(largest)) targets.push({ target: `req/s >= 0.6x no-op at ${largest} (${l.workload})`, measured: `${f(l.rps / l.noop_rps)}x`, met: l.rps >= 0.6 * l.noop_rps });
  if (largest !== smallest) {
    for (const l of at(largest)) {
      const small = at(smallest).find((s) => s.workload === l.workload);
      if (small) targets.push({ target: `p99 at ${largest} <= 1.3x p99 at ${smallest} (${l.workload})`, measured: `${f(l.p99_ms / small.p99_ms)}x`, met: l.p99_ms <= 1.3 * small.p99_ms });
    }
  }
  const big = memory.find((m) => m.objects === largest);
  if (big) {
    targets.push({ target: 'heap <= 2 KiB per object', measured: `${kib(big.heap_bytes_per_object)} KiB at ${largest}`, met: big.heap_bytes_per_object <= 2048 });
    targets.push({ target: `${largest} objects load in <= 3 s`, measured: `${f(big.load_ms / 1000)} s`, met: big.load_ms <= 3000 });
  }
  // The problems report (issue 5): work per informer event, in this process (no HTTP involved).
  const problems = sizes.flatMap((n) => measureProblems(n, quick ? 100 : 400));
  out.push('');
  out.push('Problems report: work per informer event (the workload applied, then undone)');
  out.push(table(['objects', 'event', 'median us', 'p99 us', 'rebuild ms'], problems.map((p) => [String(p.objects), p.event, f(p.median_us, 1), f(p.p99_us, 1), f(p.rebuild_ms, 0)])));
  for (const p of problems.filter((r) => r.objects === largest)) targets.push({ target: `problems report update median < 1 ms at ${largest} (${p.event})`, measured: `${f(p.median_us / 1000, 3)} ms`, met: p.median_us < 1000 });

  out.push('');
  out.push('Targets (issue 6; reported, not asserted)');
  out.push(table(['target', 'measured', 'verdict'], targets.map((t) => [t.target, t.measured, verdict(t.met)])));
  out.push('');
  out.push(`bench: done in ${f((Date.now() - started) / 1000, 1)} s`);
  process.stdout.write(out.join('\n') + '\n');

  if (values.json) {
    const json = {
      config: { sizes, durationS, warmupS, concurrency, seed, node: process.version, emptyServerHeapBytes: baseHeap, emptyServerRssBytes: baseRss },
      latency,
      memory,
      problems,
      targets,
    };
    writeFileSync(values.json, JSON.stringify(json, null, 2) + '\n');
  }
}

await main();
