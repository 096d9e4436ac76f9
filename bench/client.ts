// The bench's client side, shared by `npm run bench` and `npm run soak`: the server child process and
// the HTTPS load loops.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'undici';
import type { MemoryDetail, ReadyMessage, StatsMessage } from './server.ts';

export interface MemoryMessage {
  type: 'memory';
  rss: number;
  heapUsed: number;
  objects: number;
  churned: number;
}

export interface Child {
  proc: ChildProcess;
  ready: ReadyMessage;
  request(type: 'reset'): Promise<unknown>;
  request(type: 'stats'): Promise<StatsMessage>;
  request(type: 'memory'): Promise<MemoryMessage>;
  request(type: 'memory-detail'): Promise<MemoryDetail>;
  stop(): Promise<void>;
}

/** The Node options the image runs with (the Dockerfile's NODE_OPTIONS): the benchmark measures what ships. */
export const IMAGE_NODE_FLAGS: string[] = (() => {
  const dockerfile = readFileSync(join(import.meta.dirname, '..', 'Dockerfile'), 'utf8');
  const options = /NODE_OPTIONS=("[^"]*"|\S+)/.exec(dockerfile)?.[1] ?? '';
  return options.replaceAll('"', '').split(' ').filter(Boolean);
})();

export interface ServerOptions {
  mode: 'ours' | 'noop';
  objects: number;
  tls: { cert: string; key: string };
  seed: number;
  /** Directory for a CPU profile of our server. */
  cpuProf?: string | undefined;
  /** Informer churn: one store event every this many ms (soak). */
  churnMs?: number;
  /** Node/V8 flags instead of the image's (IMAGE_NODE_FLAGS; --expose-gc is always on). */
  nodeFlags?: string[];
  /** Extra environment (e.g. MALLOC_ARENA_MAX). */
  env?: Record<string, string>;
}

export async function startServer(o: ServerOptions): Promise<Child> {
  const execArgv = ['--expose-gc', ...(o.nodeFlags ?? IMAGE_NODE_FLAGS)];
  if (o.cpuProf && o.mode === 'ours') {
    mkdirSync(o.cpuProf, { recursive: true });
    execArgv.push('--cpu-prof', '--cpu-prof-dir', o.cpuProf, '--cpu-prof-name', `ours-${o.objects}-${Date.now()}.cpuprofile`);
  }
  const proc = fork(join(import.meta.dirname, 'server.ts'), [], {
    execArgv,
    env: {
      ...process.env,
      BENCH_MODE: o.mode,
      BENCH_OBJECTS: String(o.objects),
      BENCH_SEED: String(o.seed),
      BENCH_CERT: o.tls.cert,
      BENCH_KEY: o.tls.key,
      ...(o.churnMs ? { BENCH_CHURN_MS: String(o.churnMs) } : {}),
      ...o.env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting: { type: string; resolve: (m: never) => void }[] = [];
  const ready = await new Promise<ReadyMessage>((resolveReady, reject) => {
    proc.once('exit', (code) => reject(new Error(`the ${o.mode} server (${o.objects} objects) exited with ${code}`)));
    proc.on('message', (m: { type: string }) => {
      if (m.type === 'ready') return resolveReady(m as ReadyMessage);
      const i = waiting.findIndex((w) => w.type === m.type);
      if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m as never);
    });
  });
  return {
    proc,
    ready,
    request: ((type: string) =>
      new Promise((r) => {
        waiting.push({ type, resolve: r });
        proc.send({ type });
      })) as Child['request'],
    stop: () =>
      new Promise<void>((r) => {
        proc.removeAllListeners('exit');
        proc.once('exit', () => r());
        proc.send({ type: 'stop' });
      }),
  };
}

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  p999: number;
  clientCpu: number;
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export function poolFor(port: number, ca: string, concurrency: number): Pool {
  return new Pool(`https://127.0.0.1:${port}`, {
    connections: concurrency,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    connect: { ca, rejectUnauthorized: true },
  });
}

/** `concurrency` loops, each one request at a time on its own keep-alive connection; bodies taken in turn. */
export async function drive(pool: Pool, bodies: string | string[], seconds: number, record: boolean, concurrency: number): Promise<LoadResult> {
  const list = Array.isArray(bodies) ? bodies : [bodies];
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let sent = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  const worker = async () => {
    while (process.hrtime.bigint() < end) {
      const t0 = process.hrtime.bigint();
      try {
        const res = await pool.request({ path: '/validate', method: 'POST', headers: { 'content-type': 'application/json' }, body: list[sent++ % list.length]! });
        await res.body.dump();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
        continue;
      }
      if (!record) continue;
      if (n === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[n++] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallS = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const sorted = latencies.slice(0, n).sort();
  return { requests: n, errors, rps: n / wallS, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), p999: percentile(sorted, 0.999), clientCpu: (cpu.user + cpu.system) / 1e6 / wallS };
}

