// What an object depends on, as edges dependency -> dependant. This follows KIC's fallback graph
// (research/kic.md section 4) and adds the edges KIC misses: Ingress defaultBackend -> Service,
// KongConsumer -> KongConsumerGroup, remote `namespace:name` plugin references, TLS Secrets of Ingress tls
// and Gateway listeners, and the class and parent edges that decide whether an object is translated at all.
// A pure function of one object, so it sits in model/: the store indexes it on every write (dependants),
// the translator resolves plugin references with it, and graph/ walks the edges across the state.
import { refKey, type K8sObject, type ObjectRef } from './object.ts';
import {
  consumerView,
  gatewayClassName,
  gatewayListeners,
  ingressView,
  routeBackendRefs,
  routeParentRefs,
  streamIngressView,
  upstreamPolicyName,
  pluginRefs,
  pluginSecretRefs,
  type IngressTls,
  type PluginRef,
} from './views.ts';

const NET = 'networking.k8s.io';
const GW = 'gateway.networking.k8s.io';
const KONG = 'configuration.konghq.com';

export interface Dependency {
  ref: ObjectRef;
  /** The field that creates the edge, for messages. */
  field: string;
}

/**
 * The objects a plugin reference may resolve to. KIC looks up a KongPlugin in the namespace first and
 * falls back to a KongClusterPlugin of that name, so both are edges: either appearing changes the result.
 */
export function pluginCandidates(ref: PluginRef): ObjectRef[] {
  return [
    { group: KONG, kind: 'KongPlugin', namespace: ref.namespace, name: ref.name },
    { group: KONG, kind: 'KongClusterPlugin', name: ref.name },
  ];
}

function plugins(obj: K8sObject): Dependency[] {
  return pluginRefs(obj).flatMap((p) => pluginCandidates(p).map((ref) => ({ ref, field: 'metadata.annotations["konghq.com/plugins"]' })));
}

function service(namespace: string, name: string, field: string): Dependency {
  return { ref: { group: '', kind: 'Service', namespace, name }, field };
}

/** The TLS Secrets of Ingress or TCPIngress tls entries: not in KIC's fallback graph, but Secret changes must reach them. */
function tlsSecrets(ns: string, tls: IngressTls[]): Dependency[] {
  return tls.flatMap((t) => (t.secretName ? [{ ref: { group: '', kind: 'Secret', namespace: ns, name: t.secretName }, field: `${t.field}.secretName` }] : []));
}

export function dependencies(obj: K8sObject): Dependency[] {
  const ns = obj.metadata.namespace ?? '';
  switch (obj.kind) {
    case 'Service': {
      // KIC's fallback graph: a Service depends on its plugins and its KongUpstreamPolicy (graph_dependencies_service.go).
      const policy = upstreamPolicyName(obj);
      return [...plugins(obj), ...(policy ? [{ ref: { group: KONG, kind: 'KongUpstreamPolicy', namespace: ns, name: policy }, field: 'metadata.annotations["konghq.com/upstream-policy"]' }] : [])];
    }
    case 'KongConsumerGroup':
      return plugins(obj);
    case 'Ingress': {
      const view = ingressView(obj);
      const deps = plugins(obj);
      if (view.className !== undefined) deps.push({ ref: { group: NET, kind: 'IngressClass', name: view.className }, field: view.classSource === 'spec' ? 'spec.ingressClassName' : 'metadata.annotations["kubernetes.io/ingress.class"]' });
      if (view.defaultBackend?.serviceName) deps.push(service(ns, view.defaultBackend.serviceName, 'spec.defaultBackend'));
      for (const p of view.paths) if (p.backend.serviceName) deps.push(service(ns, p.backend.serviceName, `${p.field}.backend`));
      deps.push(...tlsSecrets(ns, view.tls));
      return deps;
    }
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'TCPRoute':
    case 'TLSRoute':
    case 'UDPRoute': {
      const deps = plugins(obj);
      for (const p of routeParentRefs(obj)) {
        if (p.group === GW && p.kind === 'Gateway') deps.push({ ref: { group: GW, kind: 'Gateway', namespace: p.namespace, name: p.name }, field: 'spec.parentRefs' });
      }
      for (const b of routeBackendRefs(obj)) if (b.group === '' && b.kind === 'Service') deps.push(service(b.namespace, b.name, b.field));
      return deps;
    }
    case 'TCPIngress':
    case 'UDPIngress': {
      const view = streamIngressView(obj);
      const deps = plugins(obj);
      for (const r of view.rules) if (r.serviceName) deps.push(service(ns, r.serviceName, `${r.field}.backend`));
      deps.push(...tlsSecrets(ns, view.tls));
      return deps;
    }
    case 'Gateway': {
      const deps: Dependency[] = [];
      const cls = gatewayClassName(obj);
      if (cls) deps.push({ ref: { group: GW, kind: 'GatewayClass', name: cls }, field: 'spec.gatewayClassName' });
      gatewayListeners(obj).forEach((l, i) => {
        for (const c of l.certificateRefs) {
          if ((c.kind ?? 'Secret') === 'Secret' && (c.group ?? '') === '') {
            deps.push({ ref: { group: '', kind: 'Secret', namespace: c.namespace ?? ns, name: c.name }, field: `spec.listeners[${i}].tls.certificateRefs` });
          }
        }
      });
      return deps;
    }
    case 'KongPlugin':
    case 'KongClusterPlugin':
      return pluginSecretRefs(obj).map((s) => ({ ref: { group: '', kind: 'Secret', namespace: s.namespace, name: s.name }, field: s.field }));
    case 'KongConsumer': {
      const view = consumerView(obj);
      const deps = plugins(obj);
      view.credentials.forEach((name, i) => deps.push({ ref: { group: '', kind: 'Secret', namespace: ns, name }, field: `credentials[${i}]` }));
      view.consumerGroups.forEach((name, i) => deps.push({ ref: { group: KONG, kind: 'KongConsumerGroup', namespace: ns, name }, field: `consumerGroups[${i}]` }));
      return deps;
    }
    default:
      return [];
  }
}

/** Distinct dependency keys, for the reverse (dependants) index. */
export function dependencyKeys(obj: K8sObject): string[] {
  return [...new Set(dependencies(obj).map((d) => refKey(d.ref)))];
}
