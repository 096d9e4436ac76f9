// Where Kong allows a plugin to be scoped, from data: Kong OSS's own schemas (a plugin's `consumer`, `route` or
// `service` field set to typedefs.no_consumer / no_route / no_service, i.e. `eq = null`) and, for Kong Gateway
// Enterprise, the scope table of its published plugin schemas (which also says which plugins a consumer group
// may carry). Nothing here is a hand-kept list.
import { DBLESS } from './generated/3.9.3/plugins.ts';
import { ENTERPRISE_RELEASE, ENTERPRISE_SCOPES, type PluginScopeName } from './generated/enterprise-scopes.ts';

export type { PluginScopeName };
export { ENTERPRISE_RELEASE };

const ENTITY_SCOPES = ['service', 'route', 'consumer'] as const;

/** Bundled plugin -> the scopes its Kong OSS schema refuses (a foreign key field with `eq = null`). */
const OSS_REFUSED = new Map<string, PluginScopeName[]>(
  Object.entries(DBLESS.plugins).map(([plugin, schema]) => {
    const refused = schema.fields.flatMap((f) =>
      Object.entries(f).flatMap(([field, def]): PluginScopeName[] =>
        (ENTITY_SCOPES as readonly string[]).includes(field) && Object.hasOwn(def, 'eq') && def.eq === null
          ? [field as PluginScopeName]
          : [],
      ),
    );
    return [plugin, refused];
  }),
);

export interface ScopeRefusal {
  scope: PluginScopeName;
  /** Where the refusal comes from, for messages: Kong OSS's schema, or Enterprise's published one. */
  source: 'oss' | 'enterprise';
}

/**
 * The scopes Kong refuses `plugin` on (besides global): "consumer: value must be null". A bundled plugin is judged by
 * Kong OSS's schema, an Enterprise plugin by Enterprise's scope table; with `kongEdition: enterprise` the table also
 * says which plugins a consumer group may carry. Custom plugins and plugins no data covers: nothing is refused.
 * Consumer groups on Kong OSS, which has none at all, are not a scope question (consumer-group-needs-enterprise).
 */
export function refusedScopes(plugin: string, edition: 'oss' | 'enterprise'): ScopeRefusal[] {
  const oss = OSS_REFUSED.get(plugin);
  const ee = Object.hasOwn(ENTERPRISE_SCOPES, plugin) ? ENTERPRISE_SCOPES[plugin] : undefined;
  const out: ScopeRefusal[] = [];
  if (oss) out.push(...oss.map((scope) => ({ scope, source: 'oss' as const })));
  else if (ee) out.push(...ENTITY_SCOPES.filter((s) => !ee.includes(s)).map((scope) => ({ scope, source: 'enterprise' as const })));
  if (edition === 'enterprise' && ee && !ee.includes('consumer_group')) out.push({ scope: 'consumer_group', source: 'enterprise' });
  return out;
}

/** The plugins Kong Gateway Enterprise lets a consumer group carry. */
export function consumerGroupPlugins(): string[] {
  return Object.entries(ENTERPRISE_SCOPES)
    .filter(([, scopes]) => scopes.includes('consumer_group'))
    .map(([plugin]) => plugin);
}
