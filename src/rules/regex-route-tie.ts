// regex-route-tie: two Kong routes with regex paths the user wrote both match a request, with the same Kong priority,
// so Kong picks one by route ID (KIC #3789: `/~/api/v2/(.*)` and `/~/api/v2/(media/.*)` in one Ingress, the broader
// one served /api/v2/media/x). Kong 3.9 orders its router's matchers by (priority, route UUID) and tries the greatest
// first (atc-router 1.6.2 src/router.rs `MatcherKey`, `execute`; Kong's kong/router/atc.lua `add_matcher`); with
// traditional_compatible every regex route without hosts, methods or headers has the same priority whatever its
// regex (transform.lua `get_priority`: the regex bit, match weight and regex_priority only, no length), and KIC's
// FillIDs makes the UUID a hash of the route name. So which regex serves the request follows the object and Service
// names, not anything the user wrote, and renaming can flip it. With the expressions router, KIC's Ingress priorities
// can tie the same way (regexes of one length: ingress_atc.go), its HTTPRoute priorities cannot (a relative order
// breaks every tie: httproute_atc.go).
//
// Found with the router, never from the regex strings: witnesses built from both routes (witness.ts) must match both
// regexes, the two parts' priorities must be equal (the traditional top band, whose order Kong does not fix at all, is
// left out), and Kong's pick over the whole neighbourhood must be one of the two, or a third route serves the request
// anyway. So regexes that never match one request, or differ in priority (regex_priority, hosts, methods, headers),
// stay silent. Only regexes written as such (an Ingress ImplementationSpecific path with the regex prefix, an HTTPRoute
// RegularExpression match); KIC's own regexes for Exact and Prefix paths are duplicates of plain paths, which
// ingress-path-conflict and httproute-path-conflict judge. Both routes of one object, or the subject and an older
// object (of any namespace) whose routes can serve one of its hosts: reported on the newer one. Routes to one Kong
// service are skipped (either way the same backend answers), and so is a tie route-precedence already reports (same
// namespace and kind, and Kong's pick is the less specific regex by the object's API).
import { annotation, keyOf, refOf, type K8sObject } from '../model/object.ts';
import { routedHosts } from '../model/hosts.ts';
import { httpRouteView, ingressView } from '../model/views.ts';
import { hex, partPriority, undeterminedPair } from '../router/priority.ts';
import { normaliseRequest } from '../router/request.ts';
import { winnerOf, type Match } from '../router/resolve.ts';
import { isRegexPath, splitRoute, type RoutePart } from '../router/route.ts';
import { olderFirst } from '../state/view.ts';
import { isHttpRoute, routerFlavorOf, routerRoute } from '../trace/trace.ts';
import type { KongRoute } from '../translate/kong.ts';
import { CONTROLLER_REGEX_PREFIX, ingressKongPaths, REGEX_PREFIX_ANNOTATION } from '../translate/route-fields.ts';
import type { Translator } from '../translate/translator.ts';
import { ingress, KONG_BASE } from './example-base.ts';
import { moreSpecific, pathsMayOverlap, specificity } from './route-precedence.ts';
import { SECOND_SERVICE } from './routing.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { name } from './text.ts';
import { hostNeighbours, predicatesOf, resolver, witnesses, witnessUrl, type Witness } from './witness.ts';

const KINDS = ['Ingress', 'HTTPRoute'] as const;

/** At most this many findings for one object (each costs witness resolutions). */
const MAX_FINDINGS = 10;

/** The highest regex_priority Kong 3.9 orders as documented (from 1024 on it ORs into the match-weight bits). */
const MAX_ORDERED_REGEX_PRIORITY = 1023;

/** The Kong paths (`~re`) of the regexes written in `obj`: Ingress ImplementationSpecific paths with the regex prefix, HTTPRoute RegularExpression matches. */
function writtenRegexes(obj: K8sObject): Set<string> {
  if (obj.kind === 'Ingress') {
    const prefix = annotation(obj, REGEX_PREFIX_ANNOTATION) ?? CONTROLLER_REGEX_PREFIX;
    return new Set(
      ingressView(obj)
        .paths.filter((p) => p.pathType !== 'Exact' && p.pathType !== 'Prefix')
        .flatMap((p) => ingressKongPaths(p.pathType, p.path, prefix))
        .filter(isRegexPath),
    );
  }
  return new Set(httpRouteView(obj).rules.flatMap((r) => r.matches.filter((m) => m.pathType === 'RegularExpression').map((m) => `~${m.path}`)));
}

/** A route that may take part: traditional, one of its paths is a written regex; expressions, every path predicate is a regex. */
function hasWrittenRegex(r: KongRoute, written: ReadonlySet<string>): boolean {
  if (r.expression !== undefined) {
    const paths = predicatesOf(r).paths;
    return paths.length > 0 && paths.every(isRegexPath);
  }
  return r.paths.some((p) => written.has(p));
}

/** The route's match of a request when it matches through a written regex (traditional: the matched path alternative). */
function regexMatch(tr: Translator, r: KongRoute, written: ReadonlySet<string>, q: Witness): Match<KongRoute> | undefined {
  const m = winnerOf([routerRoute(r)], normaliseRequest(q), routerFlavorOf(tr));
  if (!m) return undefined;
  if (r.expression !== undefined) return m;
  return m.matchedPath !== undefined && written.has(m.matchedPath) ? m : undefined;
}

interface Side {
  obj: K8sObject;
  route: KongRoute;
  written: ReadonlySet<string>;
}

interface Tie {
  a: Side;
  b: Side;
  witness: Witness;
  priority: bigint;
  /** a's and b's matched regexes, as Kong has them. */
  aPath: string;
  bPath: string;
  winner: 'a' | 'b';
}

/** The first witness both regexes match at equal priority and Kong gives to one of the two; undefined when none. */
function tieOf(ctx: RuleContext, a: Side, b: Side, who: ReturnType<typeof resolver>): Tie | undefined {
  const flavor = routerFlavorOf(ctx.tr);
  for (const q of witnesses(a.route, b.route)) {
    const ma = regexMatch(ctx.tr, a.route, a.written, q);
    const mb = ma && regexMatch(ctx.tr, b.route, b.written, q);
    if (!ma || !mb || ma.priority.value !== mb.priority.value || undeterminedPair(ma.priority, mb.priority)) continue;
    const req = normaliseRequest(q);
    const won = who.winner(req)?.part.route.id;
    if (won !== a.route.id && won !== b.route.id) continue;
    const winner = won === a.route.id ? 'a' : 'b';
    // route-precedence's case: two objects of one namespace and kind, and Kong picks the one their API calls less specific.
    if (flavor === 'traditional_compatible' && keyOf(a.obj) !== keyOf(b.obj) && a.obj.kind === b.obj.kind && a.obj.metadata.namespace === b.obj.metadata.namespace) {
      const cmp = moreSpecific(specificity(ma, req), specificity(mb, req), a.obj.kind);
      if ((cmp > 0 && winner === 'b') || (cmp < 0 && winner === 'a')) continue;
    }
    return { a, b, witness: q, priority: ma.priority.value, aPath: shown(ma, a.route), bPath: shown(mb, b.route), winner };
  }
  return undefined;
}

/** The matched regex as written for Kong (`~re`), or the route's regex paths (expressions). */
function shown(m: Match<KongRoute>, r: KongRoute): string {
  return m.matchedPath ?? predicatesOf(r).paths.join(', ');
}

/**
 * The least konghq.com/regex-priority (above the route's own, at most 1023) with which Kong 3.9's traditional_compatible
 * priority of the route's part matching `path` exceeds `tied`: checked with Kong's priority, since header counts share
 * regex_priority's bits (Kong/kong#14457).
 */
function winningRegexPriority(r: KongRoute, matched: string, tied: bigint): number | undefined {
  const base = routerRoute(r);
  const own = r.regex_priority ?? 0;
  for (let v = Math.max(own + 1, 1); v <= MAX_ORDERED_REGEX_PRIORITY; v++) {
    const part = splitRoute({ ...base, regexPriority: v }).find((p: RoutePart) => p.paths?.includes(matched));
    const p = part && partPriority(part);
    if (p?.kind === 'traditional' && !p.compat.topBand && p.value > tied) return v;
  }
  return undefined;
}

/** Older managed route objects (any namespace) whose routes can serve one of the subject's hosts, oldest first. */
function olderNeighbours(ctx: RuleContext, subject: K8sObject): K8sObject[] {
  const order = olderFirst(ctx.view, keyOf);
  return hostNeighbours(ctx.view, routedHosts(subject))
    .filter((o) => (KINDS as readonly string[]).includes(o.kind) && keyOf(o) !== keyOf(subject) && order(o, subject) < 0 && ctx.tr.isManaged(o))
    .sort(order);
}

function ties(ctx: RuleContext, subject: K8sObject): Tie[] {
  if (!ctx.tr.isManaged(subject)) return [];
  const written = writtenRegexes(subject);
  const ours = ctx.tr.routesOf(subject).filter((r) => isHttpRoute(r) && hasWrittenRegex(r, written));
  if (!ours.length) return [];
  const who = resolver(ctx.tr);
  const out: Tie[] = [];
  const pair = (a: Side, b: Side) => {
    if (a.route.service === b.route.service || !pathsMayOverlap(a.route, b.route)) return;
    const found = tieOf(ctx, a, b, who);
    if (found) out.push(found);
  };
  // Two routes of the subject itself (KIC #3789), each pair once.
  for (const [i, a] of ours.entries()) for (const b of ours.slice(i + 1)) if (out.length < MAX_FINDINGS) pair({ obj: subject, route: a, written }, { obj: subject, route: b, written });
  for (const older of olderNeighbours(ctx, subject)) {
    const theirWritten = writtenRegexes(older);
    for (const theirs of ctx.tr.routesOf(older).filter((r) => isHttpRoute(r) && hasWrittenRegex(r, theirWritten))) {
      for (const r of ours) {
        if (out.length >= MAX_FINDINGS) return out;
        pair({ obj: older, route: theirs, written: theirWritten }, { obj: subject, route: r, written });
      }
    }
  }
  return out;
}

function fixOf(ctx: RuleContext, t: Tie): string {
  const disjoint = `or make the two regexes disjoint, so that no request path matches both`;
  if (routerFlavorOf(ctx.tr) === 'expressions') {
    return `KIC ignores konghq.com/regex-priority with the expressions router, so make the two regexes disjoint, or give the one that should win a longer regex (KIC's Ingress priority ranks the longer path first).`;
  }
  if (keyOf(t.a.obj) === keyOf(t.b.obj)) {
    return (
      `konghq.com/regex-priority applies to every route of ${t.a.obj.metadata.name}, so it cannot order these two: move the path that should win into an ${t.a.obj.kind} of its own ` +
      `with a higher konghq.com/regex-priority, ${disjoint}.`
    );
  }
  const options = [t.a, t.b].flatMap((s) => {
    const v = winningRegexPriority(s.route, s === t.a ? t.aPath : t.bPath, t.priority);
    return v === undefined ? [] : [`konghq.com/regex-priority: "${v}" on ${name(s.obj)} makes Kong try its route first`];
  });
  const annotate = options.length ? `order them with konghq.com/regex-priority on the object whose route should win (${options.join('; ')})` : 'order them with konghq.com/regex-priority on the object whose route should win';
  return `${annotate}, ${disjoint}.`;
}

export const regexRouteTie: Rule = {
  id: 'regex-route-tie',
  severity: 'warn',
  summary:
    "Two routes' regex paths both match a request and Kong gives both the same priority, so Kong picks one by route ID (KIC derives it from the route's name), not by anything the objects say.",
  explanation:
    "Judged with Kong's own router: requests built from both routes' hosts, paths, methods and headers are kept when both regexes match " +
    'them, both routes have the same Kong priority and Kong serves them with one of the two. Kong 3.x then tries the route with the greater ' +
    "ID first (atc-router orders matchers by priority, then route UUID); KIC's route IDs are hashes of the route names, so the winner " +
    "follows the Ingress, HTTPRoute and Service names and flips when one is renamed. Under traditional_compatible (Kong's default), two " +
    'regex routes without hosts, methods or headers always have the same priority, however long or specific the regexes: the longer one ' +
    'does not win (KIC #3789). Only regexes written as such (ImplementationSpecific paths with the regex prefix, HTTPRoute RegularExpression ' +
    'matches); routes to the same Kong service are not compared. Reported on the newer object, or on the object holding both routes.',
  examples: {
    // KIC #3789: a broad and a narrow regex in one Ingress, to two Services.
    bad:
      KONG_BASE +
      SECOND_SERVICE +
      ingress(
        'api',
        '  rules:\n  - http: {paths: [{path: "/~/api/v2/(.*)", pathType: ImplementationSpecific, backend: {service: {name: echo, port: {number: 1027}}}}]}\n' +
          '  - http: {paths: [{path: "/~/api/v2/(media/.*)", pathType: ImplementationSpecific, backend: {service: {name: echo-v2, port: {number: 1027}}}}]}\n',
      ),
    // The broad regex no longer matches /api/v2/media/...: the regexes are disjoint.
    good:
      KONG_BASE +
      SECOND_SERVICE +
      ingress(
        'api',
        '  rules:\n  - http: {paths: [{path: "/~/api/v2/(users/.*)", pathType: ImplementationSpecific, backend: {service: {name: echo, port: {number: 1027}}}}]}\n' +
          '  - http: {paths: [{path: "/~/api/v2/(media/.*)", pathType: ImplementationSpecific, backend: {service: {name: echo-v2, port: {number: 1027}}}}]}\n',
      ),
  },
  kinds: KINDS,
  check(ctx, subject) {
    return ties(ctx, subject).map((t): Draft => {
      const { method = 'GET' } = t.witness;
      const request = `${method} ${witnessUrl(t.witness)}`;
      const [win, lose] = t.winner === 'a' ? [t.a, t.b] : [t.b, t.a];
      const same = keyOf(t.a.obj) === keyOf(t.b.obj);
      const route = (s: Side) => `route ${s.route.name} (regex ${(s === t.a ? t.aPath : t.bPath).replace(/^~/, '')}, service ${s.route.service})`;
      const owners = same ? `${name(subject)} has two routes whose regexes` : `${name(subject)} and ${name(t.a.obj)} have routes whose regexes`;
      return {
        field: 'spec.rules',
        discriminator: `${keyOf(t.a.obj)}|${t.a.route.name}|${t.b.route.name}`,
        related: same ? [] : [refOf(t.a.obj)],
        message:
          `${owners} both match ${request}, with the same Kong priority ${hex(t.priority)}: ${route(t.a)} and ${route(t.b)}. ` +
          `Kong breaks the tie by route ID, not by regex length or order: it tries the greater ID first, so ${win.route.name} serves the request ` +
          `and ${lose.route.name}${same ? '' : ` of ${name(lose.obj)}`} never gets it. KIC derives route IDs from route names, so renaming the ${same ? 'object or a Service' : 'objects or their Services'} can flip this.`,
        fix: fixOf(ctx, t),
      };
    });
  },
};

export const REGEX_ROUTE_TIE_RULES: readonly Rule[] = [regexRouteTie];
