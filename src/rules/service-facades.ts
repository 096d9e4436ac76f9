// Ingress backends that are resources (backend.resource): KIC 3.5 translates only KongServiceFacades, and only with
// its KongServiceFacade feature gate; anything else is a translation failure that drops the path.
import { refKey, type ObjectRef } from '../model/object.ts';
import { FACADE_GROUP, isFacadeResource } from '../model/service-facade.ts';
import { classAnnotation, ingressView, type IngressBackend } from '../model/views.ts';
import type { Translator } from '../translate/translator.ts';
import type { Draft, Rule } from './rule.ts';
import { name } from './text.ts';
import { ingress, KONG_BASE } from './example-base.ts';

const ingressWithFacade = `---
apiVersion: incubator.ingress-controller.konghq.com/v1alpha1
kind: KongServiceFacade
metadata: {name: echo-public, namespace: default, annotations: {kubernetes.io/ingress.class: kong}}
spec: {backendRef: {name: echo, port: 1027}}
${ingress(
  'web',
  `  rules:
  - host: app.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          resource: {apiGroup: incubator.ingress-controller.konghq.com, kind: KongServiceFacade, name: echo-public}
`,
)}`;

/** Why KIC cannot use a resource backend, with the objects involved; undefined when it can (or the backend is a Service). */
function problem(tr: Translator, namespace: string, backend: IngressBackend): { why: string; fix: string; related: ObjectRef[] } | undefined {
  const r = backend.resource;
  if (!r || backend.serviceName) return undefined;
  if (!isFacadeResource(r)) {
    const kind = `${r.apiGroup ? `${r.apiGroup}/` : ''}${r.kind ?? ''}`;
    return { why: `is a ${kind} resource; KIC translates only KongServiceFacade (${FACADE_GROUP}) resources ("unknown resource type")`, fix: 'point the backend at a Service or a KongServiceFacade.', related: [] };
  }
  const ref: ObjectRef = { group: FACADE_GROUP, kind: 'KongServiceFacade', namespace, name: r.name ?? '' };
  if (!tr.config.kongServiceFacade) {
    return {
      why: `is ${name(ref)}, and KIC reads KongServiceFacades only with its KongServiceFacade feature gate, off by default (kongServiceFacade: false in the ingress-guard configuration)`,
      fix: 'run KIC with --feature-gates=KongServiceFacade=true and set kongServiceFacade: true in the ingress-guard configuration, or point the backend at a Service.',
      related: [ref],
    };
  }
  const facade = tr.view.get(refKey(ref));
  if (!facade) return { why: `is ${name(ref)}, which does not exist`, fix: `create ${name(ref)} or correct the backend.`, related: [ref] };
  if (!tr.isManaged(facade)) {
    const cls = classAnnotation(facade);
    return {
      why: `is ${name(ref)}, which is not of KIC's class (${cls === undefined ? 'no kubernetes.io/ingress.class, and KIC\'s IngressClass is not the default' : `kubernetes.io/ingress.class "${cls}"`}), so KIC never reads it`,
      fix: `annotate ${name(ref)} with kubernetes.io/ingress.class: ${tr.config.ingressClass}.`,
      related: [ref],
    };
  }
  return undefined;
}

export const unusableBackendResource: Rule = {
  id: 'unusable-backend-resource',
  severity: 'warn',
  dangling: true,
  summary: "An Ingress backend resource KIC cannot use: not a KongServiceFacade, a KongServiceFacade without KIC's feature gate, or one that does not exist or is not of the class. KIC drops the path.",
  explanation:
    'An Ingress backend may name a resource instead of a Service. KIC 3.5 translates only KongServiceFacades, and only with its KongServiceFacade ' +
    'feature gate (off by default; the ingress-guard setting kongServiceFacade says it is on); it reads only facades of its class. Otherwise it ' +
    'records a translation failure and skips the path (or the defaultBackend): no Kong route, requests get 404. A warning: the facade may be ' +
    'created by the same apply, and KIC may run with the gate on while ingress-guard is not told.',
  examples: {
    bad: KONG_BASE + ingressWithFacade,
    good: KONG_BASE + ingressWithFacade.replace('resource: {apiGroup: incubator.ingress-controller.konghq.com, kind: KongServiceFacade, name: echo-public}', 'service: {name: echo, port: {number: 1027}}'),
  },
  kinds: ['Ingress'],
  check({ tr }, subject) {
    if (!tr.isManaged(subject)) return [];
    const ns = subject.metadata.namespace ?? '';
    const view = ingressView(subject);
    const entries: { field: string; backend: IngressBackend; what: string }[] = view.paths.map((p) => ({ field: `${p.field}.backend.resource`, backend: p.backend, what: `the backend of ${p.field} ("${p.path}")` }));
    if (view.defaultBackend && tr.defaultBackendHolder() === subject) entries.push({ field: 'spec.defaultBackend.resource', backend: view.defaultBackend, what: 'spec.defaultBackend' });
    return entries.flatMap(({ field, backend, what }): Draft[] => {
      const p = problem(tr, ns, backend);
      if (!p) return [];
      return [
        {
          field,
          discriminator: field,
          related: p.related,
          message: `${name(subject)}: ${what} ${p.why}. KIC records a translation failure and skips it: Kong gets no route for it, so its requests go to whatever else matches them, or get 404.`,
          fix: p.fix,
        },
      ];
    });
  },
};

export const FACADE_RULES: readonly Rule[] = [unusableBackendResource];
