// konghq.com/rewrite on an Ingress: KIC 3.x translates it only with its RewriteURIs feature gate (off by default).
// Without it the Kong service holding the route fails as a whole (translate/kic-drops.ts), so every route in it,
// other Ingresses' routes to the same Service port or KongServiceFacade included, is left out of Kong.
import { refKey, refOf } from '../model/object.ts';
import { ingress, KONG_BASE, pathRule } from './example-base.ts';
import type { Draft, Rule } from './rule.ts';
import { name, plainList } from './text.ts';

const FIELD = 'metadata.annotations["konghq.com/rewrite"]';

export const ingressRewriteDropsService: Rule = {
  id: 'ingress-rewrite-drops-service',
  severity: 'warn',
  summary: 'An Ingress sets konghq.com/rewrite, which KIC translates only with its RewriteURIs feature gate.',
  explanation:
    'KIC (translate_ingress.go, MaybeRewriteURI) turns konghq.com/rewrite into a request-transformer only when it runs with ' +
    '--feature-gates=RewriteURIs=true, which is off by default. Without the gate the translation of the Kong service holding the ' +
    'route fails ("konghq.com/rewrite annotation not supported when rewrite uris disabled") and KIC leaves the whole service out: ' +
    'every route in it, including the routes other Ingresses have to the same Service port or KongServiceFacade, answers 404. ' +
    'The rule warns rather than denies because ingress-guard cannot see KIC\'s feature gates.',
  examples: {
    bad: KONG_BASE + ingress('rewriting', pathRule('/v1'), 'konghq.com/rewrite: /api/$1'),
    good: KONG_BASE + ingress('rewriting', pathRule('/v1'), 'konghq.com/strip-path: "true"'),
  },
  kinds: ['Ingress'],
  check({ tr }, subject) {
    return tr.droppedServices(subject).flatMap((d): Draft[] => {
      if (d.why !== 'rewrite') return [];
      const own = refKey(d.cause) === refKey(refOf(subject));
      return [
        {
          field: own ? FIELD : 'spec.rules',
          discriminator: d.service,
          related: own ? [] : [d.cause],
          message:
            `${name(subject)}${own ? ' sets konghq.com/rewrite' : `'s routes share a Kong service with ${name(d.cause)}, which sets konghq.com/rewrite`}. ` +
            `Unless KIC runs with --feature-gates=RewriteURIs=true (off by default), KIC drops the Kong service ${d.service} and with it the route${d.routes.length === 1 ? '' : 's'} ` +
            `${plainList(d.routes.map((r) => r.name))} of ${name(subject)}: Kong answers their requests 404 unless another route matches them.`,
          fix: own
            ? 'remove konghq.com/rewrite (konghq.com/strip-path or a request-transformer KongPlugin can do the rewrite), or enable the RewriteURIs feature gate in KIC and set this rule to off.'
            : `remove konghq.com/rewrite from ${name(d.cause)}, or enable KIC's RewriteURIs feature gate and set this rule to off.`,
        },
      ];
    });
  },
};
