// Which Kong route serves a request, and what Kong does with it next, from a state translated the way KIC does it:
// the translator's routes (with KIC's names and IDs) go to the router (src/router), and the winner is followed to
// its Kong service, upstream targets and the plugins that run, to the answer Kong gives. When nothing matches:
// the nearest routes with the predicate each fails, and the objects that give no route at all, and why.
// Pure over a StateView; the CLI and the diagnostics endpoint only load the state and print.
import { asArray, describe, isRecord, ownValue, refKey, refOf, setOwn, type K8sObject, type ObjectRef } from '../model/object.ts';
import { gatewayClassController, gatewayClassName, gatewayRouteView, httpRouteView, ingressView, routeParentRefs } from '../model/views.ts';
import type { PriorityModel } from '../router/priority.ts';
import { parseExpression, requiredHosts } from '../router/expression.ts';
import { resolve, type Candidate, type Resolution } from '../router/resolve.ts';
import { pathStart, type RouterFlavor, type RouterRoute } from '../router/route.ts';
import { normaliseRequest, splitHostPort, type RequestInput } from '../router/request.ts';
import { certificatesOf } from '../translate/kong-config.ts';
import type { KongCertificate, KongRoute, KongService, KongServiceBackend, KongTarget } from '../translate/kong.ts';
import { ROUTE_KINDS, type Translator } from '../translate/translator.ts';
import { kicFindPort, upstreamTargets } from '../translate/upstream-targets.ts';
import { pluginsOnRoute, type PluginRun } from './plugins.ts';

export interface TraceRequest {
  /** `http://host[:port]/path?query` or `https://…` */
  url: string;
  method?: string;
  /** Header name -> values as sent. */
  headers?: Record<string, string[]>;
  /** TLS SNI; default for https: the URL's host name (not a Host header's). */
  sni?: string;
}

/** Kong's status code, or proxied (the upstream answers), or undetermined (Kong's route order is not fixed). */
export type TraceStatus = 'proxied' | 'undetermined' | number;

export interface TraceOutcome {
  status: TraceStatus;
  /** Kong's answer in its own words (the response body's message, or the redirect). */
  message: string;
  /** Why, naming the entity or object responsible. */
  reason: string;
}

export interface UnroutedObject {
  object: ObjectRef;
  reason: string;
}

export interface Trace {
  flavor: RouterFlavor;
  /** The priority model the answer follows: Kong's real one (`computed`, the default) or the documented layout. */
  priorityModel: PriorityModel;
  resolution: Resolution<KongRoute>;
  /**
   * When the other priority model picks another route (or none, or an undetermined set): what it picks. The two
   * differ because Kong 3.x computes traditional_compatible priorities with 32-bit shifts (Kong/kong#14457).
   */
  otherModel?: { model: PriorityModel; winner: Candidate<KongRoute> | undefined; possibleWinners: readonly Candidate<KongRoute>[] };
  service?: KongService;
  upstream?: { name: string; targets: KongTarget[] };
  plugins: PluginRun[];
  outcome: TraceOutcome;
  /** The Ingress whose defaultBackend caught the request (KIC's fallback service), when it did. */
  defaultBackend?: ObjectRef;
  /** Objects that could have served this host but give Kong no route. */
  unrouted: UnroutedObject[];
  /** For https: the certificate Kong presents for the SNI; none means Kong's default certificate. */
  tls?: { sni: string | null; certificate?: KongCertificate };
}

/**
 * The certificate Kong picks for an SNI (kong/runloop/certificate.lua `find_certificate`): the exact name, then
 * `*.` + the name without its first label, then the name with its last label as `*`; otherwise (and without SNI)
 * Kong's own default certificate. The handshake goes on either way and routing then follows the Host header.
 */
export function certificateFor(bySni: ReadonlyMap<string, KongCertificate>, sni: string | undefined): KongCertificate | undefined {
  if (!sni) return undefined;
  const labels = sni.split('.');
  const candidates = [sni, ...(labels.length >= 3 ? [`*.${labels.slice(1).join('.')}`] : []), [...labels.slice(0, -1), '*'].join('.')];
  for (const name of candidates) {
    const found = bySni.get(name);
    if (found) return found;
  }
  return undefined;
}

/** SNI -> the first certificate of the list that names it. */
function certificatesBySni(certificates: readonly KongCertificate[]): Map<string, KongCertificate> {
  const out = new Map<string, KongCertificate>();
  for (const c of certificates) for (const sni of c.snis) if (!out.has(sni)) out.set(sni, c);
  return out;
}

/** A translator's certificates by SNI, built once (building Kong's certificates reads every TLS Secret). */
const certificateIndexes = new WeakMap<Translator, Map<string, KongCertificate>>();

function tlsOf(tr: Translator, sni: string | undefined): Trace['tls'] {
  let bySni = certificateIndexes.get(tr);
  if (!bySni) {
    bySni = certificatesBySni(certificatesOf(tr, tr.view));
    certificateIndexes.set(tr, bySni);
  }
  const certificate = certificateFor(bySni, sni);
  return { sni: sni ?? null, ...(certificate ? { certificate } : {}) };
}

/** Routes of Kong's HTTP router: stream routes (tcp, tls, udp) live in another subsystem. */
export function isHttpRoute(r: KongRoute): boolean {
  return !r.protocols?.length || r.protocols.some((p) => ['http', 'https', 'grpc', 'grpcs', 'ws', 'wss'].includes(p));
}

/** One router route per translated route object, so the router's per-route caches (split parts, priorities) hold. */
const asRouterRoute = new WeakMap<KongRoute, RouterRoute<KongRoute>>();

export function routerRoute(r: KongRoute): RouterRoute<KongRoute> {
  let found = asRouterRoute.get(r);
  if (!found) {
    found = toRouterRoute(r);
    asRouterRoute.set(r, found);
  }
  return found;
}

function toRouterRoute(r: KongRoute): RouterRoute<KongRoute> {
  return {
    id: r.id,
    name: r.name,
    // KIC leaves an empty list unset (nil), and Kong's priority tells an absent field from an empty one.
    ...(r.hosts.length ? { hosts: r.hosts } : {}),
    ...(r.paths.length ? { paths: r.paths } : {}),
    ...(r.methods.length ? { methods: r.methods } : {}),
    ...(r.headers ? { headers: r.headers } : {}),
    ...(r.snis ? { snis: r.snis } : {}),
    ...(r.protocols ? { protocols: r.protocols } : {}),
    ...(r.regex_priority !== undefined ? { regexPriority: r.regex_priority } : {}),
    ...(r.strip_path !== undefined ? { stripPath: r.strip_path } : {}),
    ...(r.https_redirect_status_code !== undefined ? { httpsRedirectStatusCode: r.https_redirect_status_code } : {}),
    ...(r.expression !== undefined ? { expression: r.expression, priority: r.priority ?? 0 } : {}),
    provenance: r,
  };
}

export class TraceInputError extends Error {}

function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(hostname);
}

/** `Name: value` lines (curl's -H) as header name -> values; a line without a name before `:` is an input error. */
export function headerLines(lines: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new TraceInputError(`a header is 'Name: value', not "${line}"`);
    const name = line.slice(0, colon).trim();
    setOwn(out, name, [...(ownValue(out, name) ?? []), line.slice(colon + 1).trim()]);
  }
  return out;
}

/** The URL, method, headers and SNI as the router takes them. */
export function requestInput(req: TraceRequest): RequestInput {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new TraceInputError(`"${req.url}" is not a URL (give http://HOST/PATH or https://HOST/PATH)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TraceInputError(`"${req.url}": only http and https requests reach Kong's HTTP router`);
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const headers: Record<string, string[]> = {};
  // The host as written (WHATWG URL lower-cases it; a client sends it as typed and Kong compares it as sent),
  // with the port only when it is not the scheme's default, as URL.host has it.
  const authority = (/^[a-z]+:\/\/([^/?#]*)/i.exec(req.url)?.[1] ?? url.host).replace(/^.*@/, '');
  let host = url.port ? authority : authority.replace(/:\d*$/, '');
  for (const [name, values] of Object.entries(req.headers ?? {})) {
    if (name.toLowerCase() === 'host') host = values[0] ?? host; // an explicit Host header wins over the URL's
    else setOwn(headers, name, [...(ownValue(headers, name) ?? []), ...values]);
  }
  // The path as written (WHATWG URL parsing would already resolve dot segments, which Kong does itself).
  const rawTarget = /^[a-z]+:\/\/[^/?#]*([^#]*)/i.exec(req.url)?.[1] || '/';
  return {
    scheme,
    method: req.method ?? 'GET',
    host,
    path: rawTarget.startsWith('/') ? rawTarget : `/${rawTarget}`,
    headers,
    // A client sends the URL's host name as SNI, whatever Host header it is told to send; none for an IP address (RFC 6066).
    ...(req.sni !== undefined ? { sni: req.sni } : scheme === 'https' ? { sni: isIpLiteral(url.hostname) ? null : url.hostname } : {}),
  };
}

export function allRoutes(tr: Translator): KongRoute[] {
  return ROUTE_KINDS.flatMap((kind) => [...tr.view.list(kind)].flatMap((obj) => tr.routesOf(obj))).filter(isHttpRoute);
}

type Routes = RouterRoute<KongRoute>[];

interface RouteIndex {
  all: Routes;
  /** Routes that can only match exact Hosts (any port), by each host as written (exactHosts). */
  byHost: Map<string, Routes>;
  /** The same routes by lower-cased host: a request host that differs only in case finds them for the nearest misses. */
  byLowerHost: Map<string, Routes>;
  /** Wildcard and host-less routes, and expression routes that require no exact Host: they may match any Host. */
  anyHost: Routes;
  /** The routes of byHost by the literal start of each path (pathStart), '' for none: candidates for the nearest misses. */
  byPathStart: Map<string, Routes>;
}

const routeIndexes = new WeakMap<Translator, RouteIndex>();

function push<K>(map: Map<K, Routes>, key: K, r: RouterRoute<KongRoute>): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

/**
 * The only Hosts (without port) a route can match, when there are such: its hosts when none is a wildcard; for an
 * expression route, the `http.host == "…"` it requires (KIC writes one for a route with exact hosts).
 */
function exactHosts(r: RouterRoute<KongRoute>): Set<string> | undefined {
  if (r.expression !== undefined) {
    try {
      const hosts = requiredHosts(parseExpression(r.expression));
      return hosts && new Set(hosts);
    } catch {
      return undefined; // the router reports what it cannot parse
    }
  }
  if (!r.hosts?.length || r.hosts.some((h) => h.includes('*'))) return undefined;
  return new Set(r.hosts.map((h) => splitHostPort(h).host));
}

function routeIndex(tr: Translator): RouteIndex {
  let index = routeIndexes.get(tr);
  if (!index) {
    index = { all: allRoutes(tr).map(routerRoute), byHost: new Map(), byLowerHost: new Map(), anyHost: [], byPathStart: new Map() };
    for (const r of index.all) {
      const hosts = exactHosts(r);
      if (!hosts) {
        index.anyHost.push(r);
        continue;
      }
      for (const host of hosts) push(index.byHost, host, r);
      for (const host of new Set([...hosts].map((h) => h.toLowerCase()))) push(index.byLowerHost, host, r);
      for (const start of new Set((r.paths?.length ? r.paths : ['']).map(pathStart))) push(index.byPathStart, start, r);
    }
    routeIndexes.set(tr, index);
  }
  return index;
}

/** Routes of other hosts looked at for the nearest misses of a 404, at most. */
const OTHER_HOST_CANDIDATES = 50;

/**
 * The routes a 404 is explained with (its nearest misses), found through the indexes instead of trying every route
 * of the state (which cost up to a second at 50k objects): the routes that can match the Host (exact, wildcard,
 * host-less, expression), those whose host differs only in case, and up to OTHER_HOST_CANDIDATES routes of other hosts
 * whose path can match, those with the longest path start first and, within one, in the state's order (putting a bucket
 * of tens of thousands of `/` routes in Kong's order would cost more than the rest of the trace). The list is then
 * ranked as before (most predicate groups holding, then Kong's order). Before, every route was a candidate: an unknown
 * host listed whichever routes of unrelated hosts had the highest priority, even routes whose path fails too; now
 * it is about this host (its routes, a case slip) and this path (other hosts serving it: is the Host right?).
 */
function nearMissCandidates(index: RouteIndex, host: string | undefined, path: string, tried: Routes): Routes {
  const out = new Set(tried);
  if (host !== undefined) for (const r of index.byLowerHost.get(host.toLowerCase()) ?? []) out.add(r);
  let others = 0;
  for (let end = path.length; end >= 0 && others < OTHER_HOST_CANDIDATES; end--) {
    const bucket = index.byPathStart.get(path.slice(0, end));
    if (!bucket) continue;
    for (const r of bucket) {
      if (others >= OTHER_HOST_CANDIDATES) break;
      if (!out.has(r)) {
        out.add(r);
        others++;
      }
    }
  }
  return [...out];
}

/**
 * Resolves against the routes that can match the request's Host (exact host, wildcard or none): no other route can
 * match, so the winner and the routes it beats are the same. A 404 is resolved again with the near-miss candidates
 * (nearMissCandidates), which only adds routes that fail the host, for its explanation.
 */
function resolveIndexed(tr: Translator, input: RequestInput, flavor: RouterFlavor, model: PriorityModel): Resolution<KongRoute> {
  const index = routeIndex(tr);
  const request = normaliseRequest(input);
  const host = request.host;
  const tried = host === undefined ? index.anyHost : [...(index.byHost.get(host) ?? []), ...index.anyHost];
  const narrowed = resolve(tried, input, flavor, model);
  if (narrowed.winner || narrowed.possibleWinners.length) return narrowed;
  const candidates = nearMissCandidates(index, host, request.path, tried);
  return candidates.length === tried.length ? narrowed : resolve(candidates, input, flavor, model);
}

/** trace models traditional_compatible and expressions; Kong's traditional router is judged as its compatible twin. */
export function routerFlavorOf(tr: Translator): RouterFlavor {
  return tr.config.kongRouterFlavor === 'expressions' ? 'expressions' : 'traditional_compatible';
}

/** The routes' parts Kong's router would try first, as a comparable set of part IDs. */
function topIds(r: Resolution<KongRoute>): string {
  return (r.winner ? [r.winner] : r.possibleWinners).map((c) => c.part.id).sort().join(',');
}

export function traceRequest(tr: Translator, req: TraceRequest, priorityModel: PriorityModel = 'computed'): Trace {
  const flavor = routerFlavorOf(tr);
  const input = requestInput(req);
  const resolution = resolveIndexed(tr, input, flavor, priorityModel);
  const otherModelName: PriorityModel = priorityModel === 'computed' ? 'documented' : 'computed';
  // KIC's expression routes carry their own priority: the models differ only for traditional routes.
  // Only the routes that matched can win under the other model: re-resolve those few, not the whole state.
  const matched = [...new Set([resolution.winner, ...resolution.possibleWinners, ...resolution.shadowed.map((l) => l.candidate)].flatMap((c) => (c ? [c.part.route] : [])))];
  const other = flavor === 'expressions' ? resolution : resolve(matched, input, flavor, otherModelName);
  const otherModel = topIds(other) === topIds(resolution) ? {} : { otherModel: { model: otherModelName, winner: other.winner, possibleWinners: other.possibleWinners } };
  const unrouted = unroutedObjects(tr, resolution.request.host);
  const tls = resolution.request.scheme === 'https' ? { tls: tlsOf(tr, resolution.request.sni) } : {};
  const winner = resolution.winner;
  if (!winner) {
    const outcome: TraceOutcome =
      resolution.outcome.status === 'undetermined'
        ? { status: 'undetermined', message: resolution.outcome.message, reason: 'several routes in the top band match' }
        : { status: 404, message: 'no Route matched with those values', reason: 'no Kong route matches the request' };
    return { flavor, priorityModel, resolution, ...otherModel, plugins: [], outcome, unrouted, ...tls };
  }
  const route = winner.part.route.provenance!;
  const service = serviceOf(tr, route);
  const upstream = service ? { name: service.host, targets: upstreamTargets(tr, service) } : undefined;
  const plugins = pluginsOnRoute(tr, route, service, resolution.request);
  const outcome = outcomeOf(tr, resolution, route, service, upstream?.targets ?? [], plugins, input);
  const defaultBackend = route.field === 'spec.defaultBackend' ? route.sources[0] : undefined;
  return { flavor, priorityModel, resolution, ...otherModel, ...(service ? { service } : {}), ...(upstream ? { upstream } : {}), plugins, outcome, ...(defaultBackend ? { defaultBackend } : {}), unrouted, ...tls };
}

function sourceObject(tr: Translator, route: KongRoute): K8sObject | undefined {
  const ref = route.sources[0];
  return ref ? tr.view.get(refKey(ref)) : undefined;
}

function serviceOf(tr: Translator, route: KongRoute): KongService | undefined {
  const obj = sourceObject(tr, route);
  return obj ? tr.servicesOf(obj).find((s) => s.name === route.service) : undefined;
}

/** An HTTPRoute rule with backendRefs none of which KIC keeps: KIC puts a request-termination 500 on its service. */
function noBackendLeft(tr: Translator, route: KongRoute, service: KongService): string | undefined {
  const obj = sourceObject(tr, route);
  if (obj?.kind !== 'HTTPRoute') return undefined;
  const r = /^spec\.rules\[(\d+)\]/.exec(route.field);
  const refs = r ? (httpRouteView(obj).rules[Number(r[1])]?.backendRefs ?? []) : [];
  if (!refs.length) return undefined;
  const kept = service.backends.filter((b) => tr.view.get(refKey(b.service)) !== undefined);
  if (kept.length) return undefined;
  return `none of the backendRefs of ${describe(refOf(obj))} ${route.field.replace(/\.matches\[\d+\]$/, '')} is a Service that exists and that a ReferenceGrant permits, so KIC adds a request-termination plugin (500) to Kong service ${service.name}`;
}

function outcomeOf(
  tr: Translator,
  resolution: Resolution<KongRoute>,
  route: KongRoute,
  service: KongService | undefined,
  ready: KongTarget[],
  plugins: PluginRun[],
  input: RequestInput,
): TraceOutcome {
  const routed = resolution.outcome;
  if (routed.status === 426) return { status: 426, message: routed.message, reason: `Kong route ${route.name} accepts only https (protocols ${JSON.stringify(route.protocols)})` };
  if (routed.status === 301 || routed.status === 302 || routed.status === 307 || routed.status === 308)
    return { status: routed.status, message: routed.message, reason: `Kong route ${route.name} accepts only https and redirects (https_redirect_status_code ${route.https_redirect_status_code})` };
  const protocols = route.protocols ?? [];
  if (protocols.some((p) => p === 'grpc' || p === 'grpcs')) {
    const contentType = Object.entries(input.headers ?? {}).find(([n]) => n.toLowerCase() === 'content-type')?.[1];
    const first = typeof contentType === 'string' ? contentType : contentType?.[0];
    if (!first?.startsWith('application/grpc')) return { status: 415, message: 'Non-gRPC request matched gRPC route', reason: `Kong route ${route.name} speaks gRPC (protocols ${JSON.stringify(protocols)}) and the request has no content-type application/grpc` };
  }
  for (const p of plugins) {
    if (p.when !== undefined) continue;
    if (p.answer) return { status: p.answer.status, message: p.answer.message, reason: `${p.answer.reason} (${describe(p.source)}, ${p.scope})` };
  }
  if (!service) return { status: 503, message: 'no Service found with those values', reason: `Kong route ${route.name} has no service` };
  const terminated = noBackendLeft(tr, route, service);
  if (terminated) return { status: 500, message: 'no existing backendRef provided', reason: terminated };
  if (!ready.length)
    return {
      status: 503,
      message: 'failure to get a peer from the ring-balancer',
      reason: `upstream ${service.host} has no targets: ${service.backends.map((b) => `${describe(b.service)} ${noTargetWhy(tr, b)}`).join('; ') || 'no Service backs it'}`,
    };
  // balancers.lua updateStatus: a balancer whose targets weigh 0 in all (a weight unset is Kong's 100) is unhealthy.
  if (!ready.some((t) => (t.weight ?? 100) > 0))
    return {
      status: 503,
      message: 'failure to get a peer from the ring-balancer',
      reason: `every target of upstream ${service.host} has weight 0 (KIC gives a backendRef's targets weight 0 when its weight is 0), so Kong's balancer is unhealthy`,
    };
  return { status: 'proxied', message: `proxied to upstream ${service.host}`, reason: `${ready.length} ready target${ready.length === 1 ? '' : 's'}` };
}

/** Why a backend adds no target (getUpstreams): its Service is missing, findPort fails, or no endpoint is ready. */
function noTargetWhy(tr: Translator, b: KongServiceBackend): string {
  const svc = tr.view.get(refKey(b.service));
  if (!svc) return 'does not exist';
  if (!kicFindPort(svc, b.port)) return `${noPortWhy(svc, b.port)}, so KIC adds no target for it ("can't find port for backend kubernetes service")`;
  return 'has no ready endpoint on that port (EndpointSlices)';
}

/** findPort's failures, in its order: an ExternalName Service wants a port number, no port means the only one. */
function noPortWhy(svc: K8sObject, port: number | string | undefined): string {
  if (isRecord(svc.spec) && svc.spec.type === 'ExternalName') return 'is an ExternalName Service and the backend gives no port number';
  if (port === undefined) return `has ${asArray(isRecord(svc.spec) ? svc.spec.ports : undefined).length} ports and the backend names none (KIC takes the port only when there is exactly one)`;
  return typeof port === 'number' ? `has no port ${port}` : `has no port named ${JSON.stringify(port)} nor one whose targetPort is that name`;
}

/** Whether an object's host list could cover the request host (no hosts: any host). */
function couldServe(hosts: readonly string[], host: string | undefined): boolean {
  if (!hosts.length || host === undefined) return true;
  return hosts.some((h) => h === host || (h.startsWith('*.') && host.endsWith(h.slice(1))));
}

/**
 * Ingresses, HTTPRoutes and GRPCRoutes that could serve this host but give Kong no route (router.md §8.1):
 * another class, no Gateway of ours, or refused by KIC's translator.
 */
export function unroutedObjects(tr: Translator, host: string | undefined): UnroutedObject[] {
  return routelessObjects(tr)
    .filter((o) => couldServe(o.hosts, host))
    .flatMap(({ obj }) =>
      tr.isManaged(obj) && tr.droppedServices(obj).length
        ? droppedRoutes(tr, obj)
        : [{ object: refOf(obj), reason: obj.kind === 'Ingress' ? ingressUnrouted(tr, obj) : gatewayRouteUnrouted(tr, obj) }],
    );
}

/** A translator's Ingresses, HTTPRoutes and GRPCRoutes that give Kong no route or lose some with a dropped service, with their hosts: found once, filtered per request. */
const routeless = new WeakMap<Translator, { obj: K8sObject; hosts: string[] }[]>();

function routelessObjects(tr: Translator): { obj: K8sObject; hosts: string[] }[] {
  let found = routeless.get(tr);
  if (!found) {
    found = [];
    for (const kind of ['Ingress', 'HTTPRoute', 'GRPCRoute']) {
      for (const obj of tr.view.list(kind)) {
        if (tr.isManaged(obj) && tr.routesOf(obj).length && !tr.droppedServices(obj).length) continue;
        found.push({ obj, hosts: kind === 'Ingress' ? ingressView(obj).paths.map((p) => p.host) : kind === 'HTTPRoute' ? httpRouteView(obj).hostnames : gatewayRouteView(obj).hostnames });
      }
    }
    routeless.set(tr, found);
  }
  return found;
}

function ingressUnrouted(tr: Translator, obj: K8sObject): string {
  const v = ingressView(obj);
  if (!tr.isManaged(obj)) {
    const cls = v.className;
    return cls === undefined
      ? `it names no ingress class and IngressClass ${tr.config.ingressClass} is not the cluster default, so KIC ignores it`
      : `its class is "${cls}" (${v.classSource === 'annotation' ? 'kubernetes.io/ingress.class' : 'spec.ingressClassName'}), not "${tr.config.ingressClass}", so KIC ignores it`;
  }
  const holder = tr.defaultBackendHolder();
  return v.defaultBackend && holder && holder !== obj ? `KIC uses only the oldest defaultBackend, that of ${describe(refOf(holder))}` : 'no rule with a Service backend: KIC builds no route from it';
}

function gatewayRouteUnrouted(tr: Translator, obj: K8sObject): string {
  if (!tr.isManaged(obj)) return `${parentsNotOurs(tr, obj)}, so KIC does not translate it`;
  return obj.kind === 'HTTPRoute' ? httpRouteRefusal(obj) : 'KIC builds no route from it';
}

/** The routes KIC builds from the object and then leaves out with their Kong service (translate/kic-drops.ts). */
function droppedRoutes(tr: Translator, obj: K8sObject): UnroutedObject[] {
  return tr.droppedServices(obj).map((d) => ({ object: refOf(obj), reason: `Kong never receives its route${d.routes.length === 1 ? '' : 's'} ${d.routes.map((r) => r.name).join(', ')}: ${d.reason}` }));
}

/** Why no parent of a Gateway API route is a Gateway KIC serves, parent by parent. */
function parentsNotOurs(tr: Translator, obj: K8sObject): string {
  const parents = routeParentRefs(obj);
  if (!parents.length) return 'it names no parent Gateway';
  return parents
    .map((p) => {
      const name = `${p.kind} ${p.namespace}/${p.name}`;
      if (p.kind !== 'Gateway') return `its parent ${name} is not a Gateway`;
      const gateway = tr.view.get(refKey({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: p.namespace, name: p.name }));
      if (!gateway) return `its parent ${name} does not exist`;
      const cls = gatewayClassName(gateway);
      const gc = cls ? tr.view.get(refKey({ group: 'gateway.networking.k8s.io', kind: 'GatewayClass', name: cls })) : undefined;
      if (!gc) return `its parent ${name} names GatewayClass ${cls ?? '(none)'}, which does not exist`;
      return `its parent ${name} is of GatewayClass ${cls}, whose controller is ${gatewayClassController(gc) ?? '(none)'}, not ${tr.config.gatewayControllerName}`;
    })
    .join('; ');
}

function httpRouteRefusal(obj: K8sObject): string {
  const rules = httpRouteView(obj).rules;
  if (!rules.length) return 'it has no rules: KIC refuses it ("HTTPRoute can\'t be routed")';
  const raw = asArray(isRecord(obj.spec) ? obj.spec.rules : undefined);
  if (raw.some((r) => isRecord(r) && asArray(r.matches).some((m) => isRecord(m) && asArray(m.queryParams).length > 0)))
    return 'it matches query parameters, which KIC supports only with the expressions router: KIC refuses the whole HTTPRoute ("HTTPRoute can\'t be routed")';
  return 'none of its hostnames intersects the hostnames of its Gateway listeners: KIC does not accept it and removes it from Kong, or a header is matched twice in one match';
}
