// Joins a corpus with the oracle's verdicts (harness.lua's output) into a committed fixture file:
//   node scripts/kong-schemas/merge.ts corpus.json results.json > test/fixtures/kong-oracle/<name>.json
import { readFileSync } from 'node:fs';

interface Case { id: string; plugin: string; config?: unknown; protocols?: unknown; ordering?: unknown; consumer?: boolean; note?: string }
interface Result { id: string; valid: boolean; errors: Record<string, string[]> }

const [corpusPath, resultsPath] = process.argv.slice(2);
if (!corpusPath || !resultsPath) throw new Error('usage: merge.ts corpus.json results.json');
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8')) as Case[];
const oracle = JSON.parse(readFileSync(resultsPath, 'utf8')) as { source: Record<string, string>; results: Result[] };
const byId = new Map(oracle.results.map((r) => [r.id, r]));
const ids = new Set<string>();
const cases = corpus.map((c) => {
  if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
  ids.add(c.id);
  const r = byId.get(c.id);
  if (!r) throw new Error(`no verdict for ${c.id}`);
  return { ...c, valid: r.valid, errors: r.errors };
});
process.stdout.write(
  `${JSON.stringify({ source: { ...oracle.source, corpus: corpusPath, generated: `${oracle.source.command?.split(' ')[1] ?? 'scripts/kong-schemas/harness.lua'} then merge.ts (see scripts/kong-schemas/README.md)` }, cases }, null, 1)}\n`,
);
