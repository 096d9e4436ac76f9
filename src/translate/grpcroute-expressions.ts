// GRPCRoute -> Kong expression routes, as KIC 3.5 builds them when Kong runs `router_flavor = expressions`
// (translate_grpcroute.go ingressRulesFromGRPCRoutesUsingExpressionRoutes, subtranslator/grpcroute_atc.go): every
// GRPCRoute split by spec.hostnames (listener hostnames are not used here), rule and match; one Kong service per
// (hostname, rule) named `grpcroute.<ns>.<name>.<hostname with * as _, or _>.<rule>` and one route per split match
// named `...<rule>.<match>`, its expression the method match, headers, hostname and konghq.com/snis, its priority
// KIC's GRPCRoute traits plus a relative order (8 bits) that breaks ties across every GRPCRoute.
import { asString, asArray, isRecord, refOf, type K8sObject } from '../model/object.ts';
import { gatewayRouteView, type BackendRef } from '../model/views.ts';
import { kicRouteId } from '../router/route-id.ts';
import type { StateView } from '../state/view.ts';
import { and, headerField, hostMatcher, render, sniMatcher, str, type Matcher } from './atc.ts';
import { parentListeners, service, type RouteTranslation } from './gateway-routes.ts';
import { CATCH_ALL, rankedPriorities, valueMatchers } from './httproute-expressions.ts';
import type { KongRoute, KongService } from './kong.ts';
import { commaList } from './route-fields.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isRecord(v) ? v : {});

/** One (hostname, rule, match) of a GRPCRoute: SplitGRPCRoute. A rule without matches gives one empty match. */
export interface GRPCSplitMatch {
  route: K8sObject;
  hostname: string;
  rule: number;
  matchIndex: number;
  match: Rec;
}

export function splitGRPCRoute(route: K8sObject): GRPCSplitMatch[] {
  const spec = rec(route.spec);
  const hostnames = asArray(spec.hostnames).filter((h): h is string => typeof h === 'string');
  const rules = asArray(spec.rules).map(rec);
  return (hostnames.length ? hostnames : ['']).flatMap((hostname) =>
    rules.flatMap((rule, r) => {
      const matches = asArray(rule.matches).map(rec);
      return (matches.length ? matches : [{}]).map((match, i) => ({ route, hostname, rule: r, matchIndex: i, match }));
    }),
  );
}

const hostPart = (hostname: string) => (hostname ? hostname.replaceAll('*', '_') : '_');
const base = (m: GRPCSplitMatch) => `grpcroute.${m.route.metadata.namespace ?? ''}.${m.route.metadata.name}.${hostPart(m.hostname)}.${m.rule}`;
export const grpcSplitMatchName = (m: GRPCSplitMatch) => `${base(m)}.${m.matchIndex}`;

/** CalculateGRCPRouteMatchPriorityTraits + EncodeToPriority, without the relative order. */
export function grpcBasePriority(m: GRPCSplitMatch): bigint {
  const method = isRecord(m.match.method) ? m.match.method : undefined;
  const len = (v: unknown) => BigInt(Buffer.byteLength(asString(v) ?? ''));
  return (
    (1n << 44n) + // ResourceKindBitsGRPCRoute << FromResourceKindPriorityShiftBits
    (m.hostname !== '' && !m.hostname.startsWith('*') ? 1n << 43n : 0n) +
    (BigInt(Buffer.byteLength(m.hostname)) << 35n) +
    (len(method?.service) << 24n) +
    (len(method?.method) << 13n) +
    (BigInt(asArray(m.match.headers).length) << 8n)
  );
}

/** AssignRoutePriorityToSplitGRPCRouteMatches: 255 ranks within one base. */
export function assignGRPCPriorities(all: readonly GRPCSplitMatch[]): Map<string, number> {
  return rankedPriorities(all, grpcBasePriority, grpcSplitMatchName, 255);
}

/** methodMatcherFromGRPCMethodMatch: Exact (the default) a prefix, suffix or equality on the path, RegularExpression a regex. */
function methodMatcher(method: Rec): Matcher {
  const service = asString(method.service);
  const name = asString(method.method);
  if (service === undefined && name === undefined) return `http.path ^= ${str('/')}`;
  if (asString(method.type) === 'RegularExpression') return `http.path ~ ${str(`^/${service ?? '.+'}/${name ?? '.+'}`)}`;
  if (name === undefined) return `http.path ^= ${str(`/${service}/`)}`;
  if (service === undefined) return `http.path =^ ${str(`/${name}`)}`;
  return `http.path == ${str(`/${service}/${name}`)}`;
}

/** generateMatcherFromGRPCMatch: method, headers, hostname, then konghq.com/snis; none gives the catch-all. */
export function grpcSplitMatchExpression(m: GRPCSplitMatch): string {
  const snis = m.route.metadata.annotations?.['konghq.com/snis'];
  const matcher = and(
    isRecord(m.match.method) ? methodMatcher(m.match.method) : '',
    valueMatchers(m.match.headers, headerField),
    m.hostname ? hostMatcher([m.hostname]) : '',
    snis === undefined ? '' : sniMatcher(commaList(snis)),
  );
  return render(matcher) || CATCH_ALL;
}

/**
 * One GRPCRoute's services and routes; `priorities` come from assignGRPCPriorities over every managed GRPCRoute.
 * Route protocols: getProtocolsForKongRoute (grpc for a parent HTTP listener, grpcs for an HTTPS one).
 */
export function translateGRPCRouteExpressions(view: StateView, route: K8sObject, priorities: Map<string, number>, permitted: (b: BackendRef) => boolean): RouteTranslation {
  const v = gatewayRouteView(route);
  const listeners = parentListeners(view, v.parentRefs, (l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS');
  const http = listeners.some((l) => l.protocol === 'HTTP');
  const https = listeners.some((l) => l.protocol === 'HTTPS');
  const protocols = [...(http ? ['grpc'] : []), ...(https ? ['grpcs'] : [])];
  const services = new Map<string, KongService>();
  const routes: KongRoute[] = [];
  for (const m of splitGRPCRoute(route)) {
    const rule = v.rules.find((r) => r.index === m.rule);
    if (!rule) continue;
    const serviceName = base(m);
    if (!services.has(serviceName)) services.set(serviceName, service(route, rule, http ? 'grpc' : 'grpcs', permitted, serviceName));
    const name = grpcSplitMatchName(m);
    routes.push({
      id: kicRouteId(name),
      name,
      service: serviceName,
      hosts: [],
      paths: [],
      methods: [],
      protocols,
      preserve_host: true,
      expression: grpcSplitMatchExpression(m),
      priority: priorities.get(name) ?? 0,
      field: asArray(rec(asArray(rec(route.spec).rules)[m.rule]).matches).length ? `spec.rules[${m.rule}].matches[${m.matchIndex}]` : `spec.rules[${m.rule}]`,
      sources: [refOf(route)],
    });
  }
  return { services: [...services.values()], routes };
}
