// What an object depends on, as edges dependency -> dependant. Two sets: the edges of KIC 3.5's fallback graph
// (internal/dataplane/fallback/graph_dependencies*.go), which alone decide what KIC's Fallback Configuration
// excludes with a broken object (`inKicGraph`), and the edges KIC's graph misses but translation follows:
// Ingress defaultBackend -> Service, KongConsumer -> KongConsumerGroup, remote `namespace:name` plugin
// references, TLS Secrets of Ingress, TCPIngress and Gateway listeners, Gateway API routes' real backend
// namespaces, and the class and parent edges that decide whether an object is translated at all.
// A pure function of one object, so it sits in model/: the store indexes it on every write (dependants),
// the translator resolves plugin references with it, and graph/ walks the edges across the state.
import { annotation, refKey, type K8sObject, type ObjectRef } from './object.ts';
import { UPSTREAM_POLICY_ANNOTATION } from './annotations.ts';
import { classParametersRef } from './ingress-class-parameters.ts';
import { customEntityView } from './custom-entity.ts';
import { facadeBackend, FACADE_GROUP, isFacadeResource } from './service-facade.ts';
import { backendTLSPolicyView } from './backend-tls-policy.ts';
import {
  consumerView,
  gatewayClassName,
  gatewayListeners,
  ingressView,
  routeBackendRefs,
  routeParentRefs,
  streamIngressView,
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
  /** KIC's fallback graph has this edge: a broken dependency takes the dependant down with it. */
  inKicGraph: boolean;
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

/** KIC's graph looks plugins up by the annotation's names in the object's namespace: a remote `ns:name` is no edge there. */
function plugins(obj: K8sObject): Dependency[] {
  return pluginRefs(obj).flatMap((p) => pluginCandidates(p).map((ref) => ({ ref, field: 'metadata.annotations["konghq.com/plugins"]', inKicGraph: !p.remote })));
}

function service(namespace: string, name: string, field: string, inKicGraph = true): Dependency {
  return { ref: { group: '', kind: 'Service', namespace, name }, field, inKicGraph };
}

function facade(namespace: string, name: string | undefined, field: string, inKicGraph: boolean): Dependency[] {
  return name ? [{ ref: { group: FACADE_GROUP, kind: 'KongServiceFacade', namespace, name }, field, inKicGraph }] : [];
}

/** konghq.com/upstream-policy, read on Services and (by KIC's graph only) on Ingresses. */
function upstreamPolicy(obj: K8sObject): Dependency[] {
  const name = annotation(obj, UPSTREAM_POLICY_ANNOTATION);
  return name ? [{ ref: { group: KONG, kind: 'KongUpstreamPolicy', namespace: obj.metadata.namespace ?? '', name }, field: 'metadata.annotations["konghq.com/upstream-policy"]', inKicGraph: true }] : [];
}

/** The TLS Secrets of Ingress or TCPIngress tls entries: not in KIC's fallback graph, but Secret changes must reach them. */
function tlsSecrets(ns: string, tls: IngressTls[]): Dependency[] {
  return tls.flatMap((t) => (t.secretName ? [{ ref: { group: '', kind: 'Secret', namespace: ns, name: t.secretName }, field: `${t.field}.secretName`, inKicGraph: false }] : []));
}

export function dependencies(obj: K8sObject): Dependency[] {
  const ns = obj.metadata.namespace ?? '';
  switch (obj.kind) {
    case 'Service':
      // resolveDependenciesForServiceLikeObj: plugins and the KongUpstreamPolicy.
      return [...plugins(obj), ...upstreamPolicy(obj)];
    case 'KongConsumerGroup':
      return plugins(obj);
    case 'KongServiceFacade': {
      // resolveKongServiceFacadeDependencies (as for a Service: plugins and the KongUpstreamPolicy); its backendRef
      // Service is no edge there, but translation reads it.
      const backend = facadeBackend(obj).serviceName;
      return [...plugins(obj), ...upstreamPolicy(obj), ...(backend ? [service(ns, backend, 'spec.backendRef', false)] : [])];
    }
    case 'KongCustomEntity': {
      // resolveKongCustomEntityDependencies: the parentRef's KongPlugin in the entity's own namespace, or its KongClusterPlugin.
      // A KongPlugin in another namespace (with a ReferenceGrant) is no edge there, but translation follows it.
      const { parent, remoteParent } = customEntityView(obj);
      return parent ? [{ ref: parent, field: 'spec.parentRef', inKicGraph: !(remoteParent && parent.kind === 'KongPlugin') }] : [];
    }
    case 'BackendTLSPolicy': {
      // No dependencies in KIC's graph; translation applies the policy to the Services it targets and reads its CA certificates.
      const v = backendTLSPolicyView(obj);
      return [
        ...v.services.map((name) => service(ns, name, 'spec.targetRefs', false)),
        ...v.caCertificateRefs.flatMap((r): Dependency[] => ((r.kind === 'Secret' || r.kind === 'ConfigMap') && (r.group === '' || r.group === 'core') ? [{ ref: { group: '', kind: r.kind, namespace: ns, name: r.name }, field: 'spec.validation.caCertificateRefs', inKicGraph: false }] : [])),
      ];
    }
    case 'IngressClass': {
      // Not in KIC's graph (an IngressClass has no dependencies there), but its parameters change every Ingress's translation.
      const { ref } = classParametersRef(obj);
      return ref ? [{ ref, field: 'spec.parameters', inKicGraph: false }] : [];
    }
    case 'Ingress': {
      const view = ingressView(obj);
      const deps = plugins(obj);
      if (view.className !== undefined) deps.push({ ref: { group: NET, kind: 'IngressClass', name: view.className }, field: view.classSource === 'spec' ? 'spec.ingressClassName' : 'metadata.annotations["kubernetes.io/ingress.class"]', inKicGraph: true });
      // KIC's graph follows the rules' backends, not spec.defaultBackend (resolveIngressDependenciesService).
      if (view.defaultBackend?.serviceName) deps.push(service(ns, view.defaultBackend.serviceName, 'spec.defaultBackend', false));
      for (const p of view.paths) if (p.backend.serviceName) deps.push(service(ns, p.backend.serviceName, `${p.field}.backend`));
      // KongServiceFacade backends (backend.resource): the rules' are in KIC's graph, the defaultBackend's is not.
      if (isFacadeResource(view.defaultBackend?.resource)) deps.push(...facade(ns, view.defaultBackend!.resource!.name, 'spec.defaultBackend.resource', false));
      for (const p of view.paths) if (isFacadeResource(p.backend.resource)) deps.push(...facade(ns, p.backend.resource!.name, `${p.field}.backend.resource`, true));
      // An Ingress's own konghq.com/upstream-policy annotation is an edge too (resolveIngressDependenciesKongUpstreamPolicy).
      deps.push(...upstreamPolicy(obj), ...tlsSecrets(ns, view.tls));
      return deps;
    }
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'TCPRoute':
    case 'TLSRoute':
    case 'UDPRoute': {
      const deps = plugins(obj);
      for (const p of routeParentRefs(obj)) {
        if (p.group === GW && p.kind === 'Gateway') deps.push({ ref: { group: GW, kind: 'Gateway', namespace: p.namespace, name: p.name }, field: 'spec.parentRefs', inKicGraph: false });
      }
      for (const b of routeBackendRefs(obj)) {
        if (b.group !== '' || b.kind !== 'Service') continue;
        // KIC's graph looks every backendRef up in the route's own namespace (resolveGatewayAPIRouteDependenciesBackendRefs),
        // whatever its namespace says: a cross-namespace backend is an edge to a same-named Service here, and not to its own.
        deps.push(service(ns, b.name, b.field, true));
        if (b.namespace !== ns) deps.push(service(b.namespace, b.name, b.field, false));
      }
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
      if (cls) deps.push({ ref: { group: GW, kind: 'GatewayClass', name: cls }, field: 'spec.gatewayClassName', inKicGraph: false });
      gatewayListeners(obj).forEach((l, i) => {
        for (const c of l.certificateRefs) {
          if ((c.kind ?? 'Secret') === 'Secret' && (c.group ?? '') === '') {
            deps.push({ ref: { group: '', kind: 'Secret', namespace: c.namespace ?? ns, name: c.name }, field: `spec.listeners[${i}].tls.certificateRefs`, inKicGraph: false });
          }
        }
      });
      return deps;
    }
    case 'KongPlugin':
    case 'KongClusterPlugin':
      return pluginSecretRefs(obj).map((s) => ({ ref: { group: '', kind: 'Secret', namespace: s.namespace, name: s.name }, field: s.field, inKicGraph: true }));
    case 'KongConsumer': {
      const view = consumerView(obj);
      const deps = plugins(obj);
      view.credentials.forEach((name, i) => deps.push({ ref: { group: '', kind: 'Secret', namespace: ns, name }, field: `credentials[${i}]`, inKicGraph: true }));
      view.consumerGroups.forEach((name, i) => deps.push({ ref: { group: KONG, kind: 'KongConsumerGroup', namespace: ns, name }, field: `consumerGroups[${i}]`, inKicGraph: false }));
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

/** Distinct keys of the dependencies in KIC's fallback graph, for the index KIC's fallback is walked on. */
export function fallbackDependencyKeys(obj: K8sObject): string[] {
  return [...new Set(dependencies(obj).filter((d) => d.inKicGraph).map((d) => refKey(d.ref)))];
}
