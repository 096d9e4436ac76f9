// Pieces every part of `translate --output deck` shares: the redaction marker, go-kong's ID namespaces, KIC's
// tags, deckgen's sort order and Go's omitempty.
import { groupOf, isRecord, type K8sObject } from '../model/object.ts';
import { uuidV5 } from '../router/route-id.ts';

/** The one string that stands for every value read from a Secret. */
export const REDACTED = '<redacted by ingress-guard>';

/** go-kong's `_kongEntitiesNamespace` (kong/ids.go); each entity type's namespace is the v5 UUID of its plural name in it. */
const KONG_ENTITIES_NAMESPACE = 'fd02801f-0957-4a15-a55a-c8d9606f30b5';
const idNamespace = (plural: string) => uuidV5(KONG_ENTITIES_NAMESPACE, plural);
export const NS = {
  services: idNamespace('services'),
  consumers: idNamespace('consumers'),
  consumergroups: idNamespace('consumergroups'),
  plugins: idNamespace('plugins'),
  vaults: idNamespace('vaults'),
};

export type Entity = Record<string, unknown>;

/**
 * util.GenerateTagsForObject: name, namespace, kind, uid, group, version (each when set), the additional tags
 * (k8s-named-route-rule), then konghq.com/tags.
 */
export function kicTags(obj: K8sObject | undefined, additional: string[] = []): string[] {
  if (!obj) return [];
  const tags: string[] = [];
  const m = obj.metadata;
  if (m.name) tags.push(`k8s-name:${m.name}`);
  if (m.namespace) tags.push(`k8s-namespace:${m.namespace}`);
  if (obj.kind) tags.push(`k8s-kind:${obj.kind}`);
  if (m.uid) tags.push(`k8s-uid:${m.uid}`);
  const group = groupOf(obj.apiVersion);
  if (group) tags.push(`k8s-group:${group}`);
  const version = obj.apiVersion.slice(obj.apiVersion.indexOf('/') + 1);
  if (version) tags.push(`k8s-version:${version}`);
  tags.push(...additional);
  // annotations.ExtractUserTags: a comma list, trimmed, deduplicated among themselves only (lo.Uniq).
  const user = (m.annotations?.['konghq.com/tags'] ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  return [...tags, ...new Set(user)];
}

/** deckgen sorts services, routes, plugins, upstreams and targets by strings.Compare(a, b) > 0: descending. */
export const descending = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0);

/** Omit undefined values and empty lists and maps, as Go's `omitempty` does. */
export function compact(e: Entity): Entity {
  const out: Entity = {};
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (isRecord(v) && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

export function secretFieldNames(secret: K8sObject | undefined): string[] {
  const facts = secret && isRecord(secret.facts) && isRecord(secret.facts.fields) ? secret.facts.fields : {};
  return Object.keys(facts);
}
