// Lists the plugins Kong Inc. publishes beyond the OSS bundle (Kong Gateway Enterprise, AI Gateway, Konnect),
// from the front matter of Kong's documentation site (github.com/Kong/developer.konghq.com, app/_kong_plugins):
//   git -C <developer.konghq.com> archive <commit> app/_kong_plugins | tar -x -C /tmp/devsite
//   node scripts/kong-schemas/enterprise-plugins.ts /tmp/devsite/app/_kong_plugins <commit> > src/kong/generated/enterprise-plugins.ts
// Third-party plugins listed there (another publisher) are not shipped with Kong: they stay custom plugins.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BUNDLED_PLUGINS } from '../../src/kong/plugins.ts';

const [dir, commit] = process.argv.slice(2);
if (!dir || !commit) throw new Error('usage: enterprise-plugins.ts <app/_kong_plugins> <commit>');

const plugins: { name: string; tier: string; minVersion: string | null; worksOn: string[] }[] = [];
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
  if (meta.publisher !== 'kong-inc' || BUNDLED_PLUGINS.includes(name)) continue;
  plugins.push({ name, tier: meta.tier ?? 'konnect', minVersion: meta.min_version?.gateway ?? null, worksOn: meta.works_on ?? [] });
}

process.stdout.write(
  [
    `// Generated from Kong/developer.konghq.com (commit ${commit}), app/_kong_plugins/*/index.md front matter,`,
    `// by scripts/kong-schemas/enterprise-plugins.ts: do not edit. (The site's content is MIT-licensed.)`,
    `// Plugins published by Kong Inc. that Kong OSS does not bundle: tier "enterprise", "ai_gateway_enterprise",`,
    `// or none (Konnect features such as ace). minVersion is the first Kong Gateway version that has the plugin.`,
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
