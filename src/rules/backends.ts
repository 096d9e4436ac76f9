// Backend rules: Services and ports that a route sends traffic to, and the cluster-wide fallback.
import { keyOf, refKey, refOf, type ObjectRef } from '../model/object.ts';
import { PROTOCOLS_ANNOTATION } from '../model/annotations.ts';
import { olderFirst } from '../state/view.ts';
import type { KongService } from '../translate/kong.ts';
import { ROUTE_KINDS } from '../translate/translator.ts';
import { kicList, kicValidProtocol } from './annotations.ts';
import { ALL_GATEWAY_ROUTE_KINDS, ingressView, routeBackendRefs, routeRuleBackendRefs, servicePorts, streamIngressView, type IngressBackend } from '../model/views.ts';
import { facadeBackend } from '../model/service-facade.ts';
import { usableFacade } from '../translate/service-facades.ts';
import type { Translator } from '../translate/translator.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { name, plainList } from './text.ts';
import type { K8sObject } from '../model/object.ts';
import { DEFAULT_BACKEND, httpRoute, ingress, KONG_BASE, pathRule } from './example-base.ts';

/** A second Service for the examples, with these annotation entries. */
const SECOND_SERVICE = (annotations: string) => `---
apiVersion: v1
kind: Service
metadata: {name: echo-v2, namespace: default${annotations ? `, annotations: {${annotations}}` : ''}}
spec: {ports: [{name: http, port: 1027}]}
`;

interface Backend {
  service: ObjectRef;
  port: number | string | undefined;
  field: string;
  /** For an HTTPRoute backendRef: every Service backendRef of its rule (KIC builds one Kong service per rule). */
  rule?: ObjectRef[];
}

function backendsOf(tr: Translator, subject: K8sObject, isHolder: (ingress: K8sObject) => boolean): Backend[] {
  const ns = subject.metadata.namespace ?? '';
  const svc = (n: string): ObjectRef => ({ group: '', kind: 'Service', namespace: ns, name: n });
  if (subject.kind === 'Ingress') {
    const v = ingressView(subject);
    const out: Backend[] = [];
    // A KongServiceFacade backend KIC uses sends the traffic to the Service port of its spec.backendRef.
    const viaFacade = (b: IngressBackend, field: string) => {
      const facade = usableFacade(tr, ns, b);
      const { serviceName, port } = facade ? facadeBackend(facade) : {};
      if (serviceName) out.push({ service: svc(serviceName), port, field: `${field}.resource` });
    };
    // Only the default backend KIC uses counts; the others are duplicate-default-backend's business.
    if (v.defaultBackend?.serviceName && isHolder(subject)) out.push({ service: svc(v.defaultBackend.serviceName), port: v.defaultBackend.portNumber ?? v.defaultBackend.portName, field: 'spec.defaultBackend' });
    if (v.defaultBackend && isHolder(subject)) viaFacade(v.defaultBackend, 'spec.defaultBackend');
    for (const p of v.paths) {
      if (p.backend.serviceName) out.push({ service: svc(p.backend.serviceName), port: p.backend.portNumber ?? p.backend.portName, field: `${p.field}.backend` });
      else viaFacade(p.backend, `${p.field}.backend`);
    }
    return out;
  }
  if (subject.kind === 'TCPIngress' || subject.kind === 'UDPIngress') {
    return streamIngressView(subject).rules.flatMap((r) => (r.serviceName ? [{ service: svc(r.serviceName), port: r.servicePort, field: `${r.field}.backend` }] : []));
  }
  return routeRuleBackendRefs(subject).flatMap((refs) => {
    const services = refs.filter((b) => b.group === '' && b.kind === 'Service');
    const rule = services.map((b): ObjectRef => ({ group: '', kind: 'Service', namespace: b.namespace, name: b.name }));
    return services.map((b, i) => ({ service: rule[i]!, port: b.port, field: b.field, rule }));
  });
}

const STREAM_KINDS: readonly string[] = ['TCPRoute', 'TLSRoute', 'UDPRoute', 'TCPIngress', 'UDPIngress'];

/** What traffic to a Kong service without targets becomes: HTTP kinds get Kong's 503, stream connections fail. */
function noTarget(subject: K8sObject): string {
  return STREAM_KINDS.includes(subject.kind) ? 'its connections fail' : 'Kong answers 503 "failure to get a peer from the ring-balancer"';
}

/**
 * What KIC 3.x does with a backend Service that does not exist. Gateway API routes: backendRefsToKongStateBackends skips
 * it, and a Kong service left with no backend gets a request-termination plugin (500) when it speaks HTTP or gRPC
 * (generateKongServiceFromBackendRefWithName). Ingress, TCPIngress, UDPIngress: the Kong service keeps the backend,
 * which resolves to no target (getK8sServicesForBackends, getUpstreams).
 */
function missingServiceConsequence(ctx: RuleContext, subject: K8sObject, b: Backend): string {
  if (!b.rule) return `KIC reports a translation failure and keeps the route, whose upstream gets no targets: ${noTarget(subject)}.`;
  const left = b.rule.filter((s) => ctx.view.get(refKey(s)) !== undefined);
  if (left.length) return `KIC skips the backendRef; the rule's other backends (${plainList(left.map((s) => s.name))}) take its traffic.`;
  return `KIC skips the backendRef; with none of the rule's backendRefs left, ${noBackendLeft(subject)}.`;
}

/** What a Gateway API route rule with no backendRef left becomes (generateKongServiceFromBackendRefWithName). */
function noBackendLeft(subject: K8sObject): string {
  return subject.kind === 'HTTPRoute' || subject.kind === 'GRPCRoute'
    ? 'KIC adds a request-termination plugin and Kong answers 500 "no existing backendRef provided"'
    : 'the Kong service has no target and its connections fail';
}

/** A Gateway API route's backendRef KIC skips (backendRefsToKongStateBackends), whatever the rule's other backends. */
function skipped(subject: K8sObject): string {
  return `KIC leaves the backend out of the rule's Kong service: the rule's other backends take its traffic, and with none left ${noBackendLeft(subject)}`;
}

function distinctBy<T>(items: T[], key: (t: T) => string): T[] {
  return [...new Map(items.map((i) => [key(i), i])).values()];
}

function backendFindings(ctx: RuleContext, subject: K8sObject, missing: (b: Backend) => Draft | undefined): Draft[] {
  if (!ctx.tr.isManaged(subject)) return [];
  const holder = ctx.tr.defaultBackendHolder();
  const isHolder = (ingress: K8sObject) => holder !== undefined && keyOf(holder) === keyOf(ingress);
  return distinctBy(backendsOf(ctx.tr, subject, isHolder), (b) => `${refKey(b.service)}|${b.port}`).flatMap((b) => {
    const d = missing(b);
    return d ? [d] : [];
  });
}

export const missingBackendService: Rule = {
  id: 'missing-backend-service',
  severity: 'warn',
  dangling: true,
  summary: 'An Ingress, a Gateway API route or a TCPIngress/UDPIngress sends traffic to a Service that does not exist.',
  explanation:
    'KIC keeps the Kong route and reports a translation failure ("failed to resolve Kubernetes Service for backend"). An Ingress\'s, TCPIngress\'s or UDPIngress\'s ' +
    'Kong service then has no target: Kong answers 503 "failure to get a peer from the ring-balancer" (stream connections fail). A Gateway API route\'s rule ' +
    'loses that backend and its other backends take the traffic; with none left, an HTTPRoute or GRPCRoute rule answers 500 (KIC\'s request-termination ' +
    '"no existing backendRef provided") and a TCPRoute, TLSRoute or UDPRoute rule has no target. ' +
    'A warning by default because the Service may be created by the same apply.',
  examples: {
    bad: KONG_BASE + ingress('orphan', pathRule('/orphan', 'missing-svc', 80)),
    good: KONG_BASE + ingress('orphan', pathRule('/orphan')),
  },
  kinds: ROUTE_KINDS,
  check(ctx, subject) {
    return backendFindings(ctx, subject, (b) =>
      ctx.view.get(refKey(b.service))
        ? undefined
        : {
            field: b.field,
            discriminator: refKey(b.service),
            related: [b.service],
            message:
              `${name(subject)} sends traffic (${b.field}) to ${name(b.service)}, which does not exist. ${missingServiceConsequence(ctx, subject, b)}`,
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
  explanation:
    'KIC reports a translation failure ("can\'t find port for backend kubernetes service") and keeps the Kong route, but the upstream gets no targets from that Service: ' +
    'unless another backend of the route has ready endpoints, Kong answers 503 "failure to get a peer from the ring-balancer" (stream connections fail).',
  examples: {
    bad: KONG_BASE + ingress('wrong-port', pathRule('/wrong', 'echo', 8080)),
    good: KONG_BASE + ingress('wrong-port', pathRule('/wrong', 'echo', 1027)),
  },
  kinds: ROUTE_KINDS,
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
          `KIC reports a translation failure and keeps the route, but adds no targets for this Service to its upstream: ` +
          `${b.rule && b.rule.length > 1 ? 'the rule\'s other backends take its traffic, and when none has ready endpoints ' : ''}${noTarget(subject)}.`,
        fix: `use one of the Service's ports.`,
      };
    });
  },
};

/** A Service in namespace shared, and an HTTPRoute in default sending to it: the examples of backend-reference-not-granted. */
const SHARED_BACKEND = `---
apiVersion: v1
kind: Service
metadata: {name: billing, namespace: shared}
spec: {ports: [{name: http, port: 1027}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: billing, namespace: default}
spec:
  parentRefs: [{name: kong}]
  rules: [{matches: [{path: {type: PathPrefix, value: /billing}}], backendRefs: [{name: billing, namespace: shared, port: 1027}]}]
`;

const SERVICES_GRANT = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: routes-to-billing, namespace: shared}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
  to: [{group: "", kind: Service, name: billing}]
`;

export const backendReferenceNotGranted: Rule = {
  id: 'backend-reference-not-granted',
  severity: 'warn',
  dangling: true,
  summary: 'A Gateway API route sends traffic to a Service in another namespace without a ReferenceGrant there that allows it.',
  explanation:
    'KIC keeps a backendRef to another namespace only when a ReferenceGrant in that namespace allows the route\'s kind and namespace to reference ' +
    'the Service (backendRefsToKongStateBackends); otherwise it skips the backend and only logs "no ReferenceGrant permits it". The rule\'s other ' +
    'backends take its traffic; with none left, an HTTPRoute or GRPCRoute rule answers 500 (KIC\'s request-termination "no existing backendRef ' +
    'provided") and a TCPRoute, TLSRoute or UDPRoute rule has no target. A warning by default: the ReferenceGrant may come in the same apply. ' +
    'A Service that does not exist is missing-backend-service\'s business.',
  examples: {
    bad: KONG_BASE + SHARED_BACKEND,
    good: KONG_BASE + SHARED_BACKEND + SERVICES_GRANT,
  },
  kinds: ALL_GATEWAY_ROUTE_KINDS,
  check(ctx, subject) {
    if (!ctx.tr.isManaged(subject)) return [];
    const own = subject.metadata.namespace ?? '';
    // One finding per Service, at its first backendRef.
    const seen = new Set<string>();
    const firsts = routeBackendRefs(subject).filter((b) => !seen.has(`${b.namespace}/${b.name}`) && seen.add(`${b.namespace}/${b.name}`));
    return firsts.flatMap((b): Draft[] => {
      const service: ObjectRef = { group: '', kind: 'Service', namespace: b.namespace, name: b.name };
      if (b.group !== '' || b.kind !== 'Service' || ctx.tr.permitsBackend(subject, b) || !ctx.view.get(refKey(service))) return [];
      return [
        {
          field: b.field,
          discriminator: refKey(service),
          related: [service],
          message:
            `${name(subject)} sends traffic (${b.field}) to ${name(service)} in another namespace, but no ReferenceGrant in namespace ${b.namespace} ` +
            `allows ${subject.kind} from namespace ${own} to reference it. ${skipped(subject)}.`,
          fix: `create a ReferenceGrant in ${b.namespace} with from {group: gateway.networking.k8s.io, kind: ${subject.kind}, namespace: ${own}} and to {group: "", kind: Service, name: ${b.name}}.`,
        },
      ];
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

// ---------------------------------------------------------------- the Kong service KIC builds from the backends

const PROTOCOL_ANNOTATION = 'konghq.com/protocol';
/** Kong's stream-subsystem protocols (kong/constants.lua, protocols_with_subsystem); udp never passes KIC's check. */
const STREAM_PROTOCOLS = ['tcp', 'tls', 'tls_passthrough'];
/** Service protocols Kong 3.9.3 refuses a path for (services.lua entity_checks), less grpc(s), whose path KIC removes. */
const PATHLESS_PROTOCOLS = ['tcp', 'tls'];

/** Managed Ingresses and HTTPRoutes with a Kong service that this Service backs, each with those Kong services. */
function routeUsers(ctx: RuleContext, service: K8sObject): { user: K8sObject; services: KongService[] }[] {
  const key = keyOf(service);
  return ctx.view
    .lookup('dependants', key)
    .filter((o) => (o.kind === 'Ingress' || o.kind === 'HTTPRoute') && ctx.tr.isManaged(o))
    .sort(olderFirst(ctx.view, keyOf))
    .map((user) => ({ user, services: ctx.tr.servicesOf(user).filter((s) => s.backends.some((b) => refKey(b.service) === key)) }))
    .filter((u) => u.services.length > 0);
}

/** The route protocols KIC gives an Ingress's or HTTPRoute's routes: konghq.com/protocols when KIC accepts it, else http and https. */
function routeProtocols(ctx: RuleContext, user: K8sObject): string[] {
  const listed = kicList(ctx.tr.config, 'protocols', user.metadata.annotations?.[PROTOCOLS_ANNOTATION] ?? '');
  return listed.length && listed.every((p) => kicValidProtocol(ctx.tr.config, p)) ? listed : ['http', 'https'];
}

/** The protocol KIC gives the Kong services of a Service (kongstate/service.go overrideProtocol), if it sets one. */
function serviceProtocol(ctx: RuleContext, service: K8sObject): string | undefined {
  const protocol = service.metadata.annotations?.[PROTOCOL_ANNOTATION];
  return protocol && kicValidProtocol(ctx.tr.config, protocol) ? protocol : undefined;
}

const serviceExample = (protocol: string) => `${KONG_BASE.replace('metadata: {name: echo, namespace: default}', `metadata: {name: echo, namespace: default, annotations: {konghq.com/protocol: ${protocol}}}`)}`;

export const serviceProtocolRejected: Rule = {
  id: 'service-protocol-rejected',
  severity: 'deny',
  kongRejects: true,
  summary: 'A Service behind an Ingress has konghq.com/protocol tcp or tls: Kong refuses the path KIC gives every Ingress service.',
  explanation:
    'KIC builds the Kong service of an Ingress backend with path "/" (subtranslator/ingress.go) and takes its protocol from the Service\'s ' +
    'konghq.com/protocol; it removes the path only for grpc and grpcs (kongstate/service.go). Kong 3.9.3 refuses a path on a tcp or tls ' +
    'service ("path: value must be null", services.lua), so it rejects the whole configuration. Serve TCP and TLS through a TCPIngress, ' +
    'TCPRoute or TLSRoute; an HTTPRoute\'s Kong service has no path (see service-protocol-mismatch).',
  examples: {
    bad: serviceExample('tcp') + ingress('web', pathRule('/', 'echo', 1027, 'app.example.com')),
    good: serviceExample('https') + ingress('web', pathRule('/', 'echo', 1027, 'app.example.com')),
  },
  kinds: ['Service'],
  check(ctx, subject) {
    const protocol = serviceProtocol(ctx, subject);
    if (!protocol || !PATHLESS_PROTOCOLS.includes(protocol)) return [];
    const ingresses = routeUsers(ctx, subject).filter((u) => u.user.kind === 'Ingress');
    if (!ingresses.length) return [];
    const kongServices = [...new Set(ingresses.flatMap((u) => u.services.map((s) => s.name)))];
    return [
      {
        field: `metadata.annotations["${PROTOCOL_ANNOTATION}"]`,
        discriminator: 'path',
        related: ingresses.map((u) => refOf(u.user)),
        message:
          `${name(subject)} sets ${PROTOCOL_ANNOTATION} "${protocol}" and backs ${plainList(ingresses.map((u) => name(u.user)))}: KIC builds Kong service ${plainList(kongServices)} ` +
          `with protocol ${protocol} and path "/", and Kong refuses a path on a ${protocol} service ("path: value must be null"), so it rejects the configuration.`,
        fix: `remove ${PROTOCOL_ANNOTATION} or set it to http, https, grpc or grpcs; serve ${protocol} through a TCPIngress, TCPRoute or TLSRoute instead.`,
      },
    ];
  },
};

export const serviceProtocolMismatch: Rule = {
  id: 'service-protocol-mismatch',
  // Kong accepts the configuration (nothing is excluded) and the Service may rightly serve a stream route too:
  // a broken route, not a rejected configuration, so it warns, like no-ready-endpoints.
  severity: 'warn',
  summary: 'An HTTP route leads to a Service whose konghq.com/protocol is a stream protocol (tcp, tls, tls_passthrough): Kong answers 503.',
  explanation:
    'Kong 3.9.3 accepts a Kong service with a stream protocol behind an HTTP route (no schema check), but its HTTP router cannot use it: ' +
    'it logs "service with protocol \'tcp\' cannot be used with \'http\' subsystem" and keeps the route without a service (runloop/handler.lua), ' +
    'so every matching request gets 503 "no Service found with those values". This is the case for an HTTPRoute backend with tcp or tls ' +
    '(KIC gives an HTTPRoute\'s Kong service no path) and for tls_passthrough behind an Ingress or HTTPRoute; tcp or tls behind an Ingress ' +
    'is service-protocol-rejected. Routes whose konghq.com/protocols are all stream protocols are not judged here.',
  examples: {
    bad: serviceExample('tls_passthrough') + ingress('web', pathRule('/', 'echo', 1027, 'app.example.com')),
    good: serviceExample('https') + ingress('web', pathRule('/', 'echo', 1027, 'app.example.com')),
  },
  kinds: ['Service'],
  check(ctx, subject) {
    const protocol = serviceProtocol(ctx, subject);
    if (!protocol || !STREAM_PROTOCOLS.includes(protocol)) return [];
    const users = routeUsers(ctx, subject).filter(
      (u) => !(u.user.kind === 'Ingress' && PATHLESS_PROTOCOLS.includes(protocol)) && routeProtocols(ctx, u.user).some((p) => !STREAM_PROTOCOLS.includes(p) && p !== 'udp'),
    );
    if (!users.length) return [];
    return [
      {
        field: `metadata.annotations["${PROTOCOL_ANNOTATION}"]`,
        discriminator: 'subsystem',
        related: users.map((u) => refOf(u.user)),
        message:
          `${name(subject)} sets ${PROTOCOL_ANNOTATION} "${protocol}", a stream protocol, and backs the HTTP routes of ${plainList(users.map((u) => name(u.user)))}. ` +
          `Kong's HTTP router cannot use a ${protocol} service ("cannot be used with 'http' subsystem", a log line): those routes answer 503 "no Service found with those values".`,
        fix: `remove ${PROTOCOL_ANNOTATION} or set it to http, https, grpc or grpcs; serve ${protocol} through a TCPIngress, TCPRoute or TLSRoute instead.`,
      },
    ];
  },
};

/** KIC's annotation prefix, without the slash (annotations.go AnnotationPrefix): what getK8sServicesForBackends collects. */
const KONG_PREFIX = 'konghq.com';

/** The konghq.com annotation keys on which these Services disagree (one lacks it or has another value). */
function inconsistentKeys(services: K8sObject[]): string[] {
  const anns = services.map((s) => Object.entries(s.metadata.annotations ?? {}).filter(([k]) => k.startsWith(KONG_PREFIX)));
  const keys = new Set(anns.flatMap((a) => a.map(([k]) => k)));
  return [...keys].filter((k) => new Set(services.map((s) => s.metadata.annotations?.[k] ?? '\u0000absent')).size > 1).sort();
}

export const inconsistentBackendAnnotations: Rule = {
  id: 'inconsistent-backend-annotations',
  severity: 'deny',
  summary: 'The Services of one Gateway API route rule\'s backends differ in their konghq.com/ annotations: KIC skips the rule\'s Kong service and routes (404).',
  explanation:
    'KIC builds one Kong service for the backendRefs of a rule and requires every Service in it to carry the same konghq.com annotations with ' +
    'the same values (plugins, protocol, path, timeouts, ...). Otherwise it records a translation failure on each Service ("Service has ' +
    'inconsistent ... annotation and is used in multi-Service backend ...") and skips that Kong service with all its routes ' +
    '(translator/ingressrules.go, collectInconsistentAnnotations): requests for those matches get 404 (TCPRoute, TLSRoute, UDPRoute: their connections ' +
    'match no route). Every Gateway API route kind gets one Kong service per rule. Services that do not exist are not compared.',
  examples: {
    bad: KONG_BASE + SECOND_SERVICE('konghq.com/read-timeout: "5000"') + httpRoute('api', '/api', undefined, '', ['echo', 'echo-v2']),
    good: KONG_BASE + SECOND_SERVICE('') + httpRoute('api', '/api', undefined, '', ['echo', 'echo-v2']),
  },
  kinds: ALL_GATEWAY_ROUTE_KINDS,
  check(ctx, subject) {
    if (!ctx.tr.isManaged(subject)) return [];
    const routes = ctx.tr.routesOf(subject);
    const lost = STREAM_KINDS.includes(subject.kind) ? 'so connections for those rules match no route' : 'so requests for those matches get 404';
    return ctx.tr.servicesOf(subject).flatMap((kongService): Draft[] => {
      const services = [...new Map(kongService.backends.map((b) => [refKey(b.service), ctx.view.get(refKey(b.service))])).values()].filter((s): s is K8sObject => s !== undefined);
      if (services.length < 2) return [];
      const keys = inconsistentKeys(services);
      if (!keys.length) return [];
      const rules = [...new Set(routes.filter((r) => r.service === kongService.name).map((r) => /^spec\.rules\[\d+\]/.exec(r.field)?.[0]).filter((r): r is string => r !== undefined))];
      const where = rules.length ? plainList(rules) : `the rules of Kong service ${kongService.name}`;
      return [
        {
          field: rules[0] ?? 'spec.rules',
          discriminator: kongService.name,
          related: services.map(refOf),
          message:
            `${name(subject)} sends ${where} to ${plainList(services.map(name))}, which differ in ${plainList(keys)}. ` +
            `KIC requires the Services of one backend to carry the same konghq.com annotations: it skips Kong service ${kongService.name} and its routes ` +
            `(a translation failure on each Service), ${lost}.`,
          fix: `give ${plainList(services.map((s) => s.metadata.name))} the same ${plainList(keys)} (same values), or send the rule to one Service.`,
        },
      ];
    });
  },
};

export const BACKEND_RULES: readonly Rule[] = [
  duplicateDefaultBackend,
  missingBackendService,
  missingServicePort,
  backendReferenceNotGranted,
  serviceProtocolRejected,
  serviceProtocolMismatch,
  inconsistentBackendAnnotations,
];
