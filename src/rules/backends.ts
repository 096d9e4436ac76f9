// Backend rules: Services and ports that a route sends traffic to, and the cluster-wide fallback.
import { keyOf, refKey, refOf, type ObjectRef } from '../model/object.ts';
import { httpRouteView, ingressView, servicePorts } from '../model/views.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { name } from './text.ts';
import type { K8sObject } from '../model/object.ts';
import { DEFAULT_BACKEND, ingress, KONG_BASE, pathRule } from './example-base.ts';

interface Backend {
  service: ObjectRef;
  port: number | string | undefined;
  field: string;
}

function backendsOf(subject: K8sObject, isHolder: (ingress: K8sObject) => boolean): Backend[] {
  const ns = subject.metadata.namespace ?? '';
  const svc = (n: string): ObjectRef => ({ group: '', kind: 'Service', namespace: ns, name: n });
  if (subject.kind === 'Ingress') {
    const v = ingressView(subject);
    const out: Backend[] = [];
    // Only the default backend KIC uses counts; the others are duplicate-default-backend's business.
    if (v.defaultBackend?.serviceName && isHolder(subject)) out.push({ service: svc(v.defaultBackend.serviceName), port: v.defaultBackend.portNumber ?? v.defaultBackend.portName, field: 'spec.defaultBackend' });
    for (const p of v.paths) if (p.backend.serviceName) out.push({ service: svc(p.backend.serviceName), port: p.backend.portNumber ?? p.backend.portName, field: `${p.field}.backend` });
    return out;
  }
  return httpRouteView(subject).rules.flatMap((r) =>
    r.backendRefs
      .filter((b) => b.group === '' && b.kind === 'Service')
      .map((b) => ({ service: { group: '', kind: 'Service', namespace: b.namespace, name: b.name }, port: b.port, field: b.field })),
  );
}

function distinctBy<T>(items: T[], key: (t: T) => string): T[] {
  return [...new Map(items.map((i) => [key(i), i])).values()];
}

function backendFindings(ctx: RuleContext, subject: K8sObject, missing: (b: Backend) => Draft | undefined): Draft[] {
  if (!ctx.tr.isManaged(subject)) return [];
  const holder = ctx.tr.defaultBackendHolder();
  const isHolder = (ingress: K8sObject) => holder !== undefined && keyOf(holder) === keyOf(ingress);
  return distinctBy(backendsOf(subject, isHolder), (b) => `${refKey(b.service)}|${b.port}`).flatMap((b) => {
    const d = missing(b);
    return d ? [d] : [];
  });
}

export const missingBackendService: Rule = {
  id: 'missing-backend-service',
  severity: 'warn',
  dangling: true,
  summary: 'An Ingress or HTTPRoute sends traffic to a Service that does not exist.',
  explanation:
    'KIC cannot resolve the backend ("failed to resolve Kubernetes Service for backend") and leaves the route out: requests get 404. ' +
    'A warning by default because the Service may be created by the same apply.',
  examples: {
    bad: KONG_BASE + ingress('orphan', pathRule('/orphan', 'missing-svc', 80)),
    good: KONG_BASE + ingress('orphan', pathRule('/orphan')),
  },
  kinds: ['Ingress', 'HTTPRoute'],
  check(ctx, subject) {
    return backendFindings(ctx, subject, (b) =>
      ctx.view.get(refKey(b.service))
        ? undefined
        : {
            field: b.field,
            discriminator: refKey(b.service),
            related: [b.service],
            message:
              `${name(subject)} sends traffic (${b.field}) to ${name(b.service)}, which does not exist. ` +
              `KIC cannot resolve the backend and leaves the route out, so its requests get 404.`,
            fix: `create the Service or correct the backend name.`,
          },
    );
  },
};

export const missingServicePort: Rule = {
  id: 'missing-service-port',
  severity: 'warn',
  dangling: true,
  summary: 'A backend names a port the Service does not have.',
  explanation: 'KIC fails with "can\'t find port for backend kubernetes service" and drops the route.',
  examples: {
    bad: KONG_BASE + ingress('wrong-port', pathRule('/wrong', 'echo', 8080)),
    good: KONG_BASE + ingress('wrong-port', pathRule('/wrong', 'echo', 1027)),
  },
  kinds: ['Ingress', 'HTTPRoute'],
  check(ctx, subject) {
    return backendFindings(ctx, subject, (b) => {
      const service = ctx.view.get(refKey(b.service));
      if (!service || ctx.tr.servicePort(service, b.port) !== undefined) return undefined;
      const ports = servicePorts(service).map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
      return {
        field: b.field,
        discriminator: `${refKey(b.service)}|${b.port}`,
        related: [b.service],
        message:
          `${name(subject)} sends traffic (${b.field}) to port ${b.port ?? '(none given)'} of ${name(b.service)}, which exposes ${ports || 'no ports'}. ` +
          `KIC cannot find the port and drops the route, so its requests get 404.`,
        fix: `use one of the Service's ports.`,
      };
    });
  },
};

export const duplicateDefaultBackend: Rule = {
  id: 'duplicate-default-backend',
  severity: 'deny',
  summary: 'A second Ingress with spec.defaultBackend for the controller\'s class.',
  explanation:
    'KIC builds one fallback route ("/", lowest priority) from the oldest Ingress with spec.defaultBackend in the whole cluster and silently ignores every other one. ' +
    'The newer Ingress looks applied but its fallback never receives a request.',
  examples: {
    bad: KONG_BASE + ingress('fallback', DEFAULT_BACKEND) + ingress('fallback-2', DEFAULT_BACKEND),
    good: KONG_BASE + ingress('fallback', DEFAULT_BACKEND) + ingress('web', pathRule('/web')),
  },
  kinds: ['Ingress'],
  check({ tr }, subject) {
    if (!tr.isManaged(subject) || !ingressView(subject).defaultBackend) return [];
    const holder = tr.defaultBackendHolder();
    if (!holder || keyOf(holder) === keyOf(subject)) return [];
    const target = ingressView(holder).defaultBackend;
    const targetText = target?.serviceName ? ` (Service ${target.serviceName}${target.portNumber ?? target.portName ? `:${target.portNumber ?? target.portName}` : ''})` : '';
    return [
      {
        field: 'spec.defaultBackend',
        related: [refOf(holder)],
        message:
          `${name(subject)} sets spec.defaultBackend, but ${name(holder)} already holds the fallback for class "${tr.config.ingressClass}"${targetText}. ` +
          `KIC keeps only the oldest default backend and silently ignores this one: unmatched requests keep going to ${holder.metadata.name}'s backend.`,
        fix: `remove spec.defaultBackend from ${subject.metadata.name}, or remove it from ${holder.metadata.name} first if this one should take over.`,
      },
    ];
  },
};

export const BACKEND_RULES: readonly Rule[] = [duplicateDefaultBackend, missingBackendService, missingServicePort];
