// What KIC builds and then leaves out of the configuration it sends to Kong: a whole Kong service when one of its
// routes cannot be finished, and global plugins that collide. The translator applies these, so the rules, `trace`
// and `translate` all see the entities Kong receives; `droppedServices` keeps why, for messages and `trace`.
import { describe, keyOf, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { isGlobalPlugin, pluginType } from '../model/views.ts';
import { pluginConfig } from './deck-plugins.ts';
import type { KongRoute, KongService } from './kong.ts';
import type { RouteTranslation, Translator } from './translator.ts';
import { REWRITE_ANNOTATION, rewriteFailure } from './ingress-rewrite.ts';
import { EMPTY } from './compact.ts';

/** A Kong service KIC builds from an object's routes and then leaves out, with the object's routes in it. */
export interface DroppedService {
  service: string;
  /** The routes of the object being translated that go with it. */
  routes: KongRoute[];
  /** The object whose route KIC cannot finish (this one, or another sharing the Kong service). */
  cause: ObjectRef;
  /**
   * Which failure: konghq.com/rewrite without the RewriteURIs gate, a rewrite value KIC cannot parse (with the gate), or an
   * HTTPRoute filter KIC cannot translate.
   */
  why: 'rewrite' | 'rewrite-invalid' | 'filter';
  /** Why, in KIC's terms. */
  reason: string;
  /** KIC's error for a rewrite value it cannot parse (`unexpected x at pos 3`). */
  error?: string;
}


/** translate_ingress.go: the default backend's route is added after MaybeRewriteURI, so it is never dropped with its service. */
const isRuleRoute = (r: KongRoute) => r.field !== 'spec.defaultBackend';

/**
 * The other objects of `kind` that may share one of these Kong services (backed by the same Services or
 * KongServiceFacade) and could make KIC drop it: only those in the `serviceDroppers` index.
 */
function sharers(tr: Translator, services: KongService[], kind: string): K8sObject[] {
  const found = new Map<string, K8sObject>();
  for (const s of services) {
    // A facade's Kong service is shared by the Ingresses naming the facade, which depend on it and not on its Service.
    const behind = [...s.backends.map((b) => refKey(b.service)), ...(s.facade ? [refKey(s.facade)] : [])];
    for (const key of behind) for (const o of tr.view.lookup('serviceDroppers', key)) if (o.kind === kind) found.set(keyOf(o), o);
  }
  return [...found.values()];
}

/**
 * The Kong services KIC drops from an Ingress's or HTTPRoute's translation (`built`, before any drop), and why:
 * - translate_ingress.go ingressRulesFromIngressV1 -> subtranslator/ingress.go MaybeRewriteURI: a Kong service with a
 *   rule route of an Ingress that sets konghq.com/rewrite fails without the RewriteURIs feature gate (off by default:
 *   the setting rewriteURIs), or with it for a value KIC cannot parse, and KIC skips the service: the routes of every
 *   Ingress in it;
 * - subtranslator/httproute.go TranslateHTTPRoutesToKongstateServices: a Kong service one of whose routes has a filter KIC
 *   cannot translate (httproute-filters.ts `failed`) fails as a whole, routes of other HTTPRoutes combined into it included.
 */
export function droppedServices(tr: Translator, obj: K8sObject, built: RouteTranslation): DroppedService[] {
  const dropped = droppedBy(tr, obj, built);
  // Shared when empty (almost always): memoised values are never mutated.
  return dropped.length ? dropped : (EMPTY as never[]);
}

function droppedBy(tr: Translator, obj: K8sObject, built: RouteTranslation): DroppedService[] {
  if (obj.kind === 'Ingress') {
    const causes = new Map<string, { cause: ObjectRef; error: string }>();
    for (const other of [obj, ...sharers(tr, built.services, 'Ingress').filter((o) => keyOf(o) !== keyOf(obj))]) {
      const error = rewriteFailure(tr.config, other);
      if (error === undefined) continue;
      for (const r of (other === obj ? built : tr.ingress(other)).routes) if (isRuleRoute(r) && !causes.has(r.service)) causes.set(r.service, { cause: refOf(other), error });
    }
    return [...causes].flatMap(([service, { cause, error }]) => {
      const routes = built.routes.filter((r) => r.service === service && isRuleRoute(r));
      const gated = !tr.config.rewriteURIs;
      const failure = gated ? 'which KIC translates only with its RewriteURIs feature gate (off by default)' : `whose value KIC cannot parse (${error})`;
      const reason = `${describe(cause)} sets ${REWRITE_ANNOTATION}, ${failure}: KIC drops the Kong service ${service} and every route in it`;
      if (!routes.length) return [];
      return [gated ? { service, routes, cause, why: 'rewrite' as const, reason } : { service, routes, cause, why: 'rewrite-invalid' as const, reason, error }];
    });
  }
  if (obj.kind === 'HTTPRoute') {
    const causes = new Map<string, ObjectRef>();
    for (const other of [obj, ...sharers(tr, built.services, 'HTTPRoute').filter((o) => keyOf(o) !== keyOf(obj))]) {
      const failed = new Set(tr.httpRouteFilterPlugins(other).failed);
      for (const r of (other === obj ? built : tr.httpRoute(other)).routes) if (failed.has(r.name) && !causes.has(r.service)) causes.set(r.service, refOf(other));
    }
    return [...causes].flatMap(([service, cause]) => {
      const routes = built.routes.filter((r) => r.service === service);
      const reason = `${describe(cause)} has a filter KIC cannot translate (the translation of its rule fails): KIC drops the Kong service ${service} and every route in it`;
      return routes.length ? [{ service, routes, cause, why: 'filter' as const, reason }] : [];
    });
  }
  return [];
}

/** The translation without the dropped services and their routes (a service a kept route still uses stays). */
export function withoutDropped(built: RouteTranslation, dropped: DroppedService[]): RouteTranslation {
  if (!dropped.length) return built;
  const gone = new Set(dropped.flatMap((d) => d.routes.map((r) => r.name)));
  const routes = built.routes.filter((r) => !gone.has(r.name));
  const used = new Set(routes.map((r) => r.service));
  const droppedNames = new Set(dropped.map((d) => d.service));
  return { services: built.services.filter((s) => !droppedNames.has(s.name) || used.has(s.name)), routes };
}

/**
 * kongstate.go globalKongClusterPlugins: when two managed global KongClusterPlugins have one plugin type ("Multiple
 * KongPlugin with 'global' label found, cannot apply"), KIC leaves both out. One whose configuration KIC cannot
 * build is skipped before it is counted (when it comes first in KIC's list: the list order is not modelled).
 */
export function collidingGlobals(tr: Translator, plugin: K8sObject): K8sObject[] {
  const type = pluginType(plugin);
  if (!type || !isGlobalPlugin(plugin)) return [];
  const all = tr.view.lookup('globalPlugin', type).filter((p) => isGlobalPlugin(p) && tr.isManaged(p) && pluginConfig(tr, p) !== undefined);
  return all.length > 1 && all.some((p) => keyOf(p) === keyOf(plugin)) ? all.filter((p) => keyOf(p) !== keyOf(plugin)) : [];
}
