// Turns dump.lua's output (one DB-less dump, one with a database) into the module the product loads:
//   node scripts/kong-schemas/convert.ts <tag> dump-off.json dump-postgres.json > src/kong/generated/<tag>/plugins.ts
// The DB-less dump is kept whole; of the database dump only the plugins whose schema differs are kept.
// The data is embedded as a JSON string: parsed once at start-up, no type inference over 160 KB of literals.
import { readFileSync } from 'node:fs';

const [tag, offPath, pgPath] = process.argv.slice(2);
if (!tag || !offPath || !pgPath) throw new Error('usage: convert.ts <tag> dump-off.json dump-postgres.json');
interface Dump { source: Record<string, string>; plugins: Record<string, unknown>; [k: string]: unknown }
const off = JSON.parse(readFileSync(offPath, 'utf8')) as Dump;
const pg = JSON.parse(readFileSync(pgPath, 'utf8')) as Dump;
if (off.source.commit !== pg.source.commit) throw new Error('the two dumps come from different commits');

// Kong builds some enumerations from Lua tables iterated with pairs(): their order varies between runs.
// Compare them as sets so only real differences count.
const canon = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? [...v].sort() : v.map(canon);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canon(x)]));
  return v;
};
const differing = Object.fromEntries(
  Object.entries(pg.plugins).filter(([name, schema]) => JSON.stringify(canon(schema)) !== JSON.stringify(canon(off.plugins[name]))),
);

const { source } = off;
const lines = [
  `// Generated from ${source.repository}@${source.tag} (commit ${source.commit}) by scripts/kong-schemas: do not edit.`,
  `// ${source.command}`,
  `// node scripts/kong-schemas/convert.ts ${tag} dump-off.json dump-postgres.json`,
  `// Kong is Apache-2.0; this is its schema data in the Admin API's shape, Lua functions as {"$fn": name} markers.`,
  `import type { KongDump, PluginSchemas } from '../../dump.ts';`,
  '',
  `/** Every bundled plugin's schema with \`database = "off"\` (DB-less), plus the plugins entity and the protocols. */`,
  `export const DBLESS: KongDump = JSON.parse(${JSON.stringify(JSON.stringify(off))}) as KongDump;`,
  '',
  `/** The plugins whose schema differs when Kong has a database (${Object.keys(differing).join(', ')}). */`,
  `export const WITH_DATABASE: PluginSchemas = JSON.parse(${JSON.stringify(JSON.stringify(differing))}) as PluginSchemas;`,
  '',
];
process.stdout.write(lines.join('\n'));
