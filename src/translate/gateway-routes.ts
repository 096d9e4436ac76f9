// GRPCRoute, TCPRoute, TLSRoute and UDPRoute -> Kong services and routes, as KIC 3.5 translates them with the
// traditional router (internal/dataplane/translator: translate_grpcroute.go and subtranslator/grpcroute.go,
// translate_tcproute.go, translate_tlsroute.go, translate_udproute.go, translate_routes_helpers.go). One Kong
// service per rule, named "<kind>.<namespace>.<name>.<rule>" (getUniqueKongServiceNameForObject), its host the
// same name. Pure over the view: the Translator decides whether the route is managed and memoises the result.
import { refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { gatewayListeners, gatewayRouteView, type BackendRef, type GatewayListener, type GatewayRouteRule, type ParentRef } from '../model/views.ts';
import type { StateView } from '../state/view.ts';
import { kicRouteId } from '../router/route-id.ts';
import type { KongRoute, KongService, KongServiceBackend } from './kong.ts';

const GW = 'gateway.networking.k8s.io';

export interface RouteTranslation {
  services: KongService[];
  routes: KongRoute[];
}

/** The Kong service backends of a rule's backendRefs to Services (other backend kinds carry no Kubernetes Service). */
export function kongBackends(refs: readonly BackendRef[]): KongServiceBackend[] {
  return refs
    .filter((b) => b.group === '' && b.kind === 'Service')
    .map((b) => {
      const service: ObjectRef = { group: '', kind: 'Service', namespace: b.namespace, name: b.name };
      return b.port === undefined ? { service, weight: b.weight } : { service, port: b.port, weight: b.weight };
    });
}

function inSection(p: ParentRef, l: GatewayListener): boolean {
  return p.sectionName === undefined || l.name === p.sectionName;
}

/** The listeners of the parent Gateways a route names that pass `keep` (getGatewayListeningPorts: sectionName, when set, picks one). */
export function parentListeners(view: StateView, parents: readonly ParentRef[], keep: (l: GatewayListener) => boolean): GatewayListener[] {
  return parents.flatMap((p) => {
    const gateway = view.get(refKey({ group: GW, kind: 'Gateway', namespace: p.namespace, name: p.name }));
    if (!gateway) return [];
    return gatewayListeners(gateway).filter((l) => inSection(p, l) && keep(l));
  });
}

function ports(listeners: GatewayListener[]): number[] {
  return listeners.flatMap((l) => (l.port === undefined ? [] : [l.port]));
}

/**
 * getGRPCRouteHostnamesAsSliceOfStringPointers: spec.hostnames, else the hostnames of the parent Gateways' listeners
 * (of the named section). A parent Gateway that does not exist makes KIC give up on listener hostnames altogether.
 */
function grpcHostnames(view: StateView, route: K8sObject): string[] {
  const v = gatewayRouteView(route);
  if (v.hostnames.length) return v.hostnames;
  const hosts: string[] = [];
  for (const p of v.parentRefs) {
    if (p.kind !== 'Gateway') continue;
    const gateway = view.get(refKey({ group: GW, kind: 'Gateway', namespace: p.namespace, name: p.name }));
    if (!gateway) return [];
    for (const l of gatewayListeners(gateway)) if (inSection(p, l) && l.hostname) hosts.push(l.hostname);
  }
  return hosts;
}

/** A rule's Kong service, named `<kind>.<namespace>.<name>.<rule>` unless `name` says otherwise. */
export function service(route: K8sObject, rule: GatewayRouteRule, protocol: string, permitted: (b: BackendRef) => boolean, name = `${route.kind.toLowerCase()}.${route.metadata.namespace ?? ''}.${route.metadata.name}.${rule.index}`): KongService {
  return { name, host: name, protocol, backends: kongBackends(rule.backendRefs.filter(permitted)), sources: [refOf(route)] };
}

/** The gRPC path of a method match (subtranslator/grpcroute.go getGRPCMatchDefaults): unset parts match anything. */
function grpcPath(type: string, service: string | undefined, method: string | undefined): string {
  const regex = type === 'RegularExpression';
  return `~/${service ?? '.+'}/${method ?? (regex ? '.+' : '')}`;
}

/** `permitted`: the backendRefs KIC keeps (same namespace, or granted by a ReferenceGrant). */
export function translateGRPCRoute(view: StateView, route: K8sObject, permitted: (b: BackendRef) => boolean): RouteTranslation {
  const v = gatewayRouteView(route);
  const ns = route.metadata.namespace ?? '';
  const source = refOf(route);
  // getProtocolForKongService: grpc when a parent listens with plain HTTP, else grpcs.
  const protocol = parentListeners(view, v.parentRefs, (l) => l.protocol === 'HTTP').length ? 'grpc' : 'grpcs';
  const hosts = grpcHostnames(view, route);
  const services: KongService[] = [];
  const routes: KongRoute[] = [];
  for (const rule of v.rules) {
    const svc = service(route, rule, protocol, permitted);
    services.push(svc);
    const name = (m: number) => `grpcroute.${ns}.${route.metadata.name}.${rule.index}.${m}`;
    const base = { service: svc.name, hosts, methods: [], protocols: ['grpc', 'grpcs'], sources: [source] };
    if (!rule.grpcMatches.length) {
      // No matches: the rule's hostnames, or every path when there are none.
      routes.push({ ...base, id: kicRouteId(name(0)), name: name(0), paths: hosts.length ? [] : ['/'], field: rule.field });
      continue;
    }
    rule.grpcMatches.forEach((m, i) => {
      const paths = m.method ? [grpcPath(m.method.type, m.method.service, m.method.method)] : [];
      routes.push({ ...base, id: kicRouteId(name(i)), name: name(i), paths, headers: m.headers, field: m.field });
    });
  }
  return { services, routes };
}

/**
 * TCPRoute, TLSRoute, UDPRoute: one Kong route per rule, "<kind>.<namespace>.<name>.<rule>.0". TCP and UDP routes
 * match the ports of the parents' TCP (UDP) listeners as destinations; TLS routes match the hostnames as SNIs,
 * with protocol tls_passthrough when a parent listener passes TLS through. Kong services speak tcp (TLSRoute too)
 * or udp.
 */
export function translateL4Route(view: StateView, route: K8sObject, permitted: (b: BackendRef) => boolean): RouteTranslation {
  const v = gatewayRouteView(route);
  const ns = route.metadata.namespace ?? '';
  const source = refOf(route);
  const kind = route.kind;
  const none: RouteTranslation = { services: [], routes: [] };
  if (!v.rules.length) return none; // ErrRouteValidationNoRules: the route is not translated
  if (kind === 'TLSRoute' && !v.hostnames.length) return none; // "no hostnames provided"
  // validateUDPRoute: every rule needs a backendRef or the whole UDPRoute is skipped.
  if (kind === 'UDPRoute' && v.rules.some((r) => !r.backendRefs.length)) return none;
  const listenerProtocol = kind === 'UDPRoute' ? 'UDP' : 'TCP';
  const destinations = kind === 'TLSRoute' ? [] : ports(parentListeners(view, v.parentRefs, (l) => l.protocol === listenerProtocol));
  // isTLSRoutePassthrough reads the parents KIC accepted (status.parents); those are the parentRefs that attach.
  const passthrough = kind === 'TLSRoute' && parentListeners(view, v.parentRefs, (l) => l.tlsMode === 'Passthrough').length > 0;
  const protocol = kind === 'UDPRoute' ? 'udp' : kind === 'TCPRoute' ? 'tcp' : passthrough ? 'tls_passthrough' : 'tls';
  const out: RouteTranslation = { services: [], routes: [] };
  for (const rule of v.rules) {
    // A TCPRoute rule without backendRefs fails the route there; the rules before it were already added (checkBackendRefs).
    if (kind === 'TCPRoute' && !rule.backendRefs.length) break;
    const svc = service(route, rule, kind === 'UDPRoute' ? 'udp' : 'tcp', permitted);
    out.services.push(svc);
    const routeName = `${kind.toLowerCase()}.${ns}.${route.metadata.name}.${rule.index}.0`;
    const kongRoute: KongRoute = {
      id: kicRouteId(routeName),
      name: routeName,
      service: svc.name,
      hosts: [],
      paths: [],
      methods: [],
      protocols: [protocol],
      field: rule.field,
      sources: [source],
    };
    if (kind === 'TLSRoute') kongRoute.snis = v.hostnames;
    else kongRoute.destinations = destinations;
    out.routes.push(kongRoute);
  }
  return out;
}
