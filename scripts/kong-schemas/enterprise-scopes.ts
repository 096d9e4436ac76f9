// Lists, per plugin, the scopes Kong Gateway Enterprise allows it on (service, route, consumer, consumer_group),
// from Kong's documentation site (github.com/Kong/developer.konghq.com): the plugin schemas published for one
// Enterprise release (app/_schemas/gateway/plugins/<release>/<PascalName>.json). A scope is allowed when the
// schema has a property for it, which is how the site builds its own "scopes" tables
// (app/_plugins/generators/plugins/plugin.rb, `targets`). The 3.9 schemas are raw Admin API dumps of an
// Enterprise gateway (copied from Kong/docs-plugin-toolkit), where a forbidden scope is `eq = null`, not listed.
//   git -C <developer.konghq.com> archive <commit> app/_schemas/gateway/plugins/3.9 | tar -x -C /tmp/devsite
//   node scripts/kong-schemas/enterprise-scopes.ts /tmp/devsite/app/_schemas/gateway/plugins/3.9 <commit> > src/kong/generated/enterprise-scopes.ts
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ENTERPRISE_PLUGINS } from '../../src/kong/generated/enterprise-plugins.ts';
import { BUNDLED_PLUGINS } from '../../src/kong/plugins.ts';

const [dir, commit] = process.argv.slice(2);
if (!dir || !commit) throw new Error('usage: enterprise-scopes.ts <app/_schemas/gateway/plugins/<release>> <commit>');
const release = basename(dir);
const SCOPES = ['service', 'route', 'consumer', 'consumer_group'] as const;

// File names are PascalCase ("AiPromptDecorator", "Oauth2Introspection"): match them to the known plugin names.
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const known = new Map([...BUNDLED_PLUGINS, ...ENTERPRISE_PLUGINS.map((p) => p.name)].map((n) => [squash(n), n]));

const scopes: Record<string, string[]> = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const pascal = file.replace(/\.json$/, '');
  // A plugin the site has no page for any more (datadog-tracing): the file name, kebab-cased.
  const plugin = known.get(squash(pascal)) ?? pascal.replace(/(?<=[a-z0-9])([A-Z])/g, '-$1').toLowerCase();
  const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { properties?: Record<string, unknown> };
  scopes[plugin] = SCOPES.filter((s) => schema.properties?.[s] !== undefined);
}

process.stdout.write(
  [
    `// Generated from Kong/developer.konghq.com (commit ${commit}): app/_schemas/gateway/plugins/${release}/*.json,`,
    `// by scripts/kong-schemas/enterprise-scopes.ts: do not edit (MIT-licensed). The scopes (besides global) Kong`,
    `// Gateway Enterprise ${release} allows each plugin on: a scope a plugin's schema has no property for is refused`,
    `// ("consumer_group: value must be null").`,
    '',
    `export const ENTERPRISE_RELEASE = ${JSON.stringify(release)};`,
    '',
    `export type PluginScopeName = 'service' | 'route' | 'consumer' | 'consumer_group';`,
    '',
    `export const ENTERPRISE_SCOPES: Readonly<Record<string, readonly PluginScopeName[]>> = ${JSON.stringify(scopes, null, 2)};`,
    '',
  ].join('\n'),
);
