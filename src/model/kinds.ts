// The kinds the engine reads. One table drives the loader, the admission router and the informers.

export type KindName =
  | 'Ingress'
  | 'IngressClass'
  | 'Service'
  | 'EndpointSlice'
  | 'Secret'
  | 'ConfigMap'
  | 'GatewayClass'
  | 'Gateway'
  | 'HTTPRoute'
  | 'GRPCRoute'
  | 'TCPRoute'
  | 'TLSRoute'
  | 'UDPRoute'
  | 'ReferenceGrant'
  | 'KongPlugin'
  | 'KongClusterPlugin'
  | 'KongConsumer'
  | 'KongConsumerGroup'
  | 'TCPIngress'
  | 'UDPIngress'
  | 'KongIngress'
  | 'KongUpstreamPolicy'
  | 'KongVault'
  | 'IngressClassParameters'
  | 'KongCustomEntity'
  | 'KongServiceFacade'
  | 'BackendTLSPolicy';

export interface KindInfo {
  kind: KindName;
  group: string;
  /** Served versions, preferred first. */
  versions: readonly string[];
  /** Resource name (plural) as used in GVRs and URLs. */
  resource: string;
  namespaced: boolean;
}

const GATEWAY = 'gateway.networking.k8s.io';
const KONG = 'configuration.konghq.com';

export const KINDS: readonly KindInfo[] = [
  { kind: 'Ingress', group: 'networking.k8s.io', versions: ['v1'], resource: 'ingresses', namespaced: true },
  { kind: 'IngressClass', group: 'networking.k8s.io', versions: ['v1'], resource: 'ingressclasses', namespaced: false },
  { kind: 'Service', group: '', versions: ['v1'], resource: 'services', namespaced: true },
  { kind: 'EndpointSlice', group: 'discovery.k8s.io', versions: ['v1'], resource: 'endpointslices', namespaced: true },
  { kind: 'Secret', group: '', versions: ['v1'], resource: 'secrets', namespaced: true },
  // Only those labelled konghq.com/ca-cert: "true" (CA certificates, as KIC's store.ListCACerts reads them).
  { kind: 'ConfigMap', group: '', versions: ['v1'], resource: 'configmaps', namespaced: true },
  { kind: 'GatewayClass', group: GATEWAY, versions: ['v1', 'v1beta1'], resource: 'gatewayclasses', namespaced: false },
  { kind: 'Gateway', group: GATEWAY, versions: ['v1', 'v1beta1'], resource: 'gateways', namespaced: true },
  { kind: 'HTTPRoute', group: GATEWAY, versions: ['v1', 'v1beta1'], resource: 'httproutes', namespaced: true },
  { kind: 'GRPCRoute', group: GATEWAY, versions: ['v1'], resource: 'grpcroutes', namespaced: true },
  // The experimental channel's L4 routes, at the version KIC 3.5 reads (internal/gatewayapi/aliases.go).
  { kind: 'TCPRoute', group: GATEWAY, versions: ['v1alpha2'], resource: 'tcproutes', namespaced: true },
  { kind: 'TLSRoute', group: GATEWAY, versions: ['v1alpha2'], resource: 'tlsroutes', namespaced: true },
  { kind: 'UDPRoute', group: GATEWAY, versions: ['v1alpha2'], resource: 'udproutes', namespaced: true },
  { kind: 'ReferenceGrant', group: GATEWAY, versions: ['v1beta1', 'v1'], resource: 'referencegrants', namespaced: true },
  { kind: 'KongPlugin', group: KONG, versions: ['v1'], resource: 'kongplugins', namespaced: true },
  { kind: 'KongClusterPlugin', group: KONG, versions: ['v1'], resource: 'kongclusterplugins', namespaced: false },
  { kind: 'KongConsumer', group: KONG, versions: ['v1'], resource: 'kongconsumers', namespaced: true },
  { kind: 'KongConsumerGroup', group: KONG, versions: ['v1beta1'], resource: 'kongconsumergroups', namespaced: true },
  { kind: 'TCPIngress', group: KONG, versions: ['v1beta1'], resource: 'tcpingresses', namespaced: true },
  { kind: 'UDPIngress', group: KONG, versions: ['v1beta1'], resource: 'udpingresses', namespaced: true },
  // Read for what they change in translation: a Service's upstream (KongIngress's upstream section, KongUpstreamPolicy),
  // and vaults, whose prefixes KIC keeps unique.
  { kind: 'KongIngress', group: KONG, versions: ['v1'], resource: 'kongingresses', namespaced: true },
  { kind: 'KongUpstreamPolicy', group: KONG, versions: ['v1beta1'], resource: 'kongupstreampolicies', namespaced: true },
  { kind: 'KongVault', group: KONG, versions: ['v1alpha1'], resource: 'kongvaults', namespaced: false },
  // Those KIC's IngressClass names in spec.parameters: legacy regex detection and service upstreams for the whole translation.
  { kind: 'IngressClassParameters', group: KONG, versions: ['v1alpha1'], resource: 'ingressclassparameterses', namespaced: true },
  // Kong entities of any type (mostly plugin entities such as Enterprise's degraphql_routes), attached to a plugin's scopes.
  { kind: 'KongCustomEntity', group: KONG, versions: ['v1alpha1'], resource: 'kongcustomentities', namespaced: true },
  // Ingress backends (backend.resource) with KIC's KongServiceFacade feature gate: a Kong service in front of a Service port.
  { kind: 'KongServiceFacade', group: 'incubator.ingress-controller.konghq.com', versions: ['v1alpha1'], resource: 'kongservicefacades', namespaced: true },
  // TLS from Kong to the Services it targets, read (with GatewayAlpha) at the version KIC 3.5 reads (internal/gatewayapi/aliases.go).
  { kind: 'BackendTLSPolicy', group: GATEWAY, versions: ['v1alpha3'], resource: 'backendtlspolicies', namespaced: true },
];

const byGroupKind = new Map(KINDS.map((k) => [`${k.group}/${k.kind}`, k]));
const byGroupResource = new Map(KINDS.map((k) => [`${k.group}/${k.resource}`, k]));

/** The kind we read for this group/kind, or undefined for kinds the engine ignores. */
export function kindInfo(group: string, kind: string): KindInfo | undefined {
  return byGroupKind.get(`${group}/${kind}`);
}

/** Lookup by group/resource, as AdmissionReview's `request.resource` names it. */
export function kindForResource(group: string, resource: string): KindInfo | undefined {
  return byGroupResource.get(`${group}/${resource}`);
}
