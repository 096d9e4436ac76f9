// `npm run soak`: steady review load plus informer churn for a while, against the real webhook in a child
// process. Reports heap and RSS growth and p99 drift between the first and the last window.
// Targets (issue 7): heap growth < 10%, p99 drift < 20%. Reported, never asserted.
import { parseArgs } from 'node:util';
import { generateCertificates } from '../src/cli/certs.ts';
import { drive, poolFor, startServer } from './client.ts';
import { DEFAULT_SEED, generateCluster, workloads } from './generate.ts';

const HELP = `Usage: npm run soak -- [options]

  --minutes M         how long to soak (default: 10)
  --window S          seconds per measured window (default: 30)
  --objects N         objects in the state (default: 10000)
  --churn-ms MS       one informer event every MS milliseconds (default: 20, i.e. 50 events/s)
  --concurrency C     keep-alive connections driving reviews (default: 8)
`;

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    window: { type: 'string' },
    objects: { type: 'string' },
    'churn-ms': { type: 'string' },
    concurrency: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const minutes = Number(values.minutes ?? 10);
const windowS = Number(values.window ?? 30);
const objects = Number(values.objects ?? 10_000);
const churnMs = Number(values['churn-ms'] ?? 20);
const concurrency = Number(values.concurrency ?? 8);

const log = (line: string) => process.stderr.write(`${line}\n`);
const mib = (b: number) => (b / 1024 / 1024).toFixed(1);

const certs = await generateCertificates({ service: 'bench', namespace: 'bench', extraHosts: ['127.0.0.1'] });
const tls = { cert: certs.cert, key: certs.key };
// Every workload's review, allowed and denied, in turn.
const bodies = workloads(generateCluster(objects, DEFAULT_SEED)).map((w) => JSON.stringify(w.review));
const server = await startServer({ mode: 'ours', objects, tls, seed: DEFAULT_SEED, churnMs });
const pool = poolFor(server.ready.port, certs.caCert, concurrency);
log(`soak: ${objects} objects loaded; ${minutes} min of reviews (${concurrency} connections) and one informer event every ${churnMs} ms`);

interface Window {
  minute: number;
  rps: number;
  p99: number;
  serverP99: number;
  heap: number;
  rss: number;
  churned: number;
  errors: number;
}
const windows: Window[] = [];
const started = Date.now();
await drive(pool, bodies, Math.min(10, windowS), false, concurrency); // warm-up
while (Date.now() - started < minutes * 60_000) {
  await server.request('reset');
  const load = await drive(pool, bodies, windowS, true, concurrency);
  const stats = await server.request('stats');
  const memory = await server.request('memory');
  const w: Window = { minute: (Date.now() - started) / 60_000, rps: load.rps, p99: load.p99, serverP99: stats.p99, heap: memory.heapUsed, rss: memory.rss, churned: memory.churned, errors: load.errors };
  windows.push(w);
  log(`soak: ${w.minute.toFixed(1)} min: ${w.rps.toFixed(0)} rps, p99 ${w.p99.toFixed(2)} ms (server ${w.serverP99.toFixed(3)} ms), heap ${mib(w.heap)} MiB, rss ${mib(w.rss)} MiB, ${w.churned} events, ${w.errors} errors`);
}
await pool.close();
await server.stop();

const first = windows[0]!;
const last = windows[windows.length - 1]!;
const pct = (a: number, b: number) => ((b - a) / a) * 100;
const heapGrowth = pct(first.heap, last.heap);
const rssGrowth = pct(first.rss, last.rss);
const p99Drift = pct(first.p99, last.p99);
const serverDrift = pct(first.serverP99, last.serverP99);
const errors = windows.reduce((n, w) => n + w.errors, 0);
process.stdout.write(
  [
    `soak: ${minutes} min, ${windows.length} windows of ${windowS} s, ${last.churned} informer events, ${errors} errors`,
    `heap: ${mib(first.heap)} -> ${mib(last.heap)} MiB (${heapGrowth.toFixed(1)}%; target < 10%: ${heapGrowth < 10 ? 'met' : 'MISSED'})`,
    `rss:  ${mib(first.rss)} -> ${mib(last.rss)} MiB (${rssGrowth.toFixed(1)}%)`,
    `p99:  ${first.p99.toFixed(2)} -> ${last.p99.toFixed(2)} ms end to end (${p99Drift.toFixed(1)}%; target < 20%: ${p99Drift < 20 ? 'met' : 'MISSED'}); server ${first.serverP99.toFixed(3)} -> ${last.serverP99.toFixed(3)} ms (${serverDrift.toFixed(1)}%)`,
  ].join('\n') + '\n',
);
