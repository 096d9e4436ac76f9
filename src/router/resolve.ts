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
import { matchExpressionPart } from './expression-match.ts';
import { kongOrder, partPriority, type PartPriority, type PriorityModel, undeterminedPair, whyWins, type WinReason } from './priority.ts';
import { normaliseRequest, type RequestInput, type RouterRequest } from './request.ts';
import { type RoutePart, type RouterFlavor, type RouterRoute, splitRoute } from './route.ts';
import { matchTraditionalPart } from './traditional-match.ts';

export interface Candidate<P = unknown> {
  readonly part: RoutePart<P>;
  readonly priority: PartPriority;
  /** Every failing predicate group in Kong's order; empty for a match. */
  readonly failures: readonly Failure[];
  /** The reason to show: the first failure that is certain, else the first unevaluable one. */
  readonly failure: Failure | undefined;
  /** Predicate groups that hold (ranks near misses). */
  readonly passed: number;
  readonly matchedPath?: string;
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
