// Kubernetes objects -> Kong entities, the way KIC 3.x does it, one object (and its neighbours) at a time.
// A Translator is a memoising façade over one StateView: rules ask it for exactly the entities they judge,
// so the work per admission follows the change's neighbourhood, never the cluster's size.
// Over a RecordingView, a memoised value keeps the reads made to compute it and replays them on every hit,
// so each judgement that uses it records them too (state/reads.ts).
import { annotation, keyOf, label, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { CREDENTIAL_LABEL } from '../model/annotations.ts';
import { isRedacted } from '../model/secret.ts';
import {
  classAnnotation,
  consumerView,
  gatewayClassController,
  gatewayClassName,
  httpRouteView,
  ingressView,
  routeParentRefs,
  isDefaultIngressClass,
  isGlobalPlugin,
  pluginRefs,
  pluginType,
  referenceGrantView,
  type BackendRef,
  type ParentRef,
  type IngressBackend,
  type IngressPath,
  type PluginRef,
} from '../model/views.ts';
import { pluginCandidates } from '../model/dependencies.ts';
import { objectRead, RecordingView } from '../state/reads.ts';
import type { StateView } from '../state/view.ts';
import { olderFirst } from '../state/view.ts';
import { kicAtLeast, type TranslateConfig } from './config.ts';
import { argumentReads, type Memo } from './memo.ts';
import { hasRouteFilters, NO_FILTER_PLUGINS, translateHTTPRouteFilters, type FilterPlugins } from './httproute-filters.ts';
import type { KongPluginInstance, KongRoute, KongService, PluginScope } from './kong.ts';
import { translateGRPCRoute, translateL4Route, type RouteTranslation } from './gateway-routes.ts';
import { translateStreamIngress } from './stream-ingresses.ts';
import { acceptedHostnames, translateHTTPRouteRoutes } from './httproute-routes.ts';
import { assignPriorities, splitHTTPRoute } from './httproute-expressions.ts';
import { assignGRPCPriorities, splitGRPCRoute, translateGRPCRouteExpressions } from './grpcroute-expressions.ts';
import { applyRouteAnnotations, commaList, CONTROLLER_REGEX_PREFIX, ingressKongPaths, REGEX_PREFIX_ANNOTATION } from './route-fields.ts';
import { kicRouteId } from '../router/route-id.ts';
import { compactTranslation, EMPTY } from './compact.ts';
import { collidingGlobals, droppedServices, withoutDropped, type DroppedService } from './kic-drops.ts';
import { DEFAULT_BACKEND_EXPRESSION, ingressExpression, type IngressExpression } from './ingress-expressions.ts';
import { resolveClassParameters, type ClassParameters } from './class-parameters.ts';
import { customEntityView } from '../model/custom-entity.ts';
import { facadeKongService, facadeRouteName, pluginServiceScopes, usableFacade } from './service-facades.ts';
import { kicFindPort } from './upstream-targets.ts';

export type { RouteTranslation };

const NET = 'networking.k8s.io';
const GW = 'gateway.networking.k8s.io';
const KONG = 'configuration.konghq.com';

export interface ResolvedPlugin {
  ref: PluginRef;
  /** The KongPlugin or KongClusterPlugin the reference resolves to. */
  plugin?: K8sObject;
  /** Why it resolves to nothing. */
  problem?: 'missing' | 'not-granted';
}

const NONE: RouteTranslation = { services: [], routes: [] };

/** KIC runs the controllers of these kinds only with --feature-gates=GatewayAlpha=true (internal/manager/controllerdef.go). */
const ALPHA_ROUTE_KINDS: readonly string[] = ['TCPRoute', 'TLSRoute', 'UDPRoute'];

/** The kinds KIC builds Kong routes from, in the order its translator merges them (translator.go). */
export const ROUTE_KINDS = ['Ingress', 'TCPIngress', 'UDPIngress', 'HTTPRoute', 'UDPRoute', 'TCPRoute', 'TLSRoute', 'GRPCRoute'] as const;

/** The konghq.com/protocols list as ingressRouteProtocols reads it: trimmed entries, sorted; undefined when empty. */
function commaListSorted(value: string | undefined): string[] | undefined {
  const list = commaList(value).sort();
  return list.length ? list : undefined;
}

/** Route.Override for every route of the object (kongstate.go FillOverrides): its konghq.com/* annotations. */
function withAnnotations(obj: K8sObject, t: RouteTranslation, expressions = false): RouteTranslation {
  const annotations = obj.metadata.annotations ?? {};
  const routes = t.routes.map((r) => applyRouteAnnotations(r, annotations, expressions && r.expression !== undefined));
  compactTranslation(t.services, routes);
  return { services: t.services, routes };
}

/** An Ingress route as KIC builds it for Kong's expressions router: the matching moved into the expression. */
function asExpressionRoute(route: KongRoute, match: IngressExpression): KongRoute {
  const { regex_priority: _rp, ...rest } = route;
  return { ...rest, hosts: [], paths: [], methods: [], expression: match.expression, priority: match.priority };
}

/** A scope a plugin instance lands on (a Kong service, route, consumer or group id) and the object that puts it there. */
type ScopeRel = { id: string; by: ObjectRef };

export class Translator {
  private readonly memo: Memo;

  readonly view: StateView;
  readonly config: TranslateConfig;

  /** `memo`: where values are kept (translate/memo.ts); a fresh Map by default, for one translation of one state. */
  constructor(view: StateView, config: TranslateConfig, memo: Memo = new Map()) {
    this.view = view;
    this.config = config;
    this.memo = memo;
  }

  /**
   * The memoised value of `key`, computed once. A key is `name` or `name:<object key>[|<object key>...]`
   * naming the objects passed in (memo.ts argumentReads), never anything read from the view, and the value
   * is never mutated by anyone once returned. Over a RecordingView the entry keeps its reads, those of the
   * objects it names included, and the caller's recorder notes them (or the memo's link to them) on every use.
   */
  private cached<T>(key: string, compute: () => T): T {
    const view = this.view;
    const hit = this.memo.get(key);
    if (hit) {
      if (hit.reads && view instanceof RecordingView) view.replay(hit.reads);
      return hit.value as T;
    }
    if (view instanceof RecordingView) {
      const [value, reads] = view.record(() => {
        view.replay(argumentReads(key));
        return compute();
      });
      this.memo.set(key, { value, reads });
      view.replay(this.memo.get(key)?.reads ?? reads);
      return value;
    }
    const value = compute();
    this.memo.set(key, { value });
    return value;
  }

  /**
   * `value`, an answer that rests on `obj` alone and is not memoised (cheaper to recompute than to keep): the
   * caller's recorder notes the object, as cached() notes the objects a key names.
   */
  private fromObjectAlone<T>(obj: K8sObject, value: T): T {
    if (this.view instanceof RecordingView) this.view.replay([objectRead(keyOf(obj))]);
    return value;
  }

  // ---------------------------------------------------------------- classes

  /** KIC translates class-less objects too when its IngressClass is the cluster default (ExactOrEmpty). */
  ourClassIsDefault(): boolean {
    return this.cached('default-class', () => {
      const cls = this.view.get(refKey({ group: NET, kind: 'IngressClass', name: this.config.ingressClass }));
      return cls !== undefined && isDefaultIngressClass(cls);
    });
  }

  private classMatches(value: string | undefined): boolean {
    return value === undefined ? this.ourClassIsDefault() : value === this.config.ingressClass;
  }

  /** The IngressClassParameters of KIC's IngressClass, which apply to every Ingress path and every upstream. */
  classParameters(): ClassParameters {
    return this.cached('class-parameters', () => resolveClassParameters(this.view, this.config.ingressClass));
  }

  /** The parent Gateways of a Gateway API route that exist and belong to our GatewayClass. */
  ourGateways(route: K8sObject): K8sObject[] {
    return this.cached(`gateways:${keyOf(route)}`, () =>
      routeParentRefs(route).flatMap((p) => {
        if (p.group !== GW || p.kind !== 'Gateway') return [];
        const gateway = this.view.get(refKey({ group: GW, kind: 'Gateway', namespace: p.namespace, name: p.name }));
        return gateway && this.isManaged(gateway) ? [gateway] : [];
      }),
    );
  }

  /** Whether KIC reads this kind at all: TCPRoute, TLSRoute and UDPRoute only with the GatewayAlpha feature gate. */
  readsKind(kind: string): boolean {
    return this.config.gatewayAlpha || !ALPHA_ROUTE_KINDS.includes(kind);
  }

  /** Whether KIC would translate this object at all (class and controller filters). */
  isManaged(obj: K8sObject): boolean {
    switch (obj.kind) {
      case 'Ingress':
        return this.classMatches(ingressView(obj).className);
      case 'KongConsumer':
      case 'KongConsumerGroup':
      case 'KongClusterPlugin':
        return this.classMatches(classAnnotation(obj));
      case 'Gateway': {
        const name = gatewayClassName(obj);
        const cls = name ? this.view.get(refKey({ group: GW, kind: 'GatewayClass', name })) : undefined;
        return cls !== undefined && gatewayClassController(cls) === this.config.gatewayControllerName;
      }
      case 'HTTPRoute':
      case 'GRPCRoute':
        return this.ourGateways(obj).length > 0;
      case 'TCPRoute':
      case 'TLSRoute':
      case 'UDPRoute':
        return this.readsKind(obj.kind) && this.ourGateways(obj).length > 0;
      case 'KongServiceFacade':
        // Its controller runs only with the feature gate, and filters by the class annotation (zz_generated.controllers.go).
        return this.config.kongServiceFacade && this.classMatches(classAnnotation(obj));
      case 'KongCustomEntity':
        // ListKongCustomEntities: spec.controllerName is matched as the class annotation is.
        return this.classMatches(customEntityView(obj).controllerName);
      case 'TCPIngress':
      case 'UDPIngress':
      case 'KongVault':
        // MatchesIngressClass: the kubernetes.io/ingress.class annotation, or none when our class is the default.
        return this.classMatches(classAnnotation(obj));
      case 'Service':
        // KIC only translates a Service that backs a Kong service of a managed route-like object.
        return this.kongServicesBackedBy(obj).length > 0;
      default:
        return true;
    }
  }

  // ---------------------------------------------------------------- plugins

  /** A ReferenceGrant in the target namespace lets `from` reference the object (a KongPlugin, a Service) of that group, kind and name. */
  private granted(from: K8sObject, namespace: string, to: { group: string; kind: string }, name: string): boolean {
    const fromGroup = refOf(from).group;
    for (const grant of this.view.lookup('referenceGrants', namespace)) {
      const g = referenceGrantView(grant);
      const fromOk = g.from.some((f) => f.group === fromGroup && f.kind === from.kind && f.namespace === from.metadata.namespace);
      const toOk = g.to.some((t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === name));
      if (fromOk && toOk) return true;
    }
    return false;
  }

  /** getKongPluginOrKongClusterPlugin: the namespaced KongPlugin wins over a KongClusterPlugin. */
  resolve(referrer: K8sObject, ref: PluginRef): ResolvedPlugin {
    if (ref.remote && !this.granted(referrer, ref.namespace, { group: KONG, kind: 'KongPlugin' }, ref.name)) return { ref, problem: 'not-granted' };
    const [local, cluster] = pluginCandidates(ref).map((r) => this.view.get(refKey(r)));
    if (local) return { ref, plugin: local };
    if (cluster && this.isManaged(cluster)) return { ref, plugin: cluster };
    return { ref, problem: 'missing' };
  }

  pluginsOf(referrer: K8sObject): ResolvedPlugin[] {
    // Most objects name no plugin: that answer rests on the object alone, and a memo entry for it cost ten times
    // the empty list (at 50k objects, 19k of the memo's 98k entries).
    if (!pluginRefs(referrer).length) return this.fromObjectAlone(referrer, EMPTY as never[]);
    return this.cached(`plugins:${keyOf(referrer)}`, () => pluginRefs(referrer).map((ref) => this.resolve(referrer, ref)));
  }

  /** Referrers whose annotation resolves to this very plugin object. */
  referrersOf(plugin: K8sObject): K8sObject[] {
    const key = keyOf(plugin);
    return this.cached(`referrers:${key}`, () =>
      this.view.lookup('dependants', key).filter((r) => this.pluginsOf(r).some((p) => p.plugin !== undefined && keyOf(p.plugin) === key)),
    );
  }

  /**
   * The credential type KIC reads from a Secret (util/credential.go, ExtractKongCredentialType): the konghq.com/credential
   * label; before KIC 3.2 also the legacy kongCredType field, which 3.2 and later ignore.
   */
  credentialType(secret: K8sObject): string | undefined {
    if (!isRedacted(secret)) return undefined;
    const fromLabel = label(secret, CREDENTIAL_LABEL);
    if (fromLabel !== undefined) return fromLabel || undefined;
    return kicAtLeast(this.config, '3.2') ? undefined : secret.facts.fields.kongCredType?.clear || undefined;
  }

  /** The managed KongConsumers that list this Secret as a credential. */
  consumersListing(secret: K8sObject): K8sObject[] {
    return this.view
      .lookup('dependants', keyOf(secret))
      .filter((c) => c.kind === 'KongConsumer' && c.metadata.namespace === secret.metadata.namespace && this.isManaged(c) && consumerView(c).credentials.includes(secret.metadata.name));
  }

  consumerId(consumer: K8sObject): string {
    const v = consumerView(consumer);
    return v.username ?? v.customId ?? `${consumer.metadata.namespace}/${consumer.metadata.name}`;
  }

  /**
   * Plugin instances, following KIC's getPluginRelations + GetCombinations exactly: a plugin referenced by
   * consumers exists only per consumer (x route, x service when those reference it too); otherwise per
   * consumer group likewise; otherwise once per service and once per route. Global KongClusterPlugins
   * exist once, unscoped.
   */
  instances(plugin: K8sObject): KongPluginInstance[] {
    return this.cached(`instances:${keyOf(plugin)}`, () => {
      if (plugin.kind === 'KongClusterPlugin' && !this.isManaged(plugin)) return [];
      const emit = this.instanceEmitter(plugin);
      if (isGlobalPlugin(plugin) && !collidingGlobals(this, plugin).length) emit.push({}, []);
      const services: ScopeRel[] = [];
      const routes: ScopeRel[] = [];
      for (const referrer of this.referrersOf(plugin)) {
        if (referrer.kind === 'KongConsumer' || referrer.kind === 'KongConsumerGroup' || !this.isManaged(referrer)) continue;
        const own = this.ownScopes(referrer);
        (own.field === 'service' ? services : routes).push(...own.rels);
      }
      const { field, principals } = this.principalsOf(plugin);
      if (principals.length) {
        if (services.length + routes.length > 0) {
          for (const s of services) for (const p of principals) emit.push({ service: s.id, [field]: p.id }, [s.by, p.by]);
          for (const r of routes) for (const p of principals) emit.push({ route: r.id, [field]: p.id }, [r.by, p.by]);
        } else {
          for (const p of principals) emit.push({ [field]: p.id }, [p.by]);
        }
      } else {
        for (const s of services) emit.push({ service: s.id }, [s.by]);
        for (const r of routes) emit.push({ route: r.id }, [r.by]);
      }
      return emit.out.length ? emit.out : (EMPTY as never[]);
    });
  }

  /**
   * The instances of `plugin` on the scopes `owner` (a route-like object or a Service referencing it) owns: what
   * instances(plugin) holds for them, without translating the plugin's other referrers. Only the consumers and
   * consumer groups that also reference the plugin change them (GetCombinations scopes it to consumer x route then).
   */
  instancesOn(plugin: K8sObject, owner: K8sObject): KongPluginInstance[] {
    return this.cached(`instancesOn:${keyOf(plugin)}|${keyOf(owner)}`, () => {
      if ((plugin.kind === 'KongClusterPlugin' && !this.isManaged(plugin)) || !this.isManaged(owner)) return [];
      const emit = this.instanceEmitter(plugin);
      const own = this.ownScopes(owner);
      const { field, principals } = this.principalsOf(plugin);
      for (const r of own.rels) {
        if (principals.length) for (const p of principals) emit.push({ [own.field]: r.id, [field]: p.id }, [r.by, p.by]);
        else emit.push({ [own.field]: r.id }, [r.by]);
      }
      return emit.out.length ? emit.out : (EMPTY as never[]);
    });
  }

  /** The managed KongConsumers referencing a plugin, or else its managed KongConsumerGroups (KIC's GetCombinations). */
  principalsOf(plugin: K8sObject): { field: 'consumer' | 'consumerGroup'; principals: ScopeRel[] } {
    return this.cached(`principals:${keyOf(plugin)}`, () => {
      const consumers: ScopeRel[] = [];
      const groups: ScopeRel[] = [];
      for (const referrer of this.referrersOf(plugin)) {
        if (referrer.kind === 'KongConsumer' && this.isManaged(referrer)) consumers.push({ id: this.consumerId(referrer), by: refOf(referrer) });
        if (referrer.kind === 'KongConsumerGroup' && this.isManaged(referrer)) groups.push({ id: referrer.metadata.name, by: refOf(referrer) });
      }
      return consumers.length ? { field: 'consumer', principals: consumers } : { field: 'consumerGroup', principals: groups };
    });
  }

  /** The Kong scopes a referrer owns: a Service's Kong services, else the routes KIC builds from the object. */
  private ownScopes(referrer: K8sObject): { field: 'service' | 'route'; rels: ScopeRel[] } {
    const by = refOf(referrer);
    // Every route-like kind: KIC reads konghq.com/plugins off the object behind each route (getPluginRelations).
    return referrer.kind === 'Service' || referrer.kind === 'KongServiceFacade'
      ? { field: 'service', rels: pluginServiceScopes(this, referrer).map((s) => ({ id: s.name, by })) }
      : { field: 'route', rels: this.routesOf(referrer).map((r) => ({ id: r.name, by })) };
  }

  private instanceEmitter(plugin: K8sObject) {
    const name = pluginType(plugin) ?? '';
    const pluginRef = refOf(plugin);
    const out: KongPluginInstance[] = [];
    // The instances placed by the same objects (one per Kong route of a referrer) share their lists, frozen:
    // the live memo keeps tens of thousands of instances, and memoised values are never mutated.
    const lists = new Map<string, { placedBy: ObjectRef[]; sources: ObjectRef[] }>();
    const push = (scope: PluginScope, placedBy: ObjectRef[]) => {
      const key = placedBy.map(refKey).join('|');
      let shared = lists.get(key);
      if (!shared) {
        shared = { placedBy: Object.freeze(placedBy) as ObjectRef[], sources: Object.freeze([pluginRef, ...placedBy]) as ObjectRef[] };
        lists.set(key, shared);
      }
      out.push({ name, plugin: pluginRef, scope, placedBy: shared.placedBy, sources: shared.sources });
    };
    return { out, push };
  }

  // ---------------------------------------------------------------- routes and services

  /** The Kong services and routes KIC builds from a route-like object (NONE for other kinds and unmanaged objects). */
  translation(obj: K8sObject): RouteTranslation {
    switch (obj.kind) {
      case 'Ingress':
      case 'HTTPRoute':
        // Not memoised: the translation itself when nothing is dropped (almost always), and two memoised values otherwise.
        return withoutDropped(obj.kind === 'Ingress' ? this.ingress(obj) : this.httpRoute(obj), this.droppedServices(obj));
      case 'GRPCRoute':
        return this.config.kongRouterFlavor === 'expressions'
          ? this.managedOnly(obj, () => translateGRPCRouteExpressions(this.view, obj, this.grpcRouteExpressionPriorities(), this.permittedBackends(obj)), true)
          : this.managedOnly(obj, () => translateGRPCRoute(this.view, obj, this.permittedBackends(obj)));
      case 'TCPRoute':
      case 'TLSRoute':
      case 'UDPRoute':
        return this.managedOnly(obj, () => translateL4Route(this.view, obj, this.permittedBackends(obj)));
      case 'TCPIngress':
      case 'UDPIngress':
        return this.managedOnly(obj, () => translateStreamIngress(obj));
      default:
        return NONE;
    }
  }

  /** The Kong services KIC builds from this Ingress or HTTPRoute and then drops, with why (kic-drops.ts). */
  droppedServices(obj: K8sObject): DroppedService[] {
    if (obj.kind !== 'Ingress' && obj.kind !== 'HTTPRoute') return [];
    return this.cached(`dropped:${keyOf(obj)}`, () => droppedServices(this, obj, obj.kind === 'Ingress' ? this.ingress(obj) : this.httpRoute(obj)));
  }

  /**
   * Whether KIC keeps this backendRef of a Gateway API route (backendRefsToKongStateBackends): one in another namespace only
   * with a ReferenceGrant there from the route's kind and namespace to that Service.
   */
  permitsBackend(route: K8sObject, b: BackendRef): boolean {
    return b.namespace === route.metadata.namespace || this.granted(route, b.namespace, { group: b.group, kind: b.kind }, b.name);
  }

  private permittedBackends(route: K8sObject): (b: BackendRef) => boolean {
    return (b) => this.permitsBackend(route, b);
  }

  private managedOnly(obj: K8sObject, translate: () => RouteTranslation, expressions = false): RouteTranslation {
    return this.cached(`route:${keyOf(obj)}`, () => (this.isManaged(obj) ? withAnnotations(obj, translate(), expressions) : NONE));
  }

  /** KIC ranks the expression routes of all GRPCRoutes together (grpcroute-expressions.ts). */
  private grpcRouteExpressionPriorities(): Map<string, number> {
    return this.cached('grpcroute-expression-priorities', () => assignGRPCPriorities([...this.view.list('GRPCRoute')].filter((o) => this.isManaged(o)).flatMap(splitGRPCRoute)));
  }

  routesOf(obj: K8sObject): KongRoute[] {
    return this.translation(obj).routes;
  }

  servicesOf(obj: K8sObject): KongService[] {
    return this.translation(obj).services;
  }

  /** Kong services whose backends include this Kubernetes Service (from managed route-like objects). */
  kongServicesBackedBy(service: K8sObject): KongService[] {
    const key = keyOf(service);
    return this.cached(`backed:${key}`, () => {
      const found = new Map<string, KongService>();
      for (const referrer of this.view.lookup('dependants', key)) {
        // An Ingress reaches a Service through a KongServiceFacade too: the facade's referrers build that Kong service.
        for (const builder of referrer.kind === 'KongServiceFacade' ? this.view.lookup('dependants', keyOf(referrer)) : [referrer]) {
          for (const s of this.servicesOf(builder)) {
            if (s.backends.some((b) => refKey(b.service) === key)) found.set(s.name, s);
          }
        }
      }
      return [...found.values()];
    });
  }

  /** The Ingress whose `spec.defaultBackend` KIC uses: the oldest managed one, cluster-wide. */
  defaultBackendHolder(): K8sObject | undefined {
    return this.cached('default-backend', () => {
      const holders = this.view.lookup('defaultBackend', '*').filter((i) => this.isManaged(i));
      return holders.sort(olderFirst(this.view, keyOf))[0];
    });
  }

  private ingressService(namespace: string, backend: IngressBackend, source: ObjectRef): KongService | undefined {
    if (!backend.serviceName) return undefined;
    const port = backend.portNumber ?? backend.portName;
    const portText = port === undefined ? 'implicitPort' : String(port);
    const service: ObjectRef = { group: '', kind: 'Service', namespace, name: backend.serviceName };
    const kongBackend = port === undefined ? { service, weight: 1 } : { service, port, weight: 1 };
    return {
      name: `${namespace}.${backend.serviceName}.${portText}`,
      host: `${backend.serviceName}.${namespace}.${portText}.svc`,
      backends: [kongBackend],
      sources: [source],
    };
  }

  /**
   * subtranslator/ingress.go: one Kong route per (Ingress, rule host, backend Service, port), named
   * `<ns>.<ingress>.<service>.<host with * as _>.<port>` (`..` when the rule has no host), its paths those of every
   * path entry in order; translate_ingress.go `translateIngressDefaultBackendRoute` for the defaultBackend.
   */
  ingress(obj: K8sObject): RouteTranslation {
    return this.cached(`ingress:${keyOf(obj)}`, () => {
      if (!this.isManaged(obj)) return NONE;
      const ns = obj.metadata.namespace ?? '';
      const source = refOf(obj);
      const view = ingressView(obj);
      const regexPrefix = annotation(obj, REGEX_PREFIX_ANNOTATION) ?? CONTROLLER_REGEX_PREFIX;
      const expressions = this.config.kongRouterFlavor === 'expressions';
      // Only traditional routes take the legacy heuristic (ingressTranslationMeta.translateIntoKongRoute).
      const legacyRegex = !expressions && this.classParameters().spec.enableLegacyRegexDetection;
      // ingressRouteProtocols: the konghq.com/protocols list sorted, before the annotation overrides.
      const protocols = commaListSorted(annotation(obj, 'konghq.com/protocols'));
      const services = new Map<string, KongService>();
      const routes = new Map<string, KongRoute>();
      const base = (name: string, service: string, field: string): KongRoute => ({
        id: kicRouteId(name),
        name,
        service,
        hosts: [],
        paths: [],
        methods: [],
        strip_path: false,
        preserve_host: true,
        regex_priority: 0,
        request_buffering: true,
        response_buffering: true,
        field,
        sources: [source],
      });
      const pathsOf = new Map<string, IngressPath[]>();
      for (const p of view.paths) {
        const facade = usableFacade(this, ns, p.backend);
        const service = facade ? facadeKongService(facade, source) : this.ingressService(ns, p.backend, source);
        if (!service) continue;
        services.set(service.name, service);
        const port = p.backend.portNumber ?? p.backend.portName ?? 'implicitPort';
        const name = facade ? facadeRouteName(ns, obj.metadata.name, p.host, facade.metadata.name) : `${ns}.${obj.metadata.name}.${p.backend.serviceName}.${p.host.replaceAll('*', '_')}.${port}`;
        let route = routes.get(name);
        if (!route) {
          route = { ...base(name, service.name, p.field), ...(protocols ? { protocols } : {}) };
          if (p.host) route.hosts = [p.host];
          routes.set(name, route);
        }
        route.paths.push(...ingressKongPaths(p.pathType, p.path, regexPrefix, legacyRegex));
        pathsOf.set(name, [...(pathsOf.get(name) ?? []), p]);
      }
      if (view.defaultBackend && this.defaultBackendHolder() === obj) {
        const facade = usableFacade(this, ns, view.defaultBackend);
        const service = facade ? facadeKongService(facade, source) : this.ingressService(ns, view.defaultBackend, source);
        if (service) {
          services.set(service.name, service);
          const name = `${ns}.${obj.metadata.name}`;
          routes.set(name, { ...base(name, service.name, 'spec.defaultBackend'), paths: ['/'] });
        }
      }
      const built = [...routes.values()].map((r) => {
        if (!expressions) return r;
        const paths = pathsOf.get(r.name);
        return asExpressionRoute(r, paths ? ingressExpression(r.hosts[0] ?? '', paths, obj.metadata.annotations ?? {}) : DEFAULT_BACKEND_EXPRESSION);
      });
      return withAnnotations(obj, { services: [...services.values()], routes: built }, expressions);
    });
  }

  /** The parent Gateways of a Gateway API route that are ours, each with the parentRef naming it (its sectionName). */
  private ourParents(obj: K8sObject): { ref: ParentRef; gateway: K8sObject }[] {
    const ours = this.ourGateways(obj);
    return routeParentRefs(obj).flatMap((ref) => {
      const gateway = ours.find((g) => g.metadata.namespace === ref.namespace && g.metadata.name === ref.name);
      return gateway && ref.group === GW && ref.kind === 'Gateway' ? [{ ref, gateway }] : [];
    });
  }

  httpRoute(obj: K8sObject): RouteTranslation {
    return this.cached(`httproute:${keyOf(obj)}`, () => {
      if (!this.isManaged(obj)) return NONE;
      const expressions = this.config.kongRouterFlavor === 'expressions';
      const priorities = expressions ? this.httpRouteExpressionPriorities() : undefined;
      return withAnnotations(obj, translateHTTPRouteRoutes(this.view, obj, this.ourParents(obj), this.permittedBackends(obj), priorities), expressions);
    });
  }

  /** KIC ranks the expression routes of all HTTPRoutes together (ties by age, namespace, name, rule, match). */
  private httpRouteExpressionPriorities(): Map<string, number> {
    return this.cached('httproute-expression-priorities', () =>
      assignPriorities(
        [...this.view.list('HTTPRoute')].flatMap((o) => {
          if (!this.isManaged(o) || !httpRouteView(o).rules.length) return [];
          const hosts = acceptedHostnames(o, this.ourParents(o));
          return hosts ? splitHTTPRoute(o, hosts) : [];
        }),
      ),
    );
  }

  /** The plugins KIC generates from an HTTPRoute's filters, nested in its Kong routes (httproute-filters.ts). */
  httpRouteFilterPlugins(obj: K8sObject): FilterPlugins {
    // Most HTTPRoutes have no filters: nothing to generate, from the object alone.
    if (!hasRouteFilters(obj)) return this.fromObjectAlone(obj, NO_FILTER_PLUGINS);
    return this.cached(`filters:${keyOf(obj)}`, () => translateHTTPRouteFilters(this, obj));
  }

  /** The port of a Service a backend names, or undefined when KIC finds none (upstream-targets.ts kicFindPort). */
  servicePort(service: K8sObject, port: number | string | undefined): number | undefined {
    return kicFindPort(service, port)?.port;
  }
}

