// Route IDs as Kong's router sees them. Ties between equal priorities are broken by the route ID (the ATC
// router walks `(priority, uuid)` keys from the greatest down: Kong/atc-router src/router.rs, `MatcherKey` and
// `try_match`), so an offline answer to "who wins" needs the IDs KIC gives its routes.
//
// KIC (feature gate FillIDs, on by default in 3.5: pkg/manager/config/feature_gates_keys.go) calls go-kong's
// `Route.FillID(workspace)` (kong/ids.go): a name-based UUID v5 whose namespace is itself the v5 UUID of the
// entity's plural name ("routes") under a fixed go-kong namespace, and whose name is the route name, prefixed
// by `workspace + "/"` when a workspace is set. Kong then splits a route whose paths fall into several groups
// (kong/router/transform.lua `split_routes_and_services_by_path`) and names each part with another v5 UUID:
// namespace 7f145bf9-…, name `<original id>#<group index from 1>` (lua-resty-jit-uuid `factory_v5`, RFC 4122).
import { createHash } from 'node:crypto';
import { remembered } from '../model/bounded-cache.ts';

/** go-kong's `_kongEntitiesNamespace` (kong/ids.go). */
const KONG_ENTITIES_NAMESPACE = 'fd02801f-0957-4a15-a55a-c8d9606f30b5';
/** The namespace of the per-group route parts (kong/router/transform.lua, `uuid.factory_v5`). */
const SPLIT_PART_NAMESPACE = '7f145bf9-0dce-4f91-98eb-debbce4b9f6b';

/** RFC 4122 name-based UUID (version 5, SHA-1) of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  // Reviews rebuild the same entities again and again (deck files, router parts): a SHA-1 each time was a tenth of a review.
  return remembered(ids, IDS_KEPT, `${namespace}\u0000${name}`, () => computeUuidV5(namespace, name));
}

/** The most recent IDs computed, oldest dropped first: enough for a review's neighbourhood, bounded whatever the cluster. */
const IDS_KEPT = 4096;
const ids = new Map<string, string>();

function computeUuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ROUTES_NAMESPACE = uuidV5(KONG_ENTITIES_NAMESPACE, 'routes');

/** The ID KIC's FillIDs gives a Kong route named `routeName` (go-kong `Route.FillID`). */
export function kicRouteId(routeName: string, workspace = ''): string {
  return uuidV5(ROUTES_NAMESPACE, workspace ? `${workspace}/${routeName}` : routeName);
}

/** The ID Kong gives part `groupIndex` (1-based) of a route split by path group. */
export function splitPartId(originalRouteId: string, groupIndex: number): string {
  return uuidV5(SPLIT_PART_NAMESPACE, `${originalRouteId}#${groupIndex}`);
}
