// route-precedence: two routes of one namespace overlap, and Kong gives a request they both match to the one that
// is LESS specific by the precedence the objects' own API defines. Found with the router (src/router: Kong's
// matching and the priority Kong 3.x computes), not from host and path strings, so it sees overlap that the literal
// keys of ingress-path-conflict and httproute-path-conflict cannot: a wildcard host over an exact one, a regex over
// a prefix, a method or header match next to a longer path.
//
// Why only where precedence and Kong disagree (router.md §1.3, §4.2, §12): overlap itself is how routing is built
// (a longer path next to `/`, an exact host next to a wildcard, a regex next to a prefix) and Kong resolves it
// deterministically, so it is never denied and mostly not worth a word. What surprises users is Kong 3.x's order
// where it departs from "the most specific match wins": a route with only plain hosts outranks any wildcard or
// host-less one whatever their paths (bit 60), a regex path outranks every plain path however long (bit 51, Kong
// #10179, KIC #3394), and more matched fields outrank a longer path. Specificity follows the API: Ingress,
// the longest matching path, Exact before Prefix (an exact host before a wildcard); HTTPRoute, Gateway API's order
// (the most specific hostname, an Exact path, the longest prefix, a method, the most header matches). A regex counts
// as a prefix of its literal start; equal specificity (a duplicate, or regexes with one literal start) is never reported
// here. Two regexes Kong gives the same priority, whichever it picks by route ID (KIC #3789: regex against regex, in one
// Ingress), are regex-route-tie's, which leaves to this rule the ties it reports.
//
// Both directions, reported on the newer object (the older ones were there first): it takes a request the older
// route served and matches more specifically, or it never gets a request it matches more specifically. Across
// namespaces route-stolen judges the change; here the same namespace, in a change or an audit. Candidates come from
// the routedHost index (same host, wildcards above it, host-less), as for route-stolen; witnesses and who wins them
// come from witness.ts. Only the traditional_compatible router: with the expressions router KIC's priorities encode
// the precedence themselves (router.md §4.3). Routes to the same Kong service are skipped: either way the same
// backend answers (ingress-path-duplicate covers differing options on equal paths).
import { keyOf, refOf, type K8sObject } from '../model/object.ts';
import { routedHosts } from '../model/hosts.ts';
import { normaliseRequest, splitHostPort, type RequestInput, type RouterRequest } from '../router/request.ts';
import { kongOrder, undeterminedPair } from '../router/priority.ts';
import { winnerOf, type Match } from '../router/resolve.ts';
import { isRegexPath, pathStart } from '../router/route.ts';
import { olderFirst } from '../state/view.ts';
import { isHttpRoute, routerFlavorOf, routerRoute } from '../trace/trace.ts';
import type { KongRoute } from '../translate/kong.ts';
import { ingress, KONG_BASE } from './example-base.ts';
import { SECOND_SERVICE } from './routing.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { name } from './text.ts';
import { hostNeighbours, resolver, witnesses, witnessUrl } from './witness.ts';

const KINDS = ['Ingress', 'HTTPRoute'] as const;

/** At most this many findings for one object (each costs neighbourhood resolutions). */
const MAX_FINDINGS = 10;

/** How specifically a Kong route part matches a request, in the terms of the API its object comes from. */
export interface Specificity {
  /** 2 an exact host, 1 a wildcard (longer suffix: more specific), 0 none. */
  host: number;
  hostSuffix: number;
  /** The matched path is an Exact one (not the exact half of KIC's Prefix pair); a regex counts as a prefix. */
  exact: boolean;
  /** Characters of the matched path (a prefix without its trailing `/`; a regex: its literal start). */
  pathLength: number;
  /** The route matches on methods; on how many headers. */
  method: boolean;
  headers: number;
  /** The matched path as Kong has it, for the message. */
  path: string | undefined;
}

/** `~/p$` with no metacharacter in `/p`: KIC's Exact (or Prefix's exact half) as Kong gets it, an exact path. */
export function exactRegexPath(path: string): string | undefined {
  const m = /^~\^?([^\\.^$|?*+()[\]{}]*)\$$/.exec(path);
  return m?.[1];
}

export function specificity(c: Match<KongRoute>, req: RouterRequest): Specificity {
  const r = c.part.route;
  const hosts = (r.hosts ?? []).map((h) => splitHostPort(h).host);
  const wildcard = hosts.filter((h) => h.includes('*') && (h.startsWith('*.') ? req.host?.endsWith(h.slice(1)) : req.host?.startsWith(h.slice(0, -1))));
  const host = req.host !== undefined && hosts.includes(req.host) ? 2 : wildcard.length ? 1 : 0;
  const hostSuffix = host === 1 ? Math.max(...wildcard.map((h) => h.length)) : 0;
  const path = c.matchedPath;
  const literal = path === undefined ? undefined : exactRegexPath(path);
  // KIC's Prefix /p is the pair `~/p$` and `/p/`: its exact half is still a Prefix match.
  const exact = literal !== undefined && !r.paths?.includes(literal.endsWith('/') ? literal : `${literal}/`);
  const trimmed = (p: string) => (p.length > 1 && p.endsWith('/') ? p.length - 1 : p.length);
  const pathLength = path === undefined ? 0 : literal !== undefined ? (exact ? literal.length : trimmed(literal)) : isRegexPath(path) ? pathStart(path).length : trimmed(path);
  return { host, hostSuffix, exact, pathLength, method: !!r.methods?.length, headers: Object.keys(r.headers ?? {}).length, path };
}

/** Positive when `a` is the more specific match by the API of `kind` (Ingress or HTTPRoute), negative for `b`, 0 for neither. */
export function moreSpecific(a: Specificity, b: Specificity, kind: string): number {
  const path = (s: Specificity) => (kind === 'HTTPRoute' ? [Number(s.exact), s.pathLength] : [s.pathLength, Number(s.exact)]);
  const key = (s: Specificity) => [s.host, s.hostSuffix, ...path(s), Number(s.method), s.headers];
  const [ka, kb] = [key(a), key(b)];
  const i = ka.findIndex((v, j) => v !== kb[j]);
  return i < 0 ? 0 : ka[i]! - kb[i]!;
}

const PRECEDENCE: Record<string, string> = {
  Ingress: "the Ingress API's precedence (the longest matching path, Exact before Prefix; an exact host before a wildcard)",
  HTTPRoute: "Gateway API's precedence (the most specific hostname, then an Exact path, the longest prefix, a method match, the most header matches)",
};

function matchText(s: Specificity, r: KongRoute): string {
  const host = s.host === 2 ? 'its exact host' : s.host === 1 ? `wildcard host ${r.hosts.filter((h) => h.includes('*')).join(', ')}` : 'no host';
  const path =
    s.path === undefined
      ? 'every path'
      : s.exact
        ? `exactly ${exactRegexPath(s.path)}`
        : exactRegexPath(s.path) !== undefined
          ? `prefix ${exactRegexPath(s.path)}`
          : isRegexPath(s.path)
            ? `regex ${s.path.slice(1)} (literal start "${pathStart(s.path)}")`
            : `prefix ${s.path}`;
  const extra = [...(s.method ? [`methods ${r.methods.join(', ')}`] : []), ...(s.headers ? [`${s.headers} header match${s.headers > 1 ? 'es' : ''}`] : [])];
  return [host, path, ...extra].join(', ');
}

/** Whether some request path can match both routes: one literal path start must begin with the other (pathStart). */
export function pathsMayOverlap(a: KongRoute, b: KongRoute): boolean {
  const starts = (r: KongRoute) => (r.paths.length ? r.paths.map(pathStart) : ['']);
  const sb = starts(b);
  return starts(a).some((x) => sb.some((y) => x.startsWith(y) || y.startsWith(x)));
}

interface Surprise {
  older: K8sObject;
  theirs: KongRoute;
  ours: KongRoute;
  witness: RequestInput;
  /** `takes`: ours wins a request the older route served and matches more specifically; `shadowed`: the reverse. */
  direction: 'takes' | 'shadowed';
  why: string;
  theirMatch: string;
  ourMatch: string;
}

/** Older managed objects of the subject's kind and namespace whose routes can serve one of its hosts, oldest first. */
function olderNeighbours(ctx: RuleContext, subject: K8sObject): K8sObject[] {
  const order = olderFirst(ctx.view, keyOf);
  return hostNeighbours(ctx.view, routedHosts(subject))
    .filter((o) => o.kind === subject.kind && o.metadata.namespace === subject.metadata.namespace && keyOf(o) !== keyOf(subject) && order(o, subject) < 0 && ctx.tr.isManaged(o))
    .sort(order);
}

function surprises(ctx: RuleContext, subject: K8sObject): Surprise[] {
  if (routerFlavorOf(ctx.tr) !== 'traditional_compatible' || !ctx.tr.isManaged(subject)) return [];
  const ours = ctx.tr.routesOf(subject).filter(isHttpRoute);
  if (!ours.length) return [];
  const ourIds = new Set(ours.map((r) => r.id));
  const who = resolver(ctx.tr);
  const flavor = routerFlavorOf(ctx.tr);
  const out: Surprise[] = [];
  for (const older of olderNeighbours(ctx, subject)) {
    for (const theirs of ctx.tr.routesOf(older).filter(isHttpRoute)) {
      const found = ours.flatMap((s) => (s.service === theirs.service || !pathsMayOverlap(theirs, s) ? [] : (surpriseOf(theirs, s) ?? [])))[0];
      if (found) out.push({ older, ...found });
      if (out.length >= MAX_FINDINGS) return out;
    }
  }
  return out;

  function surpriseOf(theirs: KongRoute, s: KongRoute): Omit<Surprise, 'older'> | undefined {
    // witnesses() yields each request once (a product of deduplicated hosts, paths, methods, headers and schemes).
    for (const q of witnesses(theirs, s)) {
      // Cheap first, on each route alone: both must match q, and the API must rank one above the other.
      const req = normaliseRequest(q);
      const e = winnerOf([routerRoute(theirs)], req, flavor);
      const t = e && winnerOf([routerRoute(s)], req, flavor);
      if (!e || !t) continue;
      const [theirSpec, ourSpec] = [specificity(e, req), specificity(t, req)];
      const cmp = moreSpecific(theirSpec, ourSpec, subject.kind);
      // Then on the pair: Kong must order them against the API (the more specific one tried second), and fixedly.
      if (cmp === 0 || undeterminedPair(e.priority, t.priority) || (cmp > 0 ? kongOrder(t, e) : kongOrder(e, t)) > 0) continue;
      const winner = who.winner(req)?.part.route.id;
      const base = { theirs, ours: s, witness: q, theirMatch: matchText(theirSpec, theirs), ourMatch: matchText(ourSpec, s) };
      // Found: only now the whole resolution, for why the loser loses.
      if (cmp > 0 && winner === s.id && who.winner(req, ourIds)?.part.route.id === theirs.id) {
        const lost = who.resolve(q).shadowed.find((l) => l.candidate.part.route.id === theirs.id);
        if (lost) return { ...base, direction: 'takes', why: lost.why.message };
      }
      if (cmp < 0 && winner === theirs.id) {
        const lost = who.resolve(q).shadowed.find((l) => l.candidate.part.route.id === s.id);
        if (lost) return { ...base, direction: 'shadowed', why: lost.why.message };
      }
    }
    return undefined;
  }
}

/** An Ingress of the examples: one path on app.example.com to a Service's port 1027. */
const appIngress = (name: string, path: string, pathType: string, service: string) =>
  ingress(name, `  rules: [{host: app.example.com, http: {paths: [{path: "${path}", pathType: ${pathType}, backend: {service: {name: ${service}, port: {number: 1027}}}}]}}]\n`);

export const routePrecedence: Rule = {
  id: 'route-precedence',
  severity: 'warn',
  summary:
    'Two routes of one namespace overlap and Kong gives a request they both match to the less specific one (by Ingress or Gateway API precedence), because of how Kong 3.x orders routes.',
  explanation:
    "Judged with Kong's own router (matching and the priority Kong 3.x computes): requests built from both routes' hosts, paths, methods and " +
    'headers are resolved against the routes that can serve their host. Overlap alone is normal and never reported; a finding means Kong ' +
    'picks the route that the API calls less specific: Kong 3.x ranks a route with only plain hosts above any wildcard or host-less route, ' +
    'then a regex path above every plain path however long, then more matched fields above a longer path. Reported on the newer of the two ' +
    'objects, in both directions (it takes such requests, or never gets them). Same namespace and same kind only (route-stolen judges ' +
    'changes across namespaces); traditional_compatible router only; routes to the same Kong service are not compared.',
  examples: {
    // A Prefix /api/v1/users, then a regex over /api/v<n> (ImplementationSpecific /~): in Kong 3.x the regex outranks the longer prefix.
    bad: KONG_BASE + SECOND_SERVICE + appIngress('users', '/api/v1/users', 'Prefix', 'echo') + appIngress('versions', '/~/api/v[0-9]+', 'ImplementationSpecific', 'echo-v2'),
    good: KONG_BASE + SECOND_SERVICE + appIngress('users', '/api/v1/users', 'Prefix', 'echo') + appIngress('versions', '/~/api/v[0-9]+/orders', 'ImplementationSpecific', 'echo-v2'),
  },
  kinds: KINDS,
  check(ctx, subject) {
    return surprises(ctx, subject).map((s): Draft => {
      const { method = 'GET' } = s.witness;
      const request = `${method} ${witnessUrl(s.witness)}`;
      const precedence = PRECEDENCE[subject.kind]!;
      const common = { field: 'spec.rules', discriminator: `${keyOf(s.older)}|${s.theirs.name}`, related: [refOf(s.older)] };
      if (s.direction === 'takes') {
        return {
          ...common,
          message:
            `${name(subject)} takes ${request} from ${name(s.older)}: Kong sends it to route ${s.ours.name} (service ${s.ours.service}) instead of ${s.theirs.name} ` +
            `(service ${s.theirs.service}), because ${s.why}; yet the match of ${s.older.metadata.name} (${s.theirMatch}) is more specific than that of ${subject.metadata.name} ` +
            `(${s.ourMatch}) by ${precedence}.`,
          fix: `narrow ${subject.metadata.name}'s path or host so that it no longer matches these requests, or, if the move is meant, remove the path from ${s.older.metadata.name}.`,
        };
      }
      return {
        ...common,
        message:
          `${name(subject)} never receives ${request}, although its match (${s.ourMatch}) is more specific than that of ${name(s.older)} (${s.theirMatch}) by ${precedence}: ` +
          `Kong sends it to route ${s.theirs.name} of ${s.older.metadata.name} (service ${s.theirs.service}) instead of ${s.ours.name} (service ${s.ours.service}), because ${s.why}.`,
        fix: `narrow ${s.older.metadata.name}'s path so that it no longer matches these requests, or change ${subject.metadata.name}'s match so that Kong ranks it first (see the reason above).`,
      };
    });
  },
};

export const ROUTE_PRECEDENCE_RULES: readonly Rule[] = [routePrecedence];
