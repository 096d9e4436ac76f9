// Class and parent rules: an object nobody serves is a 404 waiting to happen.
import { keyOf, refKey, refOf, type K8sObject } from '../model/object.ts';
import { ALL_GATEWAY_ROUTE_KINDS, gatewayClassName, ingressView, routeParentRefs } from '../model/views.ts';
import type { Rule } from './rule.ts';
import { didYouMean, name } from './text.ts';
import { httpRoute, ingress, KONG_BASE, pathRule } from './example-base.ts';

const GW = 'gateway.networking.k8s.io';

export const unknownIngressClass: Rule = {
  id: 'unknown-ingress-class',
  severity: 'deny',
  summary: 'spec.ingressClassName names an IngressClass that does not exist.',
  explanation:
    'An Ingress whose spec.ingressClassName names no IngressClass is served by no controller: no event, no address, and every request for its hosts ' +
    'falls to the default backend ("default backend - 404"). A typo such as "ngnix" is the usual cause.',
  examples: {
    bad: KONG_BASE + ingress('web', pathRule('/')).replace('ingressClassName: kong', 'ingressClassName: ngnix'),
    good: KONG_BASE + ingress('web', pathRule('/')),
  },
  kinds: ['Ingress'],
  check({ tr, view }, subject) {
    const v = ingressView(subject);
    if (v.classSource !== 'spec' || v.className === undefined || v.className === tr.config.ingressClass) return [];
    if (view.get(refKey({ group: 'networking.k8s.io', kind: 'IngressClass', name: v.className }))) return [];
    const known = [...new Set([...[...view.list('IngressClass')].map((c) => c.metadata.name), tr.config.ingressClass])].sort();
    return [
      {
        field: 'spec.ingressClassName',
        related: [],
        message:
          `${name(subject)} sets spec.ingressClassName "${v.className}", but no IngressClass "${v.className}" exists${didYouMean(v.className, known)}. ` +
          `No controller serves this Ingress: requests for its hosts get the default backend's 404.`,
        fix: `set spec.ingressClassName to an existing class (${known.join(', ')}).`,
      },
    ];
  },
};

export const unknownGatewayClass: Rule = {
  id: 'unknown-gateway-class',
  severity: 'warn',
  dangling: true,
  summary: 'A Gateway, or the Gateway a route (HTTPRoute, GRPCRoute, ...) attaches to, names a GatewayClass that does not exist.',
  explanation:
    'A Gateway whose gatewayClassName names no GatewayClass is reconciled by no controller, and neither are the routes attached to it. ' +
    'A warning by default: the GatewayClass may be created by the same apply.',
  examples: {
    bad: KONG_BASE.replace('gatewayClassName: kong', 'gatewayClassName: kongg'),
    good: KONG_BASE,
  },
  kinds: ['Gateway', ...ALL_GATEWAY_ROUTE_KINDS],
  check({ tr, view }, subject) {
    const known = () => [...view.list('GatewayClass')].map((c) => c.metadata.name).sort();
    const missingClass = (gateway: K8sObject) => {
      const cls = gatewayClassName(gateway);
      return cls && !view.get(refKey({ group: GW, kind: 'GatewayClass', name: cls })) ? cls : undefined;
    };
    if (subject.kind === 'Gateway') {
      const cls = missingClass(subject);
      if (!cls) return [];
      const names = known();
      return [
        {
          field: 'spec.gatewayClassName',
          related: [],
          message:
            `${name(subject)} sets gatewayClassName "${cls}", but no GatewayClass "${cls}" exists${didYouMean(cls, names)}. ` +
            `No controller programs this Gateway, so its routes receive no traffic.`,
          fix: `use an existing GatewayClass${names.length ? ` (${names.join(', ')})` : ''} or create it.`,
        },
      ];
    }
    if (!tr.readsKind(subject.kind)) return [];
    return routeParentRefs(subject).flatMap((p, i) => {
      if (p.group !== GW || p.kind !== 'Gateway') return [];
      const gateway = view.get(refKey({ group: GW, kind: 'Gateway', namespace: p.namespace, name: p.name }));
      const cls = gateway && missingClass(gateway);
      if (!gateway || !cls) return [];
      return [
        {
          field: `spec.parentRefs[${i}]`,
          discriminator: keyOf(gateway),
          related: [refOf(gateway)],
          message:
            `${name(subject)} attaches to ${name(gateway)}, whose GatewayClass "${cls}" does not exist. ` +
            `No controller programs that Gateway, so this route receives no traffic through it.`,
          fix: `give the Gateway an existing GatewayClass or create "${cls}".`,
        },
      ];
    });
  },
};

export const missingGateway: Rule = {
  id: 'missing-gateway',
  severity: 'warn',
  dangling: true,
  summary: 'A route\'s (HTTPRoute, GRPCRoute, ...) parentRef names a Gateway that does not exist.',
  explanation:
    'KIC attaches a Gateway API route only through parent Gateways of its GatewayClass. A parentRef to a missing Gateway attaches nothing; ' +
    'if no parent remains, the route is not translated at all.',
  examples: {
    bad: KONG_BASE + httpRoute('route-a', '/route-a').replace('parentRefs: [{name: kong}]', 'parentRefs: [{name: kong-internal}]'),
    good: KONG_BASE + httpRoute('route-a', '/route-a'),
  },
  kinds: ALL_GATEWAY_ROUTE_KINDS,
  check({ tr, view }, subject) {
    if (!tr.readsKind(subject.kind)) return [];
    return routeParentRefs(subject).flatMap((p, i) => {
      if (p.group !== GW || p.kind !== 'Gateway') return [];
      const ref = { group: GW, kind: 'Gateway', namespace: p.namespace, name: p.name };
      if (view.get(refKey(ref))) return [];
      return [
        {
          field: `spec.parentRefs[${i}]`,
          discriminator: refKey(ref),
          related: [ref],
          message:
            `${name(subject)} attaches to ${name(ref)} (spec.parentRefs[${i}]), which does not exist. ` +
            `The route is not programmed through that parent; with no parent left it serves nothing.`,
          fix: `create the Gateway or correct the parentRef.`,
        },
      ];
    });
  },
};

export const CLASS_REFERENCE_RULES: readonly Rule[] = [unknownIngressClass, unknownGatewayClass, missingGateway];
