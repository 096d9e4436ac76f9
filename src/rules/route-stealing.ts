// route-stolen: a change after which requests that another namespace's route served go to the changed object's
// routes (router.md §9). The definition is exact for every request it tries: a change to O steals q from route E
// iff Kong's winner for q was E before the change and is one of O's routes after it. Nothing is inferred from
// host or path strings; the router (src/router, Kong's own matching and priority) answers both questions.
//
// Which requests are tried (witnesses): built from the predicates of the victim route E and of the changed
// object's route S together (witness.ts), because a thief typically takes a sub-path the victim's own samples
// never name (`/api` vs `/api/v1`). A witness counts only when the router says E won it before, so a sample
// that matches nothing is harmless.
//
// Which victims: only routes that can serve one of the changed object's hosts, found through the routedHost
// index (the host itself, wildcards above it, host-less routes); never a scan of the cluster. Limits, on
// purpose: a changed route WITHOUT hosts is compared with host-less routes only (it could in principle outrank
// a wildcard-host route on some host, but finding those would mean reading every route), `prefix.*` host
// aliases are not looked up, and one change reports at most MAX_THEFTS victim routes. Where Kong's order is not
// fixed (two routes in its traditional top band) nothing is reported: the rule says only what the router knows.
//
// When: only on the changed object during a change (ctx.before set, and the subject differs from its version
// before). A whole-state audit (`check`, the problems report) has no "before", so this rule says nothing there:
// which of two coexisting routes "stole" from the other is a question about a change, not about a state.
import { keyOf, refOf, type K8sObject } from '../model/object.ts';
import { routedHosts } from '../model/hosts.ts';
import { kongOrder } from '../router/priority.ts';
import { pathMayMatch, winnerOf } from '../router/resolve.ts';
import { normaliseRequest, requestPath, type RequestInput, type RouterRequest } from '../router/request.ts';
import { isHttpRoute, routerFlavorOf, routerRoute } from '../trace/trace.ts';
import type { KongRoute } from '../translate/kong.ts';
import type { Translator } from '../translate/translator.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { name } from './text.ts';
import { hostNeighbours, pathNarrowed, resolver, witnesses, witnessUrl } from './witness.ts';
import { KONG_BASE } from './example-base.ts';

const KINDS = ['Ingress', 'HTTPRoute'] as const;

/** At most this many victim routes are reported for one change (each costs whole-neighbourhood resolutions). */
const MAX_THEFTS = 10;

interface Theft {
  victim: K8sObject;
  route: KongRoute;
  thief: KongRoute;
  witness: RequestInput;
  why: string;
}

function thefts(ctx: RuleContext & { before: Translator }, subject: K8sObject): Theft[] {
  const ours = ctx.tr.routesOf(subject).filter(isHttpRoute);
  if (!ours.length) return [];
  const ourIds = new Set(ours.map((r) => r.id));
  const victims = hostNeighbours(ctx.view, routedHosts(subject)).filter(
    (o) => (KINDS as readonly string[]).includes(o.kind) && o.metadata.namespace !== subject.metadata.namespace,
  );
  // Victim routes share many witnesses (hosts and paths of ours are in each set): resolve each request once per check.
  const once = <T>(answer: (req: RouterRequest) => T) => {
    const known = new Map<string, T>();
    return (req: RouterRequest, key: string): T => {
      let found = known.get(key);
      if (found === undefined && !known.has(key)) known.set(key, (found = answer(req)));
      return found as T;
    };
  };
  const beforeResolver = resolver(ctx.before);
  const afterResolver = resolver(ctx.tr);
  const before = once((req) => beforeResolver.winner(req)?.part.route.id);
  const after = once((req) => afterResolver.winner(req)?.part.route);
  const flavor = routerFlavorOf(ctx.tr);
  const ourRoutes = pathNarrowed(ours.map(routerRoute));
  const ourWinner = once((req) => winnerOf(ourRoutes.candidates(req.path), req, flavor));
  const out: Theft[] = [];
  for (const victim of victims) {
    const then = ctx.before.view.get(keyOf(victim));
    if (!then) continue;
    for (const route of ctx.before.routesOf(then).filter(isHttpRoute)) {
      const found = theftOf(route);
      if (found) out.push({ victim, ...found });
      if (out.length >= MAX_THEFTS) return out;
    }
  }
  return out;

  function theftOf(route: KongRoute): Omit<Theft, 'victim'> | undefined {
    const victimRoute = routerRoute(route);
    const victimRouter = [victimRoute];
    // Most witnesses have a path the victim does not serve, and so cannot be stolen from it: not even built (witnesses()).
    const servedPaths = new Map<string, boolean>();
    const victimServes = (target: string) => {
      let served = servedPaths.get(target);
      if (served === undefined) servedPaths.set(target, (served = pathMayMatch(victimRoute, requestPath(target))));
      return served;
    };
    const tried = new Set<string>();
    for (const s of ours) {
      for (const q of witnesses(route, s, victimServes)) {
        const key = q.key;
        if (tried.has(key)) continue;
        tried.add(key);
        const req = normaliseRequest(q);
        // Cheap first, on the two routes alone: the victim and one of ours match q, and ours comes first in Kong's
        // order. Only the change's routes differ between before and after, so without that no route of ours can win
        // q where the victim won it. Then the exact question, on the whole neighbourhoods before and after.
        const e = winnerOf(victimRouter, req, flavor);
        const t = e && ourWinner(req, key);
        if (!e || !t || kongOrder(t, e) > 0) continue;
        if (before(req, key) !== route.id) continue;
        const winner = after(req, key);
        if (!winner || !ourIds.has(winner.id)) continue;
        // Found: only now the whole resolution, for why the victim's route loses.
        const lost = afterResolver.resolve(q).shadowed.find((l) => l.candidate.part.route.id === route.id);
        return { route, thief: winner.provenance!, witness: q, why: lost ? lost.why.message : `it matches, and ${route.name} no longer does` };
      }
    }
    return undefined;
  }
}

/** An Ingress of the examples: one Prefix path to the namespace's Service echo. */
function teamIngress(namespace: string, name: string, path: string, host = 'app.example.com'): string {
  return `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  ingressClassName: kong
  rules:
  - host: ${host}
    http:
      paths:
      - {path: ${path}, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}
`;
}

export const routeStolen: Rule = {
  id: 'route-stolen',
  severity: 'warn',
  judgesChanges: true,
  summary: "A change makes Kong send requests that a route of another namespace served to the changed object's routes instead.",
  explanation:
    "Judged on the changed object only, with Kong's own router (matching and the priority Kong 3.x computes, ties by route ID): " +
    'requests built from both routes\' hosts, paths, methods and headers, over http and https, are resolved before and after the change; ' +
    "a request the other namespace's route won before and the changed object's route wins after is stolen. Candidates are the routes " +
    'serving the changed object\'s hosts (same host, a wildcard above it, or no host). A whole-state audit has no "before" and reports nothing.',
  examples: {
    // Team a serves app.example.com/api (Prefix); team b's new Ingress takes /api/v1 on the same host (a longer path).
    state: KONG_BASE + teamIngress('team-a', 'api', '/api'),
    bad: teamIngress('team-b', 'api-v1', '/api/v1'),
    good: teamIngress('team-b', 'api-v1', '/api/v1', 'api.example.com'),
  },
  kinds: KINDS,
  check(ctx, subject) {
    const before = ctx.before;
    // Only the object the change touched can steal (§9); others judged in the change's scope are unchanged.
    if (!before || before.view.get(keyOf(subject)) === subject) return [];
    return thefts({ ...ctx, before }, subject).map((t): Draft => {
      const { method = 'GET' } = t.witness;
      return {
        field: 'spec.rules',
        discriminator: `${keyOf(t.victim)}|${t.route.name}`,
        related: [refOf(t.victim)],
        message:
          `${name(subject)} takes requests that ${name(t.victim)} served: ${method} ${witnessUrl(t.witness)} went to its Kong route ${t.route.name} ` +
          `(service ${t.route.service}) and now goes to route ${t.thief.name} (service ${t.thief.service}), because ${t.why}.`,
        fix: `give ${subject.metadata.name} a host or path of its own that ${name(t.victim)} does not serve, or agree the move with namespace ${t.victim.metadata.namespace}.`,
      };
    });
  },
};

export const ROUTE_STEALING_RULES: readonly Rule[] = [routeStolen];
