// `node --expose-gc bench/memo-groups.ts --objects N`: what the live translation's memoised values hold, by
// memo key prefix (the part before ':'): entries, v8.serialize bytes (a proxy, shared parts counted per entry),
// and the heap freed by dropping each group's values after a forced GC (values shared with a group dropped
// later are counted there). The state is built as bench/server.ts builds it: generateCluster, Store, the
// problems report judged whole.
import { parseArgs } from 'node:util';
import { serialize } from 'node:v8';
import { DEFAULT_SEED, generateCluster } from './generate.ts';
import { Store } from '../src/state/store.ts';
import { ProblemTracker } from '../src/engine/problems.ts';
import { DEFAULT_POLICY } from '../src/engine/policy.ts';
import type { K8sObject } from '../src/model/object.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const { values } = parseArgs({ options: { objects: { type: 'string' } } });
const count = Number(values.objects ?? 10000);

/** After the current job (WeakRef targets are kept until it ends) and GCs until nothing more is freed (ephemerons). */
const heap = async () => {
  let used = Infinity;
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const now = process.memoryUsage().heapUsed;
    if (now > used - 64 * 1024) return now;
    used = now;
  }
};
const store = new Store();
for (const text of generateCluster(count, DEFAULT_SEED).objects.map((o) => JSON.stringify(o))) store.upsert(JSON.parse(text) as K8sObject);
const empty = await heap();
const tracker = new ProblemTracker(store, DEFAULT_POLICY);
const full = await heap();
// LiveMemo's private map (translate/memo.ts): key -> { value, reads, direct }.
const memo = (tracker.translation as unknown as { memo: { entries: Map<string, { value: unknown }>; drop(key: string): void } }).memo;
const entries = memo.entries;
const entryCount = entries.size;
const groups = new Map<string, { keys: string[]; bytes: number }>();
for (const [key, entry] of entries) {
  const prefix = key.includes(':') ? key.slice(0, key.indexOf(':')) : key;
  const g = groups.get(prefix) ?? { keys: [], bytes: 0 };
  g.keys.push(key);
  g.bytes += serialize(entry.value).length;
  groups.set(prefix, g);
}
const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
const rows: string[] = [];
const start = await heap();
let before = start;
/** Keeps each entry (its bookkeeping) with its value dropped. */
const dropValues = (keys: string[]) => {
  for (const key of keys) (entries.get(key) as { value: unknown }).value = undefined;
};
const freedBy = new Map<string, string[]>();
const sorted = [...groups].sort((a, b) => b[1].bytes - a[1].bytes);
// Freed: what the group's values hold that the groups before it in the table did not share (a value is often
// part of another: kept: of ingress:, backed: of both).
for (const [prefix, g] of sorted) {
  dropValues(g.keys);
  const after = await heap();
  const cells = [String(g.keys.length), mib(g.bytes), mib(before - after), ((before - after) / g.keys.length).toFixed(0)];
  freedBy.set(prefix, cells);
  before = after;
}
const valuesGone = before;
// Then the entries themselves (key, links, reads, the reverse map's share): what keeping a value costs besides it.
for (const [prefix, g] of sorted) {
  for (const key of g.keys) memo.drop(key);
  const after = await heap();
  const cells = [...freedBy.get(prefix)!, mib(before - after), ((before - after) / g.keys.length).toFixed(0)];
  rows.push(`${prefix.padEnd(34)} ${cells.map((c) => c.padStart(9)).join(' ')}`);
  before = after;
}
process.stdout.write(
  `${count} objects (store ${store.size}): heap ${mib(empty)} MiB with the store, ${mib(full)} MiB with the report (${((full / store.size) / 1024).toFixed(2)} KiB/object); ${entryCount} memo entries\n` +
    `${'prefix'.padEnd(34)} ${['entries', 'ser MiB', 'value MiB', 'B/entry', 'entry MiB', 'B/entry'].map((c) => c.padStart(9)).join(' ')}\n${rows.join('\n')}\n` +
    `tracker kept alive (${tracker.rebuilding}); heap before dropping: ${mib(start)} MiB; with no memo values: ${mib(valuesGone)} MiB; with no memo entries: ${mib(before)} MiB\n`,
);
