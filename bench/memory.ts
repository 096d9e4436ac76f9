// `npx node bench/memory.ts`: what holds the webhook's RSS above its heap. Starts the benchmark's server
// (bench/server.ts: the real webhook, N objects, the problems report built) under several Node/V8 settings
// and prints where its resident memory is: V8's spaces (committed vs used), malloc, Buffers, and the kernel's
// split of RSS into anonymous memory and mapped files (the node binary and its libraries).
import { parseArgs } from 'node:util';
import { generateCertificates } from '../src/cli/certs.ts';
import { IMAGE_NODE_FLAGS, startServer } from './client.ts';
import { DEFAULT_SEED } from './generate.ts';
import type { MemoryDetail } from './server.ts';

const { values } = parseArgs({ options: { objects: { type: 'string' }, idle: { type: 'string' }, variants: { type: 'string' } } });
const sizes = (values.objects ?? '0,10000,50000').split(',').map(Number);
const idleS = Number(values.idle ?? 5);

const VARIANTS: { name: string; nodeFlags: string[]; env?: Record<string, string> }[] = [
  { name: `image (${IMAGE_NODE_FLAGS.join(' ')})`, nodeFlags: IMAGE_NODE_FLAGS },
  { name: 'image, start-up memory kept', nodeFlags: IMAGE_NODE_FLAGS, env: { BENCH_KEEP_STARTUP_MEMORY: '1' } },
  { name: 'node defaults', nodeFlags: [] },
  { name: 'node defaults, start-up memory kept', nodeFlags: [], env: { BENCH_KEEP_STARTUP_MEMORY: '1' } },
  { name: '--max-semi-space-size=8', nodeFlags: ['--max-semi-space-size=8'] },
  { name: 'image, MALLOC_ARENA_MAX=2', nodeFlags: IMAGE_NODE_FLAGS, env: { MALLOC_ARENA_MAX: '2' } },
];

/** --variants: indexes into VARIANTS, comma-separated (default: all). */
const chosen = values.variants ? values.variants.split(',').map((i) => VARIANTS[Number(i)]!) : VARIANTS;

const mib = (b: number | undefined) => (b === undefined ? '-' : (b / 1024 / 1024).toFixed(1));

function row(variant: string, objects: number, when: string, readyRss: number, d: MemoryDetail): string[] {
  const space = (name: string) => d.spaces.find((s) => s.name === name);
  const young = ['new_space', 'new_large_object_space'].map(space);
  const code = ['code_space', 'code_large_object_space'].map(space);
  return [
    variant,
    String(objects),
    when,
    mib(readyRss),
    mib(d.usage.rss),
    mib(d.kernel.RssAnon),
    mib(d.kernel.RssFile),
    mib(d.kernel.LazyFree),
    mib(d.usage.heapUsed),
    mib(d.usage.heapTotal),
    mib(d.heap.totalPhysical),
    mib(d.kernel.V8Pages),
    mib(d.kernel.Brk),
    mib(space('old_space')?.size),
    mib(young.reduce((n, s) => n + (s?.size ?? 0), 0)),
    mib(code.reduce((n, s) => n + (s?.physical ?? 0), 0)),
    mib(d.heap.malloced),
    mib(d.heap.peakMalloced),
    mib(d.usage.external),
    mib(d.usage.arrayBuffers),
    mib((d.kernel.RssAnon ?? d.usage.rss) - d.heap.totalPhysical - d.usage.arrayBuffers - d.heap.malloced),
  ];
}

const HEADERS = ['variant', 'objects', 'when', 'rss at ready', 'rss', 'anon', 'file', 'lazy free', 'heap used', 'heap committed', 'heap resident', 'V8 page maps', 'brk heap', 'old space', 'young gen', 'code resident', 'V8 malloc', 'V8 peak malloc', 'external', 'array buffers', 'anon unexplained'];

const certs = await generateCertificates({ service: 'bench', namespace: 'bench' });
const rows: string[][] = [];
for (const size of sizes) {
  for (const v of chosen) {
    const server = await startServer({ mode: 'ours', objects: size, tls: { cert: certs.cert, key: certs.key }, seed: DEFAULT_SEED, nodeFlags: v.nodeFlags, ...(v.env ? { env: v.env } : {}) });
    rows.push(row(v.name, size, 'after relist', server.ready.rss, await server.request('memory-detail')));
    await new Promise((resolve) => setTimeout(resolve, idleS * 1000));
    rows.push(row(v.name, size, `+${idleS}s idle`, server.ready.rss, await server.request('memory-detail')));
    process.stderr.write(`memory: ${v.name}, ${size} objects done\n`);
    await server.stop();
  }
}
const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
process.stdout.write(`MiB; rss at ready = as bench/run.ts reports it (after the report, start-up memory returned, two forced GCs), then the server's relist of its most numerous kind; other columns after it, after two forced GCs; V8 page maps = resident anonymous 256 KiB mappings (V8's pages, pooled ones included), brk heap = malloc's main arena; anon unexplained = RssAnon - V8 heap resident - ArrayBuffers - V8's malloc\n${[line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')}\n`);
