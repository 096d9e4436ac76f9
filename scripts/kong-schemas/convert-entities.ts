// Turns dump-entities.lua's output into the module the product loads:
//   node scripts/kong-schemas/convert-entities.ts <tag> entities.json > src/kong/generated/<tag>/entities.ts
// The data stays a JSON string, parsed on first use: `check` start-up does not pay for entities no rule reads.
import { readFileSync } from 'node:fs';

const [tag, path] = process.argv.slice(2);
if (!tag || !path) throw new Error('usage: convert-entities.ts <tag> entities.json');
const dump = JSON.parse(readFileSync(path, 'utf8')) as { source: Record<string, string>; entities: Record<string, { fields: Field[] }> };
type Field = Record<string, { fields?: Field[] }>;

// upstreams.lua builds the healthchecks records with pairs(): their field order changes between runs. Sort those
// by name so regenerated files diff cleanly (a record's field order does not change Kong's verdict).
const sortFields = (fields: Field[]): Field[] =>
  fields
    .map((f) => Object.fromEntries(Object.entries(f).map(([n, d]) => [n, d.fields ? { ...d, fields: sortFields(d.fields) } : d])))
    .sort((a, b) => (Object.keys(a)[0]! < Object.keys(b)[0]! ? -1 : 1));
const upstreamFields = dump.entities.upstreams!.fields;
const at = upstreamFields.findIndex((f) => 'healthchecks' in f);
upstreamFields[at] = { healthchecks: { ...upstreamFields[at]!.healthchecks!, fields: sortFields(upstreamFields[at]!.healthchecks!.fields ?? []) } };
const { source } = dump;
const lines = [
  `// Generated from ${source.repository}@${source.tag} (commit ${source.commit}) by scripts/kong-schemas: do not edit.`,
  `// ${source.command}`,
  `// node scripts/kong-schemas/convert-entities.ts ${tag} entities.json`,
  `// Kong is Apache-2.0; this is its schema data in the Admin API's shape, Lua functions as {"$fn": name} markers.`,
  '',
  `/** Kong's core entities, the credential DAOs and routes per router flavor (DB-less), as JSON: parse on first use. */`,
  `export const ENTITIES_JSON = ${JSON.stringify(JSON.stringify(dump))};`,
  '',
];
process.stdout.write(lines.join('\n'));
