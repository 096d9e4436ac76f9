// Lists what Kong Gateway Enterprise adds to the bundled plugins' config: the fields OSS lacks, and the values it
// adds to an enumeration, from the plugin schemas Kong's documentation site publishes for one Enterprise release
// (github.com/Kong/developer.konghq.com, app/_schemas/gateway/plugins/<release>/<PascalName>.json, MIT; the 3.9 files
// are Admin API dumps of an Enterprise gateway with a database, copied from Kong/docs-plugin-toolkit). Compared with
// Kong OSS's own dump (DB-less and with a database), so a value only the database mode allows (rate-limiting's
// `policy: cluster`) is not taken for an Enterprise one.
//   git -C <developer.konghq.com> archive <commit> app/_schemas/gateway/plugins/3.9 | tar -x -C /tmp/devsite
//   node scripts/kong-schemas/enterprise-fields.ts /tmp/devsite/app/_schemas/gateway/plugins/3.9 <commit> > src/kong/generated/enterprise-fields.ts
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BUNDLED_PLUGINS, fieldAt, pluginSchema } from '../../src/kong/plugins.ts';

const [dir, commit] = process.argv.slice(2);
if (!dir || !commit) throw new Error('usage: enterprise-fields.ts <app/_schemas/gateway/plugins/<release>> <commit>');
const release = basename(dir);

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  type?: string;
}

const pascal = (name: string): string => name.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

const overlay: Record<string, { fields: string[]; values: Record<string, unknown[]> }> = {};
for (const plugin of BUNDLED_PLUGINS) {
  const file = join(dir, `${pascal(plugin)}.json`);
  if (!existsSync(file)) throw new Error(`no Enterprise schema for ${plugin}: ${file}`);
  const ee = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
  const oss = [pluginSchema(plugin, 'off')!, pluginSchema(plugin, 'postgres')!];
  const fields: string[] = [];
  const values: Record<string, unknown[]> = {};
  // `path` is Kong's error path with `*` for an array element; `probe` the same with `1`, for fieldAt.
  const walk = (node: JsonSchema, path: string, probe: string): void => {
    const known = oss.map((s) => fieldAt(s, probe).field).filter((f) => f !== undefined);
    if (known.length === 0) {
      fields.push(path);
      return;
    }
    if (node.enum) {
      const ossValues = new Set(known.flatMap((f) => (Array.isArray(f.one_of) ? f.one_of : [])));
      const extra = ossValues.size ? node.enum.filter((v) => !ossValues.has(v)) : [];
      if (extra.length) values[path] = extra;
    }
    for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${name}`, `${probe}.${name}`);
    if (node.items) walk(node.items, `${path}.*`, `${probe}.1`);
  };
  const config = ee.properties?.config;
  if (config) for (const [name, child] of Object.entries(config.properties ?? {})) walk(child, `config.${name}`, `config.${name}`);
  if (fields.length || Object.keys(values).length) overlay[plugin] = { fields, values };
}

process.stdout.write(
  [
    `// Generated from Kong/developer.konghq.com (commit ${commit}): app/_schemas/gateway/plugins/${release}/*.json,`,
    `// by scripts/kong-schemas/enterprise-fields.ts: do not edit (MIT-licensed). What Kong Gateway Enterprise ${release}`,
    `// adds to the config of the plugins Kong OSS bundles: fields (Kong's error paths, \`*\` for an array element) and`,
    `// enumeration values. With kongEdition: enterprise they are known, never "unknown field".`,
    '',
    `export const ENTERPRISE_FIELDS_RELEASE = ${JSON.stringify(release)};`,
    '',
    `export const ENTERPRISE_FIELDS: Readonly<Record<string, { fields: readonly string[]; values: Readonly<Record<string, readonly unknown[]>> }>> = ${JSON.stringify(overlay, null, 2)};`,
    '',
  ].join('\n'),
);
