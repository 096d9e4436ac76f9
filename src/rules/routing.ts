// Host and path conflicts between different routes.
import { keyOf, refOf, type K8sObject } from '../model/object.ts';
import { httpRouteView, ingressView } from '../model/views.ts';
import { olderFirst } from '../state/view.ts';
import { httpRouteMatchKeys, ingressMatchKeys } from '../model/matches.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { hostText, name } from './text.ts';
import { httpRoute, ingress, KONG_BASE, pathRule } from './example-base.ts';

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

export const ingressPathConflict: Rule = {
  id: 'ingress-path-conflict',
  severity: 'deny',
  summary: 'Two Ingresses of the class claim the same host and path.',
  explanation:
    'KIC turns both into Kong routes that match exactly the same requests; Kong then picks one by its own ordering and the other never receives traffic. ' +
    'Paths are compared the way Kubernetes defines them (Prefix ignores a trailing slash; Exact and ImplementationSpecific are verbatim), and konghq.com/methods and konghq.com/headers.* tell routes apart.',
  examples: {
    bad: KONG_BASE + ingress('web-a', pathRule('/', 'echo', 1027, 'app.example.com')) + ingress('web-b', pathRule('/', 'echo', 1027, 'app.example.com')),
    good: KONG_BASE + ingress('web-a', pathRule('/', 'echo', 1027, 'app.example.com')) + ingress('web-b', pathRule('/', 'echo', 1027, 'api.example.com')),
  },
  kinds: ['Ingress'],
  check(ctx, subject) {
    const view = ingressView(subject);
    return conflicts(ctx, subject, ingressMatchKeys(view, subject.metadata.annotations)).map(({ key, holder }): Draft => {
      const path = view.paths.find((p) => ingressMatchKeys({ ...view, paths: [p] }, subject.metadata.annotations)[0] === key)!;
      return {
        field: path.field,
        discriminator: key,
        related: [refOf(holder)],
        message:
          `${name(subject)} claims ${hostText(path.host)} path "${path.path}" (${path.pathType}) at ${path.field}, already claimed by ${name(holder)}. ` +
          `Kong gets two routes matching the same requests and sends them to only one, so one backend silently receives nothing.`,
        fix: `remove the path from one Ingress, or give them different hosts.`,
      };
    });
  },
};

export const httpRoutePathConflict: Rule = {
  id: 'httproute-path-conflict',
  severity: 'warn',
  summary: 'Two HTTPRoutes claim the same hostname, path and matchers.',
  explanation:
    'Gateway API defines the winner (the oldest route), so this is legal, but the newer route receives no traffic for that match. Usually a copy-paste mistake.',
  examples: {
    bad: KONG_BASE + httpRoute('route-a', '/shop') + httpRoute('route-a-copy', '/shop'),
    good: KONG_BASE + httpRoute('route-a', '/shop') + httpRoute('route-b', '/cart'),
  },
  kinds: ['HTTPRoute'],
  check(ctx, subject) {
    const view = httpRouteView(subject);
    return conflicts(ctx, subject, httpRouteMatchKeys(view)).map(({ key, holder }): Draft => {
      const [, host = '', path = ''] = key.split('|');
      return {
        field: 'spec.rules',
        discriminator: key,
        related: [refOf(holder)],
        message:
          `${name(subject)} matches ${hostText(host)} path ${path.replace(/^prefix:/, 'prefix ')}, as ${name(holder)} already does. ` +
          `Gateway API gives the match to the older route, so ${subject.metadata.name} receives no traffic for it.`,
        fix: `change the path or hostname, or merge the routes.`,
      };
    });
  },
};

export const ROUTING_RULES: readonly Rule[] = [ingressPathConflict, httpRoutePathConflict];
