// HTTPRoute -> Kong services and routes as KIC 3.5 builds them with the traditional router
// (internal/dataplane/translator/subtranslator/httproute.go, default flags: services not combined across HTTPRoutes):
// - rules with the same backendRefs (in any order) share a Kong service `httproute.<ns>.<name>.<first rule>`;
// - within a service, rules with the same filters form a group; within a group, matches with the same key
//   (method, headers, query parameters) are merged into ONE Kong route named by the first of them
//   (`translateToKongRouteName`), its paths the matches' paths in rule order;
// - a rule with an explicit empty `matches` gets a route `<rule>.0` with the hostnames alone;
// - hosts are the hostnames left after KIC's controller intersected them with the listeners (`filterHostnames`),
//   protocols those of the parent listeners (HTTP, HTTPS); preserve_host true, strip_path false.
// A query parameter match makes KIC refuse the whole HTTPRoute with this router (translate_httproute.go
// `validateHTTPRoute`), as does a rule list that is empty, or two matches of one header in a match.
import { asString, asArray, isRecord, refOf, setOwn, type K8sObject } from '../model/object.ts';
import { gatewayListeners, httpRouteView, type BackendRef, type GatewayListener, type ParentRef } from '../model/views.ts';
import { kicRouteId } from '../router/route-id.ts';
import type { StateView } from '../state/view.ts';
import { kongBackends, parentListeners, type RouteTranslation } from './gateway-routes.ts';
import type { KongRoute, KongService } from './kong.ts';
import { hostnameCovers, httpRouteKongPaths, normalizeRoutePath } from './route-fields.ts';
import { splitHTTPRoute, splitMatchExpression, splitMatchName } from './httproute-expressions.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isRecord(v) ? v : {});

/** Go's json.Marshal of a list of items, each as its own JSON, sorted and joined (getSortedItemsString). */
function sortedItemsKey(items: unknown[]): string {
  return items
    .map((i) => JSON.stringify(i))
    .sort()
    .join(';');
}

/** Listeners whose hostnames KIC unions when the route names no hostname (isListenerHostnameEffective). */
const HOSTNAME_PROTOCOLS = ['HTTP', 'HTTPS', 'TLS'];

export interface Parent {
  ref: ParentRef;
  gateway: K8sObject;
}

/**
 * filterHostnames (controllers/gateway/route_utils.go): undefined when no hostname survives (the route is not
 * Accepted and KIC removes it from the data plane), else the hostnames Kong routes on ([] = any host).
 */
/** The hostnames KIC keeps for an HTTPRoute on its Gateways of ours (undefined: not accepted, no route at all). */
export function acceptedHostnames(obj: K8sObject, parents: readonly Parent[]): string[] | undefined {
  return listenerFilteredHostnames(httpRouteView(obj).hostnames, parents);
}

export function listenerFilteredHostnames(hostnames: readonly string[], parents: readonly Parent[]): string[] | undefined {
  const inSection = (p: Parent, l: GatewayListener) => p.ref.sectionName === undefined || p.ref.sectionName === l.name;
  if (!hostnames.length) {
    const union: string[] = [];
    for (const p of parents) {
      for (const l of gatewayListeners(p.gateway)) {
        if (!inSection(p, l)) continue;
        if (p.ref.sectionName === undefined && !HOSTNAME_PROTOCOLS.includes(l.protocol ?? '')) continue;
        if (l.hostname === undefined) return [];
        union.push(l.hostname);
      }
    }
    return union;
  }
  const kept: string[] = [];
  for (const hostname of hostnames) {
    let found: string | undefined;
    for (const p of parents) {
      for (const l of gatewayListeners(p.gateway)) {
        if (found !== undefined || !inSection(p, l)) continue;
        if (!l.hostname || hostnameCovers(l.hostname, hostname)) found = hostname;
        else if (hostnameCovers(hostname, l.hostname)) found = l.hostname;
      }
    }
    if (found !== undefined) kept.push(found);
  }
  return kept.length ? kept : undefined;
}

/** protocolsFromHTTPRoutesGatewayListeners: http and https of the parent listeners, sorted; none -> Kong's default. */
function listenerProtocols(view: StateView, parents: readonly ParentRef[]): string[] | undefined {
  const found = new Set(parentListeners(view, parents, (l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS').map((l) => (l.protocol === 'HTTP' ? 'http' : 'https')));
  return found.size ? [...found].sort() : undefined;
}

interface MatchMeta {
  rule: number;
  match: number;
  raw: Rec;
  field: string;
}

/** httpRouteMatchMeta.getKey: method, headers (lower-cased names, first of each, sorted) and query parameters. */
function matchKey(m: Rec): string {
  const seen = new Set<string>();
  const headers: Rec[] = [];
  for (const h of asArray(m.headers).map(rec)) {
    const name = (asString(h.name) ?? '').toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    headers.push({ ...h, name });
  }
  headers.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return JSON.stringify([m.method ?? null, headers, m.queryParams ?? []]);
}

/** convertGatewayMatchHeadersToKongRouteMatchHeaders; undefined when one header is matched twice (KIC fails the service). */
function kongHeaders(m: Rec): Record<string, string[]> | undefined | 'invalid' {
  const out: Record<string, string[]> = {};
  for (const h of asArray(m.headers).map(rec)) {
    const name = asString(h.name) ?? '';
    if (Object.hasOwn(out, name)) return 'invalid';
    const type = asString(h.type) ?? 'Exact';
    if (type === 'RegularExpression') setOwn(out, name, [`~*${asString(h.value) ?? ''}`]);
    else if (type === 'Exact') setOwn(out, name, [asString(h.value) ?? '']);
    else return 'invalid';
  }
  return Object.keys(out).length ? out : undefined;
}

/** The ReplacePrefixMatch URLRewrite of a rule's filters: KIC rewrites the route's paths to capture the rest. */
function replacePrefixPath(filters: unknown[], firstMatch: Rec | undefined): string[] | undefined {
  const rewrite = filters.map(rec).find((f) => f.type === 'URLRewrite' && rec(rec(f.urlRewrite).path).type === 'ReplacePrefixMatch' && rec(rec(f.urlRewrite).path).replacePrefixMatch !== undefined);
  if (!rewrite) return undefined;
  const raw = asString(rec(firstMatch?.path).value) ?? '';
  const path = normalizeRoutePath(raw);
  return path === '/' ? ['~/$', '~/(.*)'] : [`~${path}$`, `~${path}(/.*)`];
}

/**
 * The Kong services and routes KIC builds from an HTTPRoute. `expressionPriorities` (route name -> priority, over
 * every HTTPRoute: httproute-expressions.ts) selects Kong's expressions router: one expression route per split match.
 */
export function translateHTTPRouteRoutes(view: StateView, obj: K8sObject, parents: readonly Parent[], permitted: (b: BackendRef) => boolean, expressionPriorities?: ReadonlyMap<string, number>): RouteTranslation {
  const none: RouteTranslation = { services: [], routes: [] };
  const rules = asArray(rec(obj.spec).rules).map(rec);
  if (!rules.length) return none;
  if (!expressionPriorities && rules.some((r) => asArray(r.matches).some((m) => asArray(rec(m).queryParams).length > 0))) return none;
  const hosts = acceptedHostnames(obj, parents);
  if (hosts === undefined) return none;
  const v = httpRouteView(obj);
  const protocols = listenerProtocols(view, v.parentRefs);
  const ns = obj.metadata.namespace ?? '';
  const name = obj.metadata.name;
  const source = refOf(obj);

  // groupRulesByBackendRefs, then each group sorted by its rule key `<ns>/<name>.<rule>` (a string sort).
  const groups = new Map<string, number[]>();
  rules.forEach((r, i) => {
    const key = sortedItemsKey(asArray(r.backendRefs));
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const services: KongService[] = [];
  const routes: KongRoute[] = [];
  const serviceOfRule: string[] = [];
  for (const indexes of groups.values()) {
    const serviceName = `httproute.${ns}.${name}.${indexes[0]}`;
    for (const i of indexes) serviceOfRule[i] = serviceName;
    const viewRule = v.rules[indexes[0]!];
    services.push({ name: serviceName, host: serviceName, backends: kongBackends((viewRule?.backendRefs ?? []).filter(permitted)), sources: [source] });
    if (expressionPriorities) continue;
    const ordered = [...indexes].sort((a, b) => (`${ns}/${name}.${a}` < `${ns}/${name}.${b}` ? -1 : 1));
    const byFilters = new Map<string, number[]>();
    for (const r of ordered) {
      const key = sortedItemsKey(asArray(rules[r]!.filters));
      byFilters.set(key, [...(byFilters.get(key) ?? []), r]);
    }
    const base = (routeName: string, field: string): KongRoute => ({
      id: kicRouteId(routeName),
      name: routeName,
      service: serviceName,
      hosts: [...hosts],
      paths: [],
      methods: [],
      ...(protocols ? { protocols } : {}),
      preserve_host: true,
      field,
      sources: [source],
    });
    for (const ruleIndexes of byFilters.values()) {
      const filters = asArray(rules[ruleIndexes[0]!]!.filters);
      const matchGroups = new Map<string, MatchMeta[]>();
      for (const r of ruleIndexes) {
        const raw = rules[r]!.matches;
        if (Array.isArray(raw) && raw.length === 0) {
          routes.push(base(`httproute.${ns}.${name}.${r}.0`, `spec.rules[${r}]`));
          continue;
        }
        // An absent list is the CRD's default, one PathPrefix "/" match (as is an absent path).
        const matches = Array.isArray(raw) ? raw.map(rec) : [{}];
        matches.forEach((m, i) => {
          const key = matchKey(m);
          matchGroups.set(key, [...(matchGroups.get(key) ?? []), { rule: r, match: i, raw: m, field: `spec.rules[${r}].matches[${i}]` }]);
        });
      }
      for (const group of matchGroups.values()) {
        const first = group[0]!;
        const route = base(`httproute.${ns}.${name}.${first.rule}.${first.match}`, first.field);
        const headers = kongHeaders(first.raw);
        if (headers === 'invalid') return none;
        if (headers) route.headers = headers;
        route.strip_path = false;
        route.namedRules = group.map((m) => asString(rules[m.rule]!.name) ?? '').filter((n) => n.trim() !== '');
        const copies: { paths: string[]; methods: string[] }[] = [];
        for (const m of group) {
          const path = rec(m.raw.path);
          route.paths.push(...httpRouteKongPaths(asString(path.type) ?? 'PathPrefix', asString(path.value) ?? '/'));
          const method = asString(m.raw.method);
          if (method && !route.methods.includes(method)) route.methods.push(method);
          copies.push({ paths: [...route.paths], methods: [...route.methods] });
        }
        if (copies.length > 1 && filters.some((f) => rec(f).type === 'RequestRedirect')) route.redirectCopies = copies.slice(0, -1);
        const rewritten = replacePrefixPath(filters, first.raw);
        if (rewritten) route.paths = rewritten;
        routes.push(route);
      }
    }
  }
  if (expressionPriorities) {
    for (const m of splitHTTPRoute(obj, hosts)) {
      const routeName = splitMatchName(m);
      routes.push({
        id: kicRouteId(routeName),
        name: routeName,
        service: serviceOfRule[m.rule]!,
        hosts: [],
        paths: [],
        methods: [],
        ...(protocols ? { protocols } : {}),
        preserve_host: true,
        strip_path: false,
        expression: splitMatchExpression(m),
        priority: expressionPriorities.get(routeName) ?? 0,
        field: m.match ? `spec.rules[${m.rule}].matches[${m.matchIndex}]` : `spec.rules[${m.rule}]`,
        namedRules: [asString(rules[m.rule]!.name) ?? ''].filter((n) => n.trim() !== ''),
        sources: [source],
      });
    }
  }
  routes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { services, routes };
}
