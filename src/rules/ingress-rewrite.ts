// konghq.com/rewrite on an Ingress: KIC 3.x translates it only with its RewriteURIs feature gate (off by default;
// the setting rewriteURIs says it is on). Without it, or with it for a value KIC cannot parse, the Kong service holding
// the route fails as a whole (translate/kic-drops.ts), so every route in it, other Ingresses' routes to the same
// Service port or KongServiceFacade included, is left out of Kong.
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
    'With the gate (the ingress-guard setting rewriteURIs: true) KIC reads $1, $2... as the route\'s regex captures and \\$ as a ' +
    'literal $; any other use of $ or \\ fails the service in the same way. ' +
    'The rule warns rather than denies because ingress-guard cannot see KIC\'s feature gates.',
  examples: {
    bad: KONG_BASE + ingress('rewriting', pathRule('/v1'), 'konghq.com/rewrite: /api/$1'),
    good: KONG_BASE + ingress('rewriting', pathRule('/v1'), 'konghq.com/strip-path: "true"'),
  },
  kinds: ['Ingress'],
  check({ tr }, subject) {
    return tr.droppedServices(subject).flatMap((d): Draft[] => {
      if (d.why !== 'rewrite' && d.why !== 'rewrite-invalid') return [];
      const own = refKey(d.cause) === refKey(refOf(subject));
      const routes = `the route${d.routes.length === 1 ? '' : 's'} ${plainList(d.routes.map((r) => r.name))} of ${name(subject)}: Kong answers their requests 404 unless another route matches them.`;
      if (d.why === 'rewrite-invalid') {
        return [
          {
            field: own ? FIELD : 'spec.rules',
            discriminator: d.service,
            related: own ? [] : [d.cause],
            message:
              `${name(subject)}${own ? ` sets konghq.com/rewrite to ${JSON.stringify(subject.metadata.annotations?.['konghq.com/rewrite'])}, which` : `'s routes share a Kong service with ${name(d.cause)}, whose konghq.com/rewrite`} KIC cannot parse ` +
              `(${d.error ?? ''}): KIC drops the Kong service ${d.service} and with it ${routes}`,
            fix: `write the rewrite with $1, $2... for the path's regex captures and \\$ for a literal $${own ? '' : ` (in ${name(d.cause)})`}.`,
          },
        ];
      }
      return [
        {
          field: own ? FIELD : 'spec.rules',
          discriminator: d.service,
          related: own ? [] : [d.cause],
          message:
            `${name(subject)}${own ? ' sets konghq.com/rewrite' : `'s routes share a Kong service with ${name(d.cause)}, which sets konghq.com/rewrite`}. ` +
            `Unless KIC runs with --feature-gates=RewriteURIs=true (off by default), KIC drops the Kong service ${d.service} and with it ${routes}`,
          fix: own
            ? 'remove konghq.com/rewrite (konghq.com/strip-path or a request-transformer KongPlugin can do the rewrite), or enable the RewriteURIs feature gate in KIC and set rewriteURIs: true in the ingress-guard configuration.'
            : `remove konghq.com/rewrite from ${name(d.cause)}, or enable KIC's RewriteURIs feature gate and set rewriteURIs: true in the ingress-guard configuration.`,
        },
      ];
    });
  },
};
