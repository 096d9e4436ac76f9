// Turns spec-inserts.lua's records (one `@@spec-insert {...}` line each, every spec file's output concatenated)
// into the corpus scripts/kong-schemas/corpus/spec-inserts.json: each plugin a test inserts (a blueprint, an
// Admin API body) and each plugin of a declarative configuration a test loads (YAML or JSON text, walked here:
// top-level plugins and those nested in services, routes, consumers and consumer groups). The same
// {plugin, config, protocols, ordering, consumer} is kept once. What is skipped, and why, goes to stderr.
//   node scripts/kong-schemas/spec-inserts.ts <commit> < records.txt > scripts/kong-schemas/corpus/spec-inserts.json
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { BUNDLED_PLUGINS } from '../../src/kong/plugins.ts';

interface Record {
  kind: 'plugin' | 'declarative' | 'skip';
  file: string;
  line?: number;
  test: string;
  how: string;
  plugin?: string;
  config?: unknown;
  protocols?: unknown;
  ordering?: unknown;
  consumer?: boolean;
  text?: string;
  why?: string;
}
interface Case { id: string; plugin: string; config: unknown; protocols?: unknown; ordering?: unknown; consumer?: boolean; note: string }

const commit = process.argv[2] ?? '';
if (!commit) throw new Error('usage: spec-inserts.ts <commit> < records');
const records = readFileSync(0, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('@@spec-insert '))
  .map((l) => JSON.parse(l.slice('@@spec-insert '.length)) as Record);

const bundled = new Set<string>(BUNDLED_PLUGINS);
const skipped = new Map<string, number>();
const skip = (why: string, where: string): void => {
  skipped.set(why, (skipped.get(why) ?? 0) + 1);
  process.stderr.write(`  skip (${why}): ${where}\n`);
};
// Each distinct case with the first place (file, line, test) that inserts it: the Lua side walks some tables with
// pairs(), so the order of records within a file varies between runs, and ids are given after sorting.
const kept = new Map<string, { r: Omit<Case, 'id' | 'note'>; where: Record }>();
const place = (w: Record): string => `${w.file}\u0000${String(w.line ?? 0).padStart(6, '0')}\u0000${w.test}\u0000${w.how}`;
let duplicates = 0;
let fromDeclarative = 0;

/** Stable JSON (sorted keys) for telling repeats apart. */
const stable = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(stable).join(',')}]` : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as { [k: string]: unknown })[k])}`).join(',')}}` : JSON.stringify(v);

/** The same value with its keys sorted (a declarative table encoded by cjson comes in hash order). */
const sorted = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as { [k: string]: unknown })[k])])) : v;

function keep(unsorted: Omit<Case, 'id' | 'note'>, where: Record): void {
  const r = { ...unsorted, config: sorted(unsorted.config) };
  const key = stable(r);
  const before = kept.get(key);
  if (before) duplicates++;
  if (!before || place(where) < place(before.where)) kept.set(key, { r, where });
}

function plugin(p: unknown, scope: { consumer?: boolean }, where: Record): void {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return skip('a declarative plugin entry that is not a map', `${where.file}:${where.line}`);
  const e = p as { [k: string]: unknown };
  if (typeof e.name !== 'string') return skip('no plugin name', `${where.file}:${where.line}`);
  if (!bundled.has(e.name)) return skip(`not a bundled plugin (a test plugin from spec/fixtures/custom_plugins)`, `${where.file}:${where.line} ${e.name}`);
  const r: Omit<Case, 'id' | 'note'> = { plugin: e.name, config: e.config ?? {} };
  if (e.protocols !== undefined) r.protocols = e.protocols;
  if (e.ordering !== undefined) r.ordering = e.ordering;
  if (scope.consumer || (e.consumer !== undefined && e.consumer !== null)) r.consumer = true;
  fromDeclarative++;
  keep(r, where);
}

function declarative(text: string, where: Record): void {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return skip('a declarative text that is not YAML or JSON', `${where.file}:${where.line} ${(e as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object') return skip('a declarative text that is not a map', `${where.file}:${where.line}`);
  const d = doc as { [k: string]: unknown };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const children = (entity: unknown, scope: { consumer?: boolean }): void => {
    if (!entity || typeof entity !== 'object') return;
    const e = entity as { [k: string]: unknown };
    for (const p of list(e.plugins)) plugin(p, scope, where);
    for (const r of list(e.routes)) children(r, scope);
  };
  for (const p of list(d.plugins)) plugin(p, {}, where);
  for (const s of list(d.services)) children(s, {});
  for (const r of list(d.routes)) children(r, {});
  for (const c of list(d.consumers)) children(c, { consumer: true });
  for (const g of list(d.consumer_groups)) children(g, {});
}

for (const r of records) {
  if (r.kind === 'skip') skip(r.why ?? '?', `${r.file}:${r.line} ${r.how}`);
  else if (r.kind === 'declarative') declarative(r.text ?? '', r);
  else if (r.plugin) {
    const c: Omit<Case, 'id' | 'note'> = { plugin: r.plugin, config: r.config };
    if (r.protocols !== undefined) c.protocols = r.protocols;
    if (r.ordering !== undefined) c.ordering = r.ordering;
    if (r.consumer) c.consumer = true;
    keep(c, r);
  }
}

const cases: Case[] = [];
const ids = new Set<string>();
for (const [, { r, where }] of [...kept].sort(([ka, a], [kb, b]) => (place(a.where) < place(b.where) ? -1 : place(a.where) > place(b.where) ? 1 : ka < kb ? -1 : ka > kb ? 1 : 0))) {
  const base = `spec-insert/${r.plugin}/${where.file.replace(/^spec\//, '').replace(/_spec\.lua$/, '')}:${where.line ?? '?'}`;
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base} #${n}`;
  ids.add(id);
  cases.push({ id, ...r, note: `Kong/kong@${commit.slice(0, 10)} ${where.file}:${where.line ?? '?'} (${where.how}) ${where.test}` });
}

process.stderr.write(`${records.length} records: ${cases.length} cases kept (${fromDeclarative} plugins from declarative configurations before repeats), ${duplicates} repeats\n`);
for (const [why, n] of [...skipped].sort()) process.stderr.write(`  skipped ${n}: ${why}\n`);
process.stdout.write(`[\n${cases.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`);
