// HTTPRoute -> Kong expression routes, as KIC 3.5 builds them when Kong runs `router_flavor = expressions`
// (subtranslator/httproute_atc.go): one route per (hostname x rule x match) named
// `httproute.<ns>.<name>.<hostname with * as _, or _>.<rule>.<match>`, its expression the hostname, the
// konghq.com/snis annotation and the match (path, headers, query parameters, method), and its priority KIC's
// traits plus a relative order that breaks ties across every HTTPRoute: 4095 for a unique priority, else
// 4095, 4094, ... by creation time, namespace, name, rule and match (`assignRoutePriorityToSplitHTTPRouteMatches`).
import { asString, asArray, isRecord, type K8sObject } from '../model/object.ts';
import { httpRouteExpressionPriority } from '../router/kic-priority.ts';
import { and, headerField, hostMatcher, methodMatcher, or, render, sniMatcher, str, type Matcher } from './atc.ts';
import { commaList, normalizeRoutePath } from './route-fields.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isRecord(v) ? v : {});

/** atc_utils.go CatchAllHTTPExpression: a rule without matches on a route without hostnames. */
export const CATCH_ALL = '(net.protocol == "http") || (net.protocol == "https")';

/** One (hostname, rule, match) of an HTTPRoute: `SplitHTTPRoute`. `match` is undefined for a rule with `matches: []`. */
export interface SplitMatch {
  route: K8sObject;
  hostname: string;
  rule: number;
  matchIndex: number;
  match: Rec | undefined;
}

/** The matches KIC sees: the CRD defaults an absent list to one PathPrefix "/" match, and an absent path likewise. */
function matchesOf(rule: Rec): (Rec | undefined)[] {
  if (Array.isArray(rule.matches) && rule.matches.length === 0) return [undefined];
  const list = Array.isArray(rule.matches) ? rule.matches.map(rec) : [{}];
  return list.map((m) => (isRecord(m.path) ? m : { ...m, path: { type: 'PathPrefix', value: '/' } }));
}

/** `SplitHTTPRoute` over the hostnames KIC kept (`filterHostnames`). */
export function splitHTTPRoute(route: K8sObject, hostnames: readonly string[]): SplitMatch[] {
  const rules = asArray(rec(route.spec).rules).map(rec);
  return (hostnames.length ? hostnames : ['']).flatMap((hostname) =>
    rules.flatMap((rule, r) => matchesOf(rule).map((match, i) => ({ route, hostname, rule: r, matchIndex: i, match }))),
  );
}

export function splitMatchName(m: SplitMatch): string {
  const host = m.hostname ? m.hostname.replaceAll('*', '_') : '_';
  return `httproute.${m.route.metadata.namespace ?? ''}.${m.route.metadata.name}.${host}.${m.rule}.${m.matchIndex}`;
}

/** `calculateHTTPRouteMatchPriorityTraits` encoded, without the relative order. */
export function basePriority(m: SplitMatch): bigint {
  const path = rec(m.match?.path);
  const type = asString(path.type);
  return httpRouteExpressionPriority({
    preciseHostname: m.hostname !== '' && !m.hostname.startsWith('*'),
    hostnameLength: Buffer.byteLength(m.hostname),
    pathType: type === 'Exact' || type === 'PathPrefix' || type === 'RegularExpression' ? type : undefined,
    pathLength: Buffer.byteLength(asString(path.value) ?? ''),
    hasMethodMatch: asString(m.match?.method) !== undefined,
    headerCount: asArray(m.match?.headers).length,
    queryParamCount: asArray(m.match?.queryParams).length,
    relativeOrder: 0,
  });
}

export const created = (o: K8sObject): number => {
  const t = o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t; // Go's zero time is before every real one
};

/** A split match of a Gateway API route (HTTPRoute or GRPCRoute): its route, and the rule and match it comes from. */
interface RankedMatch {
  route: K8sObject;
  rule: number;
  matchIndex: number;
}

/**
 * compareSplitHTTPRouteMatchesRelativePriority, compareSplitGRPCRouteMatchesRelativePriority: older first, then
 * namespace, name, rule, match.
 */
function tieOrder(a: RankedMatch, b: RankedMatch): number {
  const ca = created(a.route);
  const cb = created(b.route);
  if (ca !== cb) return ca < cb ? -1 : 1;
  const ka = [a.route.metadata.namespace ?? '', a.route.metadata.name];
  const kb = [b.route.metadata.namespace ?? '', b.route.metadata.name];
  for (let i = 0; i < 2; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return a.rule - b.rule || a.matchIndex - b.matchIndex;
}

/**
 * AssignRoutePriorityToSplit{HTTP,GRPC}RouteMatches: each split match's base priority plus `top` minus its rank among
 * the matches of equal base (not below 0), by the match's route name.
 */
export function rankedPriorities<M extends RankedMatch>(all: readonly M[], base: (m: M) => bigint, name: (m: M) => string, top: number): Map<string, number> {
  const byBase = new Map<bigint, M[]>();
  for (const m of all) {
    const b = base(m);
    const list = byBase.get(b);
    if (list) list.push(m);
    else byBase.set(b, [m]);
  }
  const out = new Map<string, number>();
  for (const [b, matches] of byBase) matches.sort(tieOrder).forEach((m, i) => out.set(name(m), Number(b + BigInt(Math.max(0, top - i)))));
  return out;
}

/** Every HTTPRoute split match's final priority, by route name: 4095 ranks within one base. */
export function assignPriorities(all: readonly SplitMatch[]): Map<string, number> {
  return rankedPriorities(all, basePriority, splitMatchName, 4095);
}

/** `pathMatcherFromHTTPPathMatch`; with a URLRewrite path-prefix filter the rest of the path is captured. */
function pathMatcher(path: Rec, prefixRewrite: boolean): Matcher {
  const value = asString(path.value) ?? '';
  switch (asString(path.type)) {
    case 'Exact':
      return `http.path == ${str(value)}`;
    case 'RegularExpression':
      return `http.path ~ ${str(value.startsWith('^') ? value : `^${value}`)}`;
    default: {
      const p = normalizeRoutePath(value);
      if (prefixRewrite) return or(`http.path == ${str(p)}`, `http.path ~ ${str(p === '/' ? '^/(.*)' : `^${p}(/.*)`)}`);
      if (p === '/') return `http.path ^= ${str('/')}`;
      return or(`http.path == ${str(p)}`, `http.path ^= ${str(`${p}/`)}`);
    }
  }
}

/** Header or query parameter matches, sorted by name, each `==` (Exact, the default) or `~` (RegularExpression). */
export function valueMatchers(list: unknown, field: (name: string) => string): Matcher {
  const items = asArray(list)
    .map(rec)
    .sort((a, b) => ((asString(a.name) ?? '') < (asString(b.name) ?? '') ? -1 : (asString(a.name) ?? '') > (asString(b.name) ?? '') ? 1 : 0));
  return and(...items.map((h) => `${field(asString(h.name) ?? '')} ${asString(h.type) === 'RegularExpression' ? '~' : '=='} ${str(asString(h.value) ?? '')}`));
}

/** `kongExpressionRouteFromHTTPRouteMatchWithPriority`: the expression of one split match. */
export function splitMatchExpression(m: SplitMatch): string {
  const rule = rec(asArray(rec(m.route.spec).rules)[m.rule]);
  const prefixRewrite = asArray(rule.filters).some((f) => rec(f).type === 'URLRewrite' && rec(rec(rec(f).urlRewrite).path).type === 'ReplacePrefixMatch');
  const snisValue = m.route.metadata.annotations?.['konghq.com/snis'];
  const match = m.match;
  const matcher = and(
    hostMatcher([m.hostname]),
    snisValue === undefined ? '' : sniMatcher(commaList(snisValue)),
    match
      ? and(
          isRecord(match.path) ? pathMatcher(match.path, prefixRewrite) : '',
          valueMatchers(match.headers, headerField),
          valueMatchers(match.queryParams, (n) => `http.queries.${n}`),
          asString(match.method) ? methodMatcher([asString(match.method)!]) : '',
        )
      : '',
  );
  return render(matcher) || CATCH_ALL;
}
