// KongCustomEntity -> Kong entities of its `spec.type`, as KIC 3.5 builds them (kongstate/customentity.go
// FillCustomEntities): the fields as written, and, when `spec.parentRef` names a plugin, one entity per combination
// of the services, routes and consumers that plugin is attached to (rels GetCombinations), each foreign field of the
// type's schema set to `{id: <that entity's ID>}`. KIC reads each type's schema from Kong at run time; offline,
// the foreign fields are known for Kong 3.9.3 OSS's plugin entities (below) and the one Enterprise type of KIC's
// own golden test, and whether a type exists at all only for Kong OSS.
import { refKey, type K8sObject, type ObjectRef } from '../model/object.ts';
import { customEntityView } from '../model/custom-entity.ts';
import { consumerView } from '../model/views.ts';
import type { Translator } from './translator.ts';
import { pluginServiceScopes } from './service-facades.ts';

type Reference = 'services' | 'routes' | 'consumers';

export interface ForeignField {
  field: string;
  reference: Reference;
  /** Kong's schema requires it: an entity without it makes Kong reject the configuration. */
  required: boolean;
}

/** customentity.go IsKnownEntityType: types KIC builds itself and refuses in a KongCustomEntity. */
export const KIC_OWN_ENTITY_TYPES = ['services', 'routes', 'upstreams', 'targets', 'consumers', 'consumer_groups', 'plugins'];

const consumerField = [{ field: 'consumer', reference: 'consumers', required: true }] as const satisfies readonly ForeignField[];
const serviceField = [{ field: 'service', reference: 'services', required: false }] as const satisfies readonly ForeignField[];

/**
 * The foreign fields (to services, routes, consumers) of the entity types whose schemas are known here: Kong 3.9.3's
 * kong/plugins/{acl,basic-auth,hmac-auth,jwt,key-auth,oauth2}/daos.lua, and Kong Enterprise's degraphql_routes as
 * KIC's golden test kong-custom-entity-ee fills it (whether Enterprise requires it is not known here).
 */
export const FOREIGN_FIELDS: Record<string, readonly ForeignField[]> = {
  acls: consumerField,
  basicauth_credentials: consumerField,
  hmacauth_credentials: consumerField,
  jwt_secrets: consumerField,
  keyauth_credentials: consumerField,
  oauth2_credentials: consumerField,
  oauth2_authorization_codes: serviceField,
  oauth2_tokens: serviceField,
  degraphql_routes: serviceField,
};

/** The entity types Kong 3.9.3 OSS has (kong/constants.lua CORE_ENTITIES and every kong/plugins/<name>/daos.lua): GET /schemas/<type> answers for these only. */
export const KONG_OSS_ENTITY_TYPES: ReadonlySet<string> = new Set([
  'workspaces', 'consumers', 'certificates', 'services', 'routes', 'snis', 'upstreams', 'targets', 'plugins', 'tags', 'ca_certificates',
  'clustering_data_planes', 'parameters', 'vaults', 'key_sets', 'keys', 'filter_chains',
  'acls', 'acme_storage', 'basicauth_credentials', 'hmacauth_credentials', 'jwt_secrets', 'keyauth_credentials', 'oauth2_credentials',
  'oauth2_authorization_codes', 'oauth2_tokens', 'ratelimiting_metrics', 'sessions',
]);

/** Why KIC skips a KongCustomEntity (a translation failure on it): nothing of it reaches Kong. */
export type SkipReason =
  | { why: 'no-type' }
  | { why: 'kic-own-type'; type: string }
  | { why: 'unknown-type'; type: string }
  | { why: 'fields-not-object' }
  | { why: 'parent-missing'; parent: ObjectRef }
  | { why: 'parent-not-granted'; parent: ObjectRef };

export interface CustomEntity {
  type: string;
  /** The fields as KIC sends them. */
  fields: Record<string, unknown>;
  /** IDs of the attached services, routes and consumers, for KIC's sort. */
  foreign: Partial<Record<Reference, string>>;
}

export type CustomEntityTranslation = { skipped: SkipReason } | { entities: CustomEntity[]; unfilled: ForeignField[] };

/** Kong IDs of the entities a custom entity can point at (deck.ts computes them as KIC's FillIDs does). */
export interface KongIds {
  service(name: string): string;
  consumer(username: string): string;
}

/** A plugin's attachments as KIC's getPluginRelatedEntitiesRef keys them (`<namespace>:<name>`), IDs only. */
function relations(tr: Translator, namespace: string, name: string, ids: KongIds): Record<Reference, string[]> {
  const services: string[] = [];
  const routes: string[] = [];
  const routeServices: string[] = [];
  const consumers: string[] = [];
  // Every object naming `name` in `namespace` (local, or remote and granted), whichever plugin kind it resolves to.
  const key = refKey({ group: 'configuration.konghq.com', kind: 'KongPlugin', namespace, name });
  for (const referrer of tr.view.lookup('dependants', key)) {
    const names = tr.pluginsOf(referrer).some((p) => p.ref.namespace === namespace && p.ref.name === name && p.problem !== 'not-granted');
    if (!names) continue;
    if (referrer.kind === 'Service' || referrer.kind === 'KongServiceFacade') {
      // KIC reads the plugins off each Kong service's Services, with a facade's annotations over them.
      for (const s of pluginServiceScopes(tr, referrer)) services.push(ids.service(s.name));
    } else if (referrer.kind === 'KongConsumer') {
      const username = consumerView(referrer).username;
      // Consumer.FillID needs a username: one without is left out.
      if (tr.isManaged(referrer) && username) consumers.push(ids.consumer(username));
    } else {
      for (const r of tr.routesOf(referrer)) {
        routes.push(r.id);
        routeServices.push(ids.service(r.service));
      }
    }
  }
  // getServiceIDFromPluginRels: the services named directly, else (deduplicated) those of the routes.
  return { services: services.length ? services : [...new Set(routeServices)], routes, consumers };
}

/** rels GetCombinations, over the references the type's schema has. */
function combinations(rel: Partial<Record<Reference, string[]>>): Partial<Record<Reference, string>>[] {
  const services = rel.services ?? [];
  const routes = rel.routes ?? [];
  const consumers = rel.consumers ?? [];
  const scopes = [...services.map((id) => ({ services: id })), ...routes.map((id) => ({ routes: id }))];
  if (consumers.length) return scopes.length ? consumers.flatMap((c) => scopes.map((s) => ({ ...s, consumers: c }))) : consumers.map((c) => ({ consumers: c }));
  return scopes;
}

/** What KIC makes of one KongCustomEntity of its class. */
export function translateCustomEntity(tr: Translator, kce: K8sObject, ids: KongIds): CustomEntityTranslation {
  const v = customEntityView(kce);
  if (!v.type) return { skipped: { why: 'no-type' } };
  if (KIC_OWN_ENTITY_TYPES.includes(v.type)) return { skipped: { why: 'kic-own-type', type: v.type } };
  if (tr.config.kongEdition === 'oss' && !KONG_OSS_ENTITY_TYPES.has(v.type)) return { skipped: { why: 'unknown-type', type: v.type } };
  if (!v.fields) return { skipped: { why: 'fields-not-object' } };
  const schema = FOREIGN_FIELDS[v.type] ?? [];
  let combos: Partial<Record<Reference, string>>[] = [];
  if (v.parent) {
    const parent = v.parent;
    if (v.remoteParent) {
      const granted = tr.resolve(kce, { namespace: v.relationNamespace, name: parent.name, remote: true }).problem !== 'not-granted';
      if (!granted) return { skipped: { why: 'parent-not-granted', parent } };
    }
    // GetKongPlugin / GetKongClusterPlugin: the plugin must exist.
    if (!tr.view.get(refKey(parent))) return { skipped: { why: 'parent-missing', parent } };
    const rel = relations(tr, v.relationNamespace, parent.name, ids);
    const wanted: Partial<Record<Reference, string[]>> = {};
    for (const f of schema) wanted[f.reference] = rel[f.reference];
    combos = combinations(wanted);
  }
  const build = (foreign: Partial<Record<Reference, string>>): CustomEntity => {
    const fields: Record<string, unknown> = { ...v.fields };
    // A combination lacking a reference still sets the field, to an empty ID, as generateCustomEntities does.
    for (const f of schema) if (combos.length) fields[f.field] = { id: foreign[f.reference] ?? '' };
    return { type: v.type!, fields, foreign };
  };
  const entities = combos.length ? combos.map(build) : [build({})];
  // Required foreign fields KIC could not fill and the fields do not give: Kong's schema refuses the entity.
  const unfilled = combos.length ? [] : schema.filter((f) => f.required && v.fields![f.field] === undefined);
  return { entities, unfilled };
}

/** sortCustomEntities: by the KongCustomEntity's namespace and name, then the attached services', routes' and consumers' IDs. */
function order(a: { obj: K8sObject; e: CustomEntity }, b: { obj: K8sObject; e: CustomEntity }): number {
  const keys = (x: { obj: K8sObject; e: CustomEntity }) => [x.obj.metadata.namespace ?? '', x.obj.metadata.name, x.e.foreign.services ?? '', x.e.foreign.routes ?? '', x.e.foreign.consumers ?? ''];
  const [ka, kb] = [keys(a), keys(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/** The managed KongCustomEntities KIC translates: spec.controllerName is the class (ListKongCustomEntities). */
export function customEntityObjects(tr: Translator): K8sObject[] {
  return [...tr.view.list('KongCustomEntity')].filter((o) => tr.isManaged(o));
}

/** Every custom entity KIC sends, by type (the top-level collections of the DB-less configuration), in KIC's order. */
export function customEntityCollections(tr: Translator, ids: KongIds): Record<string, Record<string, unknown>[]> {
  const byType = new Map<string, { obj: K8sObject; e: CustomEntity }[]>();
  for (const obj of customEntityObjects(tr)) {
    const t = translateCustomEntity(tr, obj, ids);
    if ('skipped' in t) continue;
    for (const e of t.entities) byType.set(e.type, [...(byType.get(e.type) ?? []), { obj, e }]);
  }
  return Object.fromEntries([...byType].map(([type, list]) => [type, list.sort(order).map((x) => x.e.fields)]));
}
