// Lists the plugins Kong Inc. publishes beyond the OSS bundle (Kong Gateway Enterprise, AI Gateway, Konnect),
// from Kong's documentation site (github.com/Kong/developer.konghq.com): the front matter of each plugin page
// (app/_kong_plugins/<name>/index.md), plus the plugins each Enterprise release ships according to the site's
// execution-priority tables (app/_data/plugins/priorities/<version>.json), which still name retired ones.
//   git -C <developer.konghq.com> archive <commit> app/_kong_plugins app/_data/plugins/priorities | tar -x -C /tmp/devsite
//   node scripts/kong-schemas/enterprise-plugins.ts /tmp/devsite/app <commit> > src/kong/generated/enterprise-plugins.ts
// Third-party plugins listed there (another publisher) are not shipped with Kong: they stay custom plugins.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BUNDLED_PLUGINS } from '../../src/kong/plugins.ts';

const [app, commit] = process.argv.slice(2);
if (!app || !commit) throw new Error('usage: enterprise-plugins.ts <developer.konghq.com app/> <commit>');
const dir = join(app, '_kong_plugins');

const plugins: { name: string; tier: string; minVersion: string | null; worksOn: string[] }[] = [];
const thirdParty = new Set<string>();
for (const name of readdirSync(dir).sort()) {
  let text: string;
  try {
    text = readFileSync(join(dir, name, 'index.md'), 'utf8');
  } catch {
    continue;
  }
  const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1];
  if (!front) continue;
  const meta = parse(front) as { publisher?: string; tier?: string; min_version?: { gateway?: string }; works_on?: string[] };
  if (meta.publisher !== 'kong-inc') thirdParty.add(name);
  if (meta.publisher !== 'kong-inc' || BUNDLED_PLUGINS.includes(name)) continue;
  plugins.push({ name, tier: meta.tier ?? 'konnect', minVersion: meta.min_version?.gateway ?? null, worksOn: meta.works_on ?? [] });
}

// Plugins an Enterprise release ships that have no page any more (retired ones such as application-registration).
const priorities = join(app, '_data', 'plugins', 'priorities');
const shippedIn = new Map<string, string[]>();
for (const file of readdirSync(priorities).filter((f) => f.endsWith('.json'))) {
  const version = file.replace(/\.json$/, '');
  for (const name of Object.keys(JSON.parse(readFileSync(join(priorities, file), 'utf8')) as Record<string, number>)) {
    shippedIn.set(name, [...(shippedIn.get(name) ?? []), version]);
  }
}
const byVersion = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
for (const [name, versions] of [...shippedIn].sort(([a], [b]) => a.localeCompare(b))) {
  if (BUNDLED_PLUGINS.includes(name) || thirdParty.has(name) || plugins.some((p) => p.name === name)) continue;
  plugins.push({ name, tier: 'enterprise', minVersion: versions.sort(byVersion)[0]!, worksOn: ['on-prem'] });
}
plugins.sort((a, b) => a.name.localeCompare(b.name));

process.stdout.write(
  [
    `// Generated from Kong/developer.konghq.com (commit ${commit}): app/_kong_plugins/*/index.md front matter and`,
    `// app/_data/plugins/priorities/*.json, by scripts/kong-schemas/enterprise-plugins.ts: do not edit (MIT-licensed).`,
    `// Plugins published by Kong Inc. that Kong OSS does not bundle: tier "enterprise", "ai_gateway_enterprise",`,
    `// or none (Konnect features such as ace). minVersion is the first Kong Gateway version that has the plugin (for`,
    `// plugins known only from the priority tables: the oldest table that lists it, 3.4 being the oldest there is).`,
    '',
    `export interface EnterprisePlugin {`,
    `  name: string;`,
    `  tier: string;`,
    `  minVersion: string | null;`,
    `  worksOn: string[];`,
    `}`,
    '',
    `export const ENTERPRISE_PLUGINS: readonly EnterprisePlugin[] = ${JSON.stringify(plugins, null, 2)};`,
    '',
  ].join('\n'),
);
