// Secondary indexes. Each is a pure function of one object, so the store can keep them up to date on
// every event and the overlay can answer "state + one change" without copying anything.
//
// The key functions come from model/ (an object's dependencies, its route-match keys, a credential
// type's unique field), not from the layers above that use the indexes. We considered client-go's way,
// a store built with index functions handed down from above, and chose against it: every index is a
// fact about one object, which is model/'s business; the names are part of StateView's contract, so they
// belong with their definitions; and a default set registered from above would make `new Store()` index
// nothing unless some other module happened to be imported first: silent empty look-ups, wrong verdicts.
import { dependencyKeys, fallbackDependencyKeys } from '../model/dependencies.ts';
import { CREDENTIAL_UNIQUE_FIELD, forType } from '../model/credentials.ts';
import { ingressMatchKeys, httpRouteMatchKeys } from '../model/matches.ts';
import { caCertificateOf, isRedacted } from '../model/secret.ts';
import { label, type K8sObject } from '../model/object.ts';
import { REWRITE_ANNOTATION, SERVICE_NAME_LABEL } from '../model/annotations.ts';
import { routedHostKeys } from '../model/hosts.ts';
import { classAnnotation, consumerView, httpRouteView, ingressView, isDefaultIngressClass, isGlobalPlugin, pluginInstanceName, pluginRefs, pluginType, vaultPrefix } from '../model/views.ts';

const CLASS_FILTERED = new Set(['KongConsumer', 'KongConsumerGroup', 'KongClusterPlugin', 'TCPIngress', 'UDPIngress', 'KongVault']);

export type IndexName =
  | 'dependants'
  | 'fallbackDependants'
  | 'consumerUsername'
  | 'consumerCustomId'
  | 'credential'
  | 'hostPath'
  | 'defaultBackend'
  | 'globalPlugin'
  | 'globalInstanceName'
  | 'vaultPrefix'
  | 'caCertificateId'
  | 'endpointSlices'
  | 'remotePluginNamespace'
  | 'classless'
  | 'routedHost'
  | 'defaultIngressClass'
  | 'referenceGrants'
  | 'serviceDroppers'
  | 'backendTLSPolicies';

export const INDEXES: Record<IndexName, (obj: K8sObject) => string[]> = {
  /** dependency key -> objects that depend on it (the reverse of the dependency graph). */
  dependants: dependencyKeys,
  /** The same, along KIC's fallback graph only: what a broken object takes down with it. */
  fallbackDependants: fallbackDependencyKeys,
  consumerUsername: (obj) => (obj.kind === 'KongConsumer' ? optional(consumerView(obj).username) : []),
  consumerCustomId: (obj) => (obj.kind === 'KongConsumer' ? optional(consumerView(obj).customId) : []),
  /** `type:digest` of a credential Secret's unique field -> Secrets. */
  credential: (obj) => {
    if (!isRedacted(obj) || !obj.facts.credentialType) return [];
    const type = obj.facts.credentialType;
    const field = forType(CREDENTIAL_UNIQUE_FIELD, type);
    const value = field ? obj.facts.fields[field] : undefined;
    return value && !value.empty ? [`${type}:${value.digest}`] : [];
  },
  /** host + path + matchers claimed by an Ingress or an HTTPRoute. */
  hostPath: (obj) => {
    if (obj.kind === 'Ingress') return ingressMatchKeys(ingressView(obj), obj.metadata.annotations);
    if (obj.kind === 'HTTPRoute') return httpRouteMatchKeys(httpRouteView(obj));
    return [];
  },
  /** Every Ingress with `spec.defaultBackend`, in one bucket: KIC picks one cluster-wide. */
  defaultBackend: (obj) => (obj.kind === 'Ingress' && ingressView(obj).defaultBackend ? ['*'] : []),
  /** plugin type -> global KongClusterPlugins. */
  globalPlugin: (obj) => (isGlobalPlugin(obj) ? optional(pluginType(obj)) : []),
  /** Keyed digest of a CA certificate's "id" -> the Secrets and ConfigMaps that carry it (KIC keeps one per id). */
  caCertificateId: (obj) => optional(caCertificateOf(obj)?.id?.digest),
  /** spec.prefix -> KongVaults (KIC keeps one vault per prefix). */
  vaultPrefix: (obj) => optional(vaultPrefix(obj)),
  /** instance_name -> global KongClusterPlugins (KIC passes a global plugin's name to Kong as it is). */
  globalInstanceName: (obj) => (isGlobalPlugin(obj) ? optional(pluginInstanceName(obj)) : []),
  /** namespace -> objects with a remote `namespace:name` plugin reference into it (ReferenceGrants decide those). */
  remotePluginNamespace: (obj) => [...new Set(pluginRefs(obj).filter((r) => r.remote).map((r) => r.namespace))],
  /** Class-filtered objects without a class: KIC translates them only while its IngressClass is the default. */
  classless: (obj) => {
    if (obj.kind === 'Ingress') return ingressView(obj).className === undefined ? ['*'] : [];
    return CLASS_FILTERED.has(obj.kind) && classAnnotation(obj) === undefined ? ['*'] : [];
  },
  /** `namespace/service` -> its EndpointSlices. */
  endpointSlices: (obj) => {
    const service = obj.kind === 'EndpointSlice' ? label(obj, SERVICE_NAME_LABEL) : undefined;
    return service ? [`${obj.metadata.namespace ?? ''}/${service}`] : [];
  },
  /** Hosts an Ingress or HTTPRoute serves, and their dot-suffixes (model/hosts.ts). */
  routedHost: routedHostKeys,
  /** IngressClasses marked as the cluster default, in one bucket. */
  defaultIngressClass: (obj) => (obj.kind === 'IngressClass' && isDefaultIngressClass(obj) ? ['*'] : []),
  /** namespace -> its ReferenceGrants. */
  referenceGrants: (obj) => (obj.kind === 'ReferenceGrant' ? [obj.metadata.namespace ?? ''] : []),
  /**
   * What an object that can make KIC drop a Kong service it shares depends on -> those objects (translate/kic-drops.ts):
   * an Ingress with konghq.com/rewrite, an HTTPRoute with filters. Narrower than `dependants`, so that a change to
   * any other Ingress or HTTPRoute does not re-translate every object sharing its Services.
   */
  serviceDroppers: (obj) => (mayDropSharedService(obj) ? dependencyKeys(obj) : []),
  /** What a BackendTLSPolicy depends on (its target Services, its CA ConfigMaps and Secrets) -> the policy: a Service's deck entity asks it. */
  backendTLSPolicies: (obj) => (obj.kind === 'BackendTLSPolicy' ? dependencyKeys(obj) : []),
};

function mayDropSharedService(obj: K8sObject): boolean {
  if (obj.kind === 'Ingress') return obj.metadata.annotations?.[REWRITE_ANNOTATION] !== undefined;
  if (obj.kind !== 'HTTPRoute') return false;
  const rules = (obj.spec as { rules?: unknown } | undefined)?.rules;
  const hasFilters = (x: unknown) => Array.isArray((x as { filters?: unknown } | null)?.filters) && (x as { filters: unknown[] }).filters.length > 0;
  return Array.isArray(rules) && rules.some((r) => hasFilters(r) || (Array.isArray((r as { backendRefs?: unknown } | null)?.backendRefs) && (r as { backendRefs: unknown[] }).backendRefs.some(hasFilters)));
}

export const INDEX_NAMES = Object.keys(INDEXES) as IndexName[];

function optional(value: string | undefined): string[] {
  return value ? [value] : [];
}
