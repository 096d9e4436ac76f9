// Which Kong route serves a request, and why the others do not (router.md §5):
// 1. expand each route into the parts Kong's router holds (split by path group) with their IDs;
// 2. normalise the request as Kong does;
// 3. evaluate every part predicate group by predicate group;
// 4. the winner is the matching part with the greatest (priority, ID); for every other matching part say
//    which priority component (or the ID) decided; two parts in the traditional top band have no fixed order;
// 5. after a match, what Kong answers before proxying (426 or a redirect for an https-only route);
// 6. no winner: 404 "no Route matched with those values", with the nearest parts (most predicate groups
//    holding, then priority) and the first failing group of each.
// Pure: the caller hands in routes (with provenance) and a request; nothing is read from anywhere else.
import { type Failure, isUnevaluable } from './failure.ts';
import { expressionPartMatches, matchExpressionPart } from './expression-match.ts';
import { kongOrder, partPriority, type PartPriority, type PriorityModel, undeterminedPair, whyWins, type WinReason } from './priority.ts';
import { normaliseRequest, type RequestInput, type RouterRequest } from './request.ts';
import { type RoutePart, type RouterFlavor, type RouterRoute, splitRoute } from './route.ts';
import { matchTraditionalPart, pathGroupHolds, traditionalPartMatch } from './traditional-match.ts';

/** A part and its priority, and for a matching part the path alternative that matched. */
export interface Match<P = unknown> {
  readonly part: RoutePart<P>;
  readonly priority: PartPriority;
  readonly matchedPath?: string;
}

export interface Candidate<P = unknown> extends Match<P> {
  /** Every failing predicate group in Kong's order; empty for a match. */
  readonly failures: readonly Failure[];
  /** The reason to show: the first failure that is certain, else the first unevaluable one. */
  readonly failure: Failure | undefined;
  /** Predicate groups that hold (ranks near misses). */
  readonly passed: number;
}

export interface Loser<P = unknown> {
  readonly candidate: Candidate<P>;
  readonly why: WinReason;
}

/** What Kong answers once a route is chosen, before any plugin or upstream. */
export type Outcome =
  | { readonly status: 404; readonly message: 'no Route matched with those values' }
  | { readonly status: 426; readonly message: 'Please use HTTPS protocol' }
  | { readonly status: 301 | 302 | 307 | 308; readonly message: string }
  | { readonly status: 'proxied' }
  | { readonly status: 'undetermined'; readonly message: string };

export interface Resolution<P = unknown> {
  readonly flavor: RouterFlavor;
  readonly request: RouterRequest;
  /** The part Kong picks; undefined on a 404, or when the top of the order is undetermined. */
  readonly winner: Candidate<P> | undefined;
  /** When Kong's order among the best matching parts is not fixed: every part that may win. */
  readonly possibleWinners: readonly Candidate<P>[];
  /** The other matching parts, in Kong's order, each with why the winner (or the first possible winner) beats it. */
  readonly shadowed: readonly Loser<P>[];
  /** Parts that cannot be judged (a regex this tool cannot run) and fail nothing else: they might match. */
  readonly unevaluable: readonly Candidate<P>[];
  /** Parts that do not match, nearest first. */
  readonly notMatching: readonly Candidate<P>[];
  readonly outcome: Outcome;
}

function candidate<P>(part: RoutePart<P>, req: RouterRequest, flavor: RouterFlavor, model: PriorityModel): Candidate<P> {
  const m = part.route.expression !== undefined ? matchExpressionPart(part, req) : matchTraditionalPart(part, req, flavor);
  const failure = m.failures.find((f) => !isUnevaluable(f)) ?? m.failures[0];
  const base = { part, priority: partPriority(part, model), failures: m.failures, failure, passed: m.passed };
  return m.matchedPath === undefined ? base : { ...base, matchedPath: m.matchedPath };
}

export function expandRoutes<P>(routes: readonly RouterRoute<P>[]): RoutePart<P>[] {
  return routes.flatMap((r) => splitRoute(r));
}

/** `model`: Kong's real priority (default), or the documented traditional_compatible layout (priority.ts PriorityModel). */
export function resolve<P>(routes: readonly RouterRoute<P>[], input: RequestInput, flavor: RouterFlavor = 'traditional_compatible', model: PriorityModel = 'computed'): Resolution<P> {
  const request = normaliseRequest(input);
  const candidates = expandRoutes(routes).map((part) => candidate(part, request, flavor, model));
  const matching = candidates.filter((c) => c.failures.length === 0).sort(kongOrder);
  const unevaluable = candidates.filter((c) => c.failures.length > 0 && c.failures.every(isUnevaluable)).sort(kongOrder);
  const notMatching = candidates
    .filter((c) => c.failures.some((f) => !isUnevaluable(f)))
    .sort((a, b) => b.passed - a.passed || kongOrder(a, b));

  const first = matching[0];
  const tiedAtTop = first ? matching.filter((c) => c === first || undeterminedPair(first.priority, c.priority)) : [];
  const determined = tiedAtTop.length <= 1;
  const winner = determined ? first : undefined;
  const shadowed = first ? matching.filter((c) => c !== first).map((c) => ({ candidate: c, why: whyWins(first, c) })) : [];
  return {
    flavor,
    request,
    winner,
    possibleWinners: determined ? [] : tiedAtTop,
    shadowed,
    unevaluable,
    notMatching,
    outcome: outcomeOf(winner, determined, request),
  };
}

/**
 * The part Kong picks for a request already normalised (normaliseRequest): resolve()'s winner, found without
 * explaining the parts that lose or fail, for callers that ask only who wins (witness checks try hundreds of
 * requests). Undefined on a 404, or when the top of Kong's order is undetermined.
 */
export function winnerOf<P>(routes: readonly RouterRoute<P>[], request: RouterRequest, flavor: RouterFlavor = 'traditional_compatible', model: PriorityModel = 'computed'): Match<P> | undefined {
  const matching: Match<P>[] = [];
  let first: Match<P> | undefined;
  for (const route of routes) {
    for (const part of splitRoute(route)) {
      let match: Match<P>;
      if (part.route.expression !== undefined) {
        if (!expressionPartMatches(part, request)) continue;
        match = { part, priority: partPriority(part, model) };
      } else {
        const path = traditionalPartMatch(part, request, flavor);
        if (path === null) continue;
        match = path === undefined ? { part, priority: partPriority(part, model) } : { part, priority: partPriority(part, model), matchedPath: path };
      }
      matching.push(match);
      // resolve() sorts stably: of two parts equal in Kong's order, the one found first.
      if (!first || kongOrder(match, first) < 0) first = match;
    }
  }
  return first && !matching.some((m) => m !== first && undeterminedPair(first.priority, m.priority)) ? first : undefined;
}

/**
 * Whether a request with this `http.path` (normalised: requestPath) may match the route: false when no part's paths
 * accept it, so that a caller trying many requests against one route can skip those without normalising them.
 * An expression route keeps its paths inside the expression: always true.
 */
export function pathMayMatch(route: RouterRoute, path: string): boolean {
  return route.expression !== undefined || splitRoute(route).some((part) => pathGroupHolds(part, path));
}

/** Kong's answer after the router (kong/runloop/handler.lua, https-only routes): 426 or a redirect. */
function outcomeOf(winner: Candidate | undefined, determined: boolean, req: RouterRequest): Outcome {
  if (!determined) return { status: 'undetermined', message: "several routes in Kong's top priority band match; which one Kong picks is not fixed" };
  if (!winner) return { status: 404, message: 'no Route matched with those values' };
  const route = winner.part.route;
  const protocols = route.protocols ?? [];
  if (req.scheme === 'http' && protocols.includes('https') && !protocols.includes('http')) {
    const code = route.httpsRedirectStatusCode;
    if (code === 301 || code === 302 || code === 307 || code === 308) return { status: code, message: `Location: https://${(req.host ?? '').toLowerCase()}${req.target}` }; // nginx $host: lower case, no port
    return { status: 426, message: 'Please use HTTPS protocol' };
  }
  return { status: 'proxied' };
}
