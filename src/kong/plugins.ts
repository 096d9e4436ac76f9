// Kong 3.9.3's bundled plugins, from the generated schema dump: their names, Kong's protocols, and each
// plugin's full entity schema (the plugins entity specialised by the plugin's subschema, as Kong merges them).
import { entitiesDump } from './entities.ts';
import { DBLESS, WITH_DATABASE } from './generated/3.9.3/plugins.ts';
import type { KongField, KongSchema } from './validate.ts';
import { validatePluginEntity, type FlatErrors, type PluginInput } from './validate.ts';
import { remembered } from '../model/bounded-cache.ts';

export type KongDatabase = 'off' | 'postgres';

export const KONG_SOURCE = DBLESS.source;
/** The plugins bundled with Kong OSS (kong/constants.lua). */
export const BUNDLED_PLUGINS: readonly string[] = DBLESS.bundled;
/** The protocols Kong OSS knows; `ws` and `wss` are Enterprise-only. */
export const KONG_PROTOCOLS: readonly string[] = DBLESS.protocols;

const merged = new Map<string, KongSchema>();

/** The plugin's entity schema, or undefined for a plugin Kong does not bundle. */
export function pluginSchema(name: string, database: KongDatabase = 'off'): KongSchema | undefined {
  const key = `${database}:${name}`;
  const cached = merged.get(key);
  if (cached) return cached;
  // Own properties only: a plugin named toString or __proto__ is simply unknown.
  const own = (o: Record<string, KongSchema>): KongSchema | undefined => (Object.hasOwn(o, name) ? o[name] : undefined);
  const sub = (database === 'off' ? undefined : own(WITH_DATABASE)) ?? own(DBLESS.plugins);
  if (!sub) return undefined;
  const specialised = new Map(sub.fields.map((f) => Object.entries(f)[0]!));
  const fields = DBLESS.plugins_entity.fields.map((f) => {
    const [fname, def] = Object.entries(f)[0]!;
    return { [fname]: specialised.get(fname) ?? def };
  });
  const schema: KongSchema = { fields, entity_checks: [...(DBLESS.plugins_entity.entity_checks ?? []), ...(sub.entity_checks ?? [])] };
  merged.set(key, schema);
  return schema;
}

export interface PluginVerdict {
  valid: boolean;
  /** Kong's flattened errors: `config.policy` -> ["expected one of: local, redis"]. */
  errors: FlatErrors;
}

// A change is judged before and after, and most plugins are unchanged by it: remember recent verdicts.
const VERDICTS_KEPT = 1000;
const verdicts = new Map<string, PluginVerdict>();

/** What Kong says about a bundled plugin's config, protocols and consumer scope; undefined for other plugins. */
export function validatePlugin(name: string, input: PluginInput, database: KongDatabase = 'off'): PluginVerdict | undefined {
  const schema = pluginSchema(name, database);
  if (!schema) return undefined;
  const key = `${database}\u0000${name}\u0000${JSON.stringify(input)}`;
  return remembered(verdicts, VERDICTS_KEPT, key, () => validatePluginEntity(schema, name, input, { database }));
}

/**
 * Every `$fn` marker in the generated data (plugins and core entities), for the registry test: field validators, entity checks, and
 * shorthand rewrites (those naming their replacement with `deprecation.replaced_with` are rewritten generically).
 */
export function functionMarkers(): { field: string[]; entity: string[]; shorthand: string[]; genericShorthand: string[] } {
  const sets = { field: new Set<string>(), entity: new Set<string>(), shorthand: new Set<string>(), genericShorthand: new Set<string>() };
  const walk = (v: unknown, key: string, parent: Record<string, unknown> | undefined): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, key, parent));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$fn !== 'string') {
        for (const [k, x] of Object.entries(o)) walk(x, k, o);
        return;
      }
      const replaced = (parent?.deprecation as { replaced_with?: unknown } | undefined)?.replaced_with;
      const kind = key === 'fn' ? 'entity' : key === 'func' ? (replaced ? 'genericShorthand' : 'shorthand') : 'field';
      sets[kind].add(o.$fn);
    }
  };
  walk([DBLESS, WITH_DATABASE, entitiesDump()], '', undefined);
  const sorted = (s: Set<string>): string[] => [...s].sort();
  return { field: sorted(sets.field), entity: sorted(sets.entity), shorthand: sorted(sets.shorthand), genericShorthand: sorted(sets.genericShorthand) };
}

/**
 * The field definition at one of Kong's flattened error paths (`config.redis.host`, `config.origins.1`,
 * `config.headers.X-Token`), and the names of its sibling fields; undefined where the path leaves the schema.
 */
export function fieldAt(schema: KongSchema, path: string): { field: KongField | undefined; siblings: string[] } {
  let fields: KongSchema['fields'] | undefined = schema.fields;
  let field: KongField | undefined;
  let siblings: string[] = [];
  for (const seg of path.split('.')) {
    if (field && (field.type === 'array' || field.type === 'set')) {
      field = field.elements as KongField | undefined;
    } else if (field && field.type === 'map') {
      field = field.values as KongField | undefined;
    } else {
      siblings = (fields ?? []).map((f) => Object.keys(f)[0]!);
      field = (fields ?? []).find((f) => Object.hasOwn(f, seg))?.[seg];
    }
    fields = field?.fields as KongSchema['fields'] | undefined;
    if (!field) return { field: undefined, siblings };
  }
  return { field, siblings };
}
