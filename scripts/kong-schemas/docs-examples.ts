// Builds an oracle corpus from Kong's documentation: every example configuration of a bundled plugin in
// github.com/Kong/developer.konghq.com (app/_kong_plugins/<plugin>/examples/*.yaml, MIT-licensed):
//   git -C <developer.konghq.com> archive <commit> app/_kong_plugins | tar -x -C /tmp/devsite
//   node scripts/kong-schemas/docs-examples.ts /tmp/devsite/app/_kong_plugins <commit> > scripts/kong-schemas/corpus/docs-examples.json
// The site documents the newest Kong, so some examples use fields Kong 3.9.3 does not have: the oracle says so.
// Its `${name}` placeholders (filled in by the site's tooling) become plausible values of the kind the name says.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BUNDLED_PLUGINS } from '../../src/kong/plugins.ts';

const [dir, commit] = process.argv.slice(2);
if (!dir || !commit) throw new Error('usage: docs-examples.ts <app/_kong_plugins> <commit>');

function placeholder(name: string, plugin: string): string {
  // pre-function and post-function placeholders stand for Lua code, which Kong compiles.
  if (plugin === 'pre-function' || plugin === 'post-function') return `kong.log.info("${name}")`;
  if (/url|endpoint|location/.test(name)) return 'https://service.example.com/path';
  if (/host|address/.test(name)) return 'service.example.internal';
  if (/email/.test(name)) return 'ops@example.com';
  if (/domain/.test(name)) return 'example.com';
  if (/region/.test(name)) return 'us-east-1';
  if (/header/.test(name)) return 'X-Example';
  if (/path/.test(name)) return '/example';
  return `example-${name.replace(/[^a-z0-9]+/gi, '-')}`;
}
const fill = (v: unknown, plugin: string): unknown => {
  if (typeof v === 'string') return v.replace(/\$\{\s*([A-Za-z0-9_-]+)\s*\}/g, (_m, n: string) => placeholder(n, plugin));
  if (Array.isArray(v)) return v.map((x) => fill(x, plugin));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, plugin)]));
  return v;
};

const cases: unknown[] = [];
for (const plugin of BUNDLED_PLUGINS) {
  const examples = join(dir, plugin, 'examples');
  if (!existsSync(examples)) continue;
  for (const file of readdirSync(examples).filter((f) => f.endsWith('.yaml')).sort()) {
    const doc = parse(readFileSync(join(examples, file), 'utf8')) as { config?: unknown; min_version?: { gateway?: string } };
    if (doc.config === undefined || doc.config === null) continue;
    const since = doc.min_version?.gateway ? `, min_version ${doc.min_version.gateway}` : '';
    cases.push({ id: `docs/${plugin}/${file.replace(/\.yaml$/, '')}`, plugin, config: fill(doc.config, plugin), note: `Kong/developer.konghq.com@${commit.slice(0, 10)} app/_kong_plugins/${plugin}/examples/${file}${since}` });
  }
}
process.stdout.write(`${JSON.stringify(cases, null, 1)}\n`);
