// Host and path conflicts between different routes.
import { keyOf, refKey, refOf, type K8sObject } from '../model/object.ts';
import { HEADERS_ANNOTATION_PREFIX, METHODS_ANNOTATION, PLUGINS_ANNOTATION } from '../model/annotations.ts';
import { httpRouteView, ingressView, type IngressPath, type IngressView } from '../model/views.ts';
import { olderFirst } from '../state/view.ts';
import { httpRouteMatchKeys, ingressMatchKeys } from '../model/matches.ts';
import { normaliseRequest, type RequestInput } from '../router/request.ts';
import { winnerOf } from '../router/resolve.ts';
import { isHttpRoute, routerFlavorOf, routerRoute } from '../trace/trace.ts';
import type { KongRoute } from '../translate/kong.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { resolver, witnesses, witnessUrl } from './witness.ts';
import { hostText, name, plainList } from './text.ts';
import { httpRoute, ingress, KONG_BASE, pathRule } from './example-base.ts';

const FORCE_SSL_REDIRECT = 'ingress.kubernetes.io/force-ssl-redirect';
/** A second Service for the examples. */
export const SECOND_SERVICE = `---
apiVersion: v1
kind: Service
metadata: {name: echo-v2, namespace: default}
spec: {ports: [{name: http, port: 1027}]}
`;

/** For each match key of the subject, the oldest other managed object claiming the same key, if older. */
function conflicts(ctx: RuleContext, subject: K8sObject, keys: string[]): { key: string; holder: K8sObject }[] {
  if (!ctx.tr.isManaged(subject)) return [];
  const order = olderFirst(ctx.view, keyOf);
  return keys.flatMap((key) => {
    const holder = ctx.view
      .lookup('hostPath', key)
      .filter((o) => o.kind === subject.kind && keyOf(o) !== keyOf(subject) && ctx.tr.isManaged(o) && order(o, subject) < 0)
      .sort(order)[0];
    return holder ? [{ key, holder }] : [];
  });
}

/** Where a path of an Ingress sends requests: the Service and its port, a named port resolved when the Service exists. */
function backendOf(ctx: RuleContext, ingress: K8sObject, path: IngressPath): string {
  const ns = ingress.metadata.namespace ?? '';
  const b = path.backend;
  if (!b.serviceName) return `resource:${JSON.stringify(b.resource ?? {})}`;
  const service = ctx.view.get(refKey({ group: '', kind: 'Service', namespace: ns, name: b.serviceName }));
  const port = b.portNumber ?? b.portName;
  const resolved = service ? (ctx.tr.servicePort(service, port) ?? port) : port;
  return `${ns}/${b.serviceName}:${resolved ?? ''}`;
}

function backendText(backend: string): string {
  return backend.startsWith('resource:') ? 'a backend resource' : `Service ${backend.replace(/:$/, '')}`;
}

/**
 * What KIC puts on an Ingress's Kong routes besides their matchers (kongstate/route.go, the plugins annotation):
 * route-level konghq.com/ annotations, plugins as a set, and the legacy force-ssl-redirect. Methods and headers.* are
 * matchers (part of the key); tags change no behaviour.
 */
function routeOptions(ingress: K8sObject): Map<string, string> {
  const options = new Map<string, string>();
  for (const [key, value] of Object.entries(ingress.metadata.annotations ?? {})) {
    if (key === PLUGINS_ANNOTATION) options.set(key, [...new Set(value.split(',').map((p) => p.trim()).filter(Boolean))].sort().join(','));
    else if (key === FORCE_SSL_REDIRECT || (key.startsWith('konghq.com/') && !key.startsWith(HEADERS_ANNOTATION_PREFIX) && key !== METHODS_ANNOTATION && key !== 'konghq.com/tags')) options.set(key, value);
  }
  return options;
}

function optionDifferences(a: K8sObject, b: K8sObject): string[] {
  const [oa, ob] = [routeOptions(a), routeOptions(b)];
  return [...new Set([...oa.keys(), ...ob.keys()])].filter((k) => oa.get(k) !== ob.get(k)).sort();
}

interface Shared {
  key: string;
  path: IngressPath;
  /** The oldest older Ingress claiming the key with another backend. */
  conflict?: { holder: K8sObject; theirs: string; ours: string };
  /** Otherwise, the oldest older Ingress claiming it for the same backend with other route options. */
  duplicate?: { holder: K8sObject; differences: string[]; backend: string };
}

/**
 * For each host+path+matchers key of the subject that older managed Ingresses also claim: a conflict when one of them
 * sends it elsewhere; a duplicate when all send it to the same backend but one configures its route differently.
 */
function sharedKeys(ctx: RuleContext, subject: K8sObject): Shared[] {
  if (!ctx.tr.isManaged(subject)) return [];
  const view = ingressView(subject);
  const annotations = subject.metadata.annotations;
  const order = olderFirst(ctx.view, keyOf);
  // Each path's key once (ingressMatchKeys of the path alone), in the order of the object's keys.
  const pathsByKey = (v: IngressView, anns: Record<string, string> | undefined) => {
    const byKey = new Map<string, IngressPath[]>();
    for (const p of v.paths) {
      const key = ingressMatchKeys({ ...v, paths: [p] }, anns)[0]!;
      byKey.set(key, [...(byKey.get(key) ?? []), p]);
    }
    return byKey;
  };
  const out: Shared[] = [];
  for (const [key, ours] of pathsByKey(view, annotations)) {
    const ourBackends = new Set(ours.map((p) => backendOf(ctx, subject, p)));
    const holders = ctx.view
      .lookup('hostPath', key)
      .filter((o) => o.kind === 'Ingress' && keyOf(o) !== keyOf(subject) && ctx.tr.isManaged(o) && order(o, subject) < 0)
      .sort(order);
    let shared: Shared | undefined;
    for (const holder of holders) {
      const theirs = (pathsByKey(ingressView(holder), holder.metadata.annotations).get(key) ?? []).map((p) => backendOf(ctx, holder, p));
      const other = theirs.find((b) => !ourBackends.has(b)) ?? [...ourBackends].find((b) => !theirs.includes(b));
      if (other !== undefined) {
        shared = { key, path: ours[0]!, conflict: { holder, theirs: theirs[0]!, ours: [...ourBackends][0]! } };
        break;
      }
      const differences = optionDifferences(subject, holder);
      if (differences.length && !shared) shared = { key, path: ours[0]!, duplicate: { holder, differences, backend: theirs[0]! } };
    }
    if (shared) out.push(shared);
  }
  return out;
}

const ROUTE_ORDER =
  'Kong gets two routes with the same matchers and sends every such request to one of them, chosen by route ID (a hash of the route name, not the older object)';

export const ingressPathConflict: Rule = {
  id: 'ingress-path-conflict',
  severity: 'deny',
  summary: 'Two Ingresses of the class send the same host and path to different backends.',
  explanation:
    'KIC turns both into Kong routes that match exactly the same requests; Kong\'s router then picks one by route ID (a hash of its name, ' +
    'not its age), and the other backend never receives that traffic. Paths are compared the way Kubernetes defines them (Prefix ignores a ' +
    'trailing slash; Exact and ImplementationSpecific are verbatim), and konghq.com/methods and konghq.com/headers.* tell routes apart. ' +
    'Two Ingresses that send the same host and path to the same Service and port are not a conflict: whichever route wins, the same ' +
    'backend answers (ingress-path-duplicate warns when their route options differ).',
  examples: {
    bad: KONG_BASE + SECOND_SERVICE + ingress('web-a', pathRule('/', 'echo', 1027, 'app.example.com')) + ingress('web-b', pathRule('/', 'echo-v2', 1027, 'app.example.com')),
    good: KONG_BASE + SECOND_SERVICE + ingress('web-a', pathRule('/', 'echo', 1027, 'app.example.com')) + ingress('web-b', pathRule('/', 'echo-v2', 1027, 'api.example.com')),
  },
  kinds: ['Ingress'],
  check(ctx, subject) {
    return sharedKeys(ctx, subject).flatMap(({ key, path, conflict }): Draft[] => {
      if (!conflict) return [];
      return [
        {
          field: path.field,
          discriminator: key,
          related: [refOf(conflict.holder)],
          message:
            `${name(subject)} sends ${hostText(path.host)} path "${path.path}" (${path.pathType}) at ${path.field} to ${backendText(conflict.ours)}, ` +
            `while ${name(conflict.holder)} already sends it to ${backendText(conflict.theirs)}. ${ROUTE_ORDER}, so one backend silently receives nothing.`,
          fix: `remove the path from one Ingress, give them different hosts, or send both to the same Service.`,
        },
      ];
    });
  },
};

export const ingressPathDuplicate: Rule = {
  id: 'ingress-path-duplicate',
  severity: 'warn',
  summary: 'Two Ingresses send the same host and path to the same Service but configure the route differently (plugins, konghq.com/ annotations).',
  explanation:
    'Both Kong routes match the same requests and lead to the same Kong service, so the same backend answers either way; but Kong applies ' +
    'only the winning route, chosen by route ID (a hash of its name, not its age): its plugins (authentication, rate limits) and its options ' +
    '(strip-path, protocols, preserve-host, ...) apply to every such request, the other route\'s never. Identical copies are not reported.',
  examples: {
    bad: KONG_BASE + ingress('web-a', pathRule('/', 'echo', 1027, 'app.example.com'), 'konghq.com/strip-path: "true"') + ingress('web-b', pathRule('/', 'echo', 1027, 'app.example.com')),
    good: KONG_BASE + ingress('web-a', pathRule('/', 'echo', 1027, 'app.example.com'), 'konghq.com/strip-path: "true"') + ingress('web-b', pathRule('/', 'echo', 1027, 'app.example.com'), 'konghq.com/strip-path: "true"'),
  },
  kinds: ['Ingress'],
  check(ctx, subject) {
    return sharedKeys(ctx, subject).flatMap(({ key, path, duplicate }): Draft[] => {
      if (!duplicate) return [];
      return [
        {
          field: path.field,
          discriminator: key,
          related: [refOf(duplicate.holder)],
          message:
            `${name(subject)} sends ${hostText(path.host)} path "${path.path}" (${path.pathType}) to ${backendText(duplicate.backend)}, as ${name(duplicate.holder)} does, ` +
            `but they differ in ${plainList(duplicate.differences)}. ${ROUTE_ORDER}: only that route's plugins and options apply.`,
          fix: `make the two Ingresses' ${plainList(duplicate.differences)} the same, or remove the path from one of them.`,
        },
      ];
    });
  },
};

/**
 * Which of two HTTPRoutes with a shared match Kong really picks, on a request both match: Gateway API gives it to
 * the older route, but KIC only sends Kong two routes, and under traditional_compatible Kong breaks their tie by
 * route ID (a hash of the name); KIC's expression priorities do follow age. The router answers (witness.ts).
 */
function duplicateWinner(ctx: RuleContext, holder: K8sObject, subject: K8sObject): { witness: RequestInput; winner: KongRoute; why: string } | undefined {
  const flavor = routerFlavorOf(ctx.tr);
  const who = resolver(ctx.tr);
  const theirs = ctx.tr.routesOf(holder).filter(isHttpRoute);
  const ours = ctx.tr.routesOf(subject).filter(isHttpRoute);
  for (const h of theirs) {
    for (const s of ours) {
      const [rh, rs] = [routerRoute(h), routerRoute(s)];
      for (const q of witnesses(h, s)) {
        const req = normaliseRequest(q);
        if (!winnerOf([rh], req, flavor) || !winnerOf([rs], req, flavor)) continue;
        const now = who.resolve(q);
        const winner = now.winner?.part.route.provenance;
        const loser = winner?.id === s.id ? h.id : winner?.id === h.id ? s.id : undefined;
        const lost = loser && now.shadowed.find((l) => l.candidate.part.route.id === loser);
        if (winner && lost) return { witness: q, winner, why: lost.why.message };
      }
    }
  }
  return undefined;
}

export const httpRoutePathConflict: Rule = {
  id: 'httproute-path-conflict',
  severity: 'warn',
  summary: 'Two HTTPRoutes claim the same hostname, path and matchers.',
  explanation:
    'Gateway API gives such a match to the oldest route, but KIC hands Kong two routes with the same matchers: under traditional_compatible ' +
    'Kong picks one by route ID (a hash of its name, not its age), under the expressions router KIC\'s priorities pick the older one. The ' +
    "message names a request both match and the route Kong's router picks; the other receives none of it. Usually a copy-paste mistake.",
  examples: {
    bad: KONG_BASE + httpRoute('route-a', '/shop') + httpRoute('route-a-copy', '/shop'),
    good: KONG_BASE + httpRoute('route-a', '/shop') + httpRoute('route-b', '/cart'),
  },
  kinds: ['HTTPRoute'],
  check(ctx, subject) {
    const view = httpRouteView(subject);
    // The router's pick depends on the two routes only, not on which shared match key led to the holder.
    const winners = new Map<string, ReturnType<typeof duplicateWinner>>();
    return conflicts(ctx, subject, httpRouteMatchKeys(view)).map(({ key, holder }): Draft => {
      const [, host = '', path = ''] = key.split('|');
      if (!winners.has(keyOf(holder))) winners.set(keyOf(holder), duplicateWinner(ctx, holder, subject));
      const picked = winners.get(keyOf(holder));
      const consequence = !picked
        ? `Gateway API gives the match to the older route; Kong picks between their routes by priority and route ID, not by age.`
        : picked.winner.sources.some((r) => r.name === subject.metadata.name && r.namespace === subject.metadata.namespace)
          ? `Gateway API gives the match to the older route, but Kong sends ${picked.witness.method ?? 'GET'} ${witnessUrl(picked.witness)} to route ${picked.winner.name} of ${subject.metadata.name}, so ${holder.metadata.name} receives none of these requests: ${picked.why}.`
          : `Kong sends ${picked.witness.method ?? 'GET'} ${witnessUrl(picked.witness)} to route ${picked.winner.name} of ${holder.metadata.name}, so ${subject.metadata.name} receives none of these requests: ${picked.why}.`;
      return {
        field: 'spec.rules',
        discriminator: key,
        related: [refOf(holder)],
        message: `${name(subject)} matches ${hostText(host)} path ${path.replace(/^prefix:/, 'prefix ')}, as ${name(holder)} already does. ${consequence}`,
        fix: `change the path or hostname, or merge the routes.`,
      };
    });
  },
};

export const ROUTING_RULES: readonly Rule[] = [ingressPathConflict, ingressPathDuplicate, httpRoutePathConflict];
