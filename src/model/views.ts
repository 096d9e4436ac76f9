// Typed, defensive readers over raw objects. Objects come from users and may miss fields or carry wrong
// types; a reader returns what is usable and ignores the rest (schema problems are reported by rules).
import { PLUGINS_ANNOTATION, INGRESS_CLASS_ANNOTATION, DEFAULT_CLASS_ANNOTATION, GLOBAL_PLUGIN_LABEL, OVERRIDE_ANNOTATION, UPSTREAM_POLICY_ANNOTATION } from './annotations.ts';
import { annotation, asArray, asString, isRecord, label, memoizeByObject, ownValue, setOwn, type K8sObject } from './object.ts';

function spec(obj: K8sObject): Record<string, unknown> {
  return isRecord(obj.spec) ? obj.spec : {};
}

function asPort(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

// ---- plugin references (konghq.com/plugins) ----

export interface PluginRef {
  /** Namespace the reference resolves in: the referrer's own, or the remote one of `ns:name`. */
  namespace: string;
  name: string;
  remote: boolean;
}

/**
 * Parses `konghq.com/plugins` as KIC does: split on commas, trim, skip empties; `ns:name` is a remote
 * reference; entries with an empty side of the colon (or more than one colon) are dropped.
 */
export const pluginRefs: (obj: K8sObject) => PluginRef[] = memoizeByObject(function pluginRefs(obj: K8sObject): PluginRef[] {
  const value = annotation(obj, PLUGINS_ANNOTATION);
  if (!value) return [];
  const own = obj.metadata.namespace ?? '';
  const refs: PluginRef[] = [];
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const parts = entry.split(':');
    if (parts.length === 1) refs.push({ namespace: own, name: entry, remote: false });
    else if (parts.length === 2 && parts[0] && parts[1]) {
      refs.push({ namespace: parts[0], name: parts[1], remote: parts[0] !== own });
    }
  }
  return refs;
});

// ---- Ingress ----

export interface IngressBackend {
  serviceName?: string;
  portNumber?: number;
  portName?: string;
  /** `backend.resource` (e.g. KongServiceFacade). */
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

export interface IngressPath {
  host: string;
  path: string;
  pathType: string;
  backend: IngressBackend;
  /** JSON path of this entry, for messages: `spec.rules[0].http.paths[1]`. */
  field: string;
}

export interface IngressTls {
  hosts: string[];
  secretName?: string;
  field: string;
}

export interface IngressView {
  /** A non-empty `kubernetes.io/ingress.class` annotation wins over `spec.ingressClassName`, as in KIC's store. */
  className?: string;
  classSource: 'spec' | 'annotation' | 'none';
  defaultBackend?: IngressBackend;
  paths: IngressPath[];
  tls: IngressTls[];
}

function ingressBackend(value: unknown): IngressBackend | undefined {
  if (!isRecord(value)) return undefined;
  const backend: IngressBackend = {};
  if (isRecord(value.service)) {
    const name = asString(value.service.name);
    if (name) backend.serviceName = name;
    if (isRecord(value.service.port)) {
      const number = asPort(value.service.port.number);
      const portName = asString(value.service.port.name);
      if (number !== undefined) backend.portNumber = number;
      if (portName) backend.portName = portName;
    }
  }
  if (isRecord(value.resource)) {
    const resource: IngressBackend['resource'] = {};
    const apiGroup = asString(value.resource.apiGroup);
    const kind = asString(value.resource.kind);
    const name = asString(value.resource.name);
    if (apiGroup) resource.apiGroup = apiGroup;
    if (kind) resource.kind = kind;
    if (name) resource.name = name;
    backend.resource = resource;
  }
  return backend;
}

export const ingressView: (obj: K8sObject) => IngressView = memoizeByObject(function ingressView(obj: K8sObject): IngressView {
  const s = spec(obj);
  const specClass = asString(s.ingressClassName);
  const annotated = annotation(obj, INGRESS_CLASS_ANNOTATION);
  const view: IngressView = { classSource: 'none', paths: [], tls: [] };
  if (annotated) {
    view.className = annotated;
    view.classSource = 'annotation';
  } else if (specClass !== undefined) {
    view.className = specClass;
    view.classSource = 'spec';
  }
  const defaultBackend = ingressBackend(s.defaultBackend);
  if (defaultBackend) view.defaultBackend = defaultBackend;
  asArray(s.rules).forEach((rule, r) => {
    if (!isRecord(rule)) return;
    const host = asString(rule.host) ?? '';
    const http = isRecord(rule.http) ? rule.http : {};
    asArray(http.paths).forEach((p, i) => {
      if (!isRecord(p)) return;
      view.paths.push({
        host,
        path: asString(p.path) ?? '/',
        pathType: asString(p.pathType) ?? 'ImplementationSpecific',
        backend: ingressBackend(p.backend) ?? {},
        field: `spec.rules[${r}].http.paths[${i}]`,
      });
    });
  });
  view.tls = tlsOf(s);
  return view;
});

/** spec.tls of an Ingress or a TCPIngress (same shape). */
function tlsOf(s: Record<string, unknown>): IngressTls[] {
  return asArray(s.tls).flatMap((t, i): IngressTls[] => {
    if (!isRecord(t)) return [];
    const tls: IngressTls = { hosts: asArray(t.hosts).filter((h): h is string => typeof h === 'string'), field: `spec.tls[${i}]` };
    const secretName = asString(t.secretName);
    if (secretName) tls.secretName = secretName;
    return [tls];
  });
}

// ---- IngressClass, GatewayClass, Gateway ----

export function ingressClassController(obj: K8sObject): string | undefined {
  return asString(spec(obj).controller);
}

export function isDefaultIngressClass(obj: K8sObject): boolean {
  return annotation(obj, DEFAULT_CLASS_ANNOTATION) === 'true';
}

export function gatewayClassController(obj: K8sObject): string | undefined {
  return asString(spec(obj).controllerName);
}

export interface GatewayListener {
  name: string;
  hostname?: string;
  protocol?: string;
  port?: number;
  /** tls.mode: Terminate (the default) or Passthrough. */
  tlsMode?: string;
  certificateRefs: { name: string; namespace?: string; kind?: string; group?: string }[];
}

export function gatewayClassName(obj: K8sObject): string | undefined {
  return asString(spec(obj).gatewayClassName);
}

export const gatewayListeners: (obj: K8sObject) => GatewayListener[] = memoizeByObject(function gatewayListeners(obj: K8sObject): GatewayListener[] {
  return asArray(spec(obj).listeners).filter(isRecord).map((l) => {
    const listener: GatewayListener = { name: asString(l.name) ?? '', certificateRefs: [] };
    const hostname = asString(l.hostname);
    const protocol = asString(l.protocol);
    const port = asPort(l.port);
    if (hostname) listener.hostname = hostname;
    if (protocol) listener.protocol = protocol;
    if (port !== undefined) listener.port = port;
    const tls = isRecord(l.tls) ? l.tls : {};
    const tlsMode = asString(tls.mode);
    if (tlsMode) listener.tlsMode = tlsMode;
    for (const ref of asArray(tls.certificateRefs).filter(isRecord)) {
      const name = asString(ref.name);
      if (!name) continue;
      const cert: GatewayListener['certificateRefs'][number] = { name };
      const namespace = asString(ref.namespace);
      const kind = asString(ref.kind);
      const group = asString(ref.group);
      if (namespace) cert.namespace = namespace;
      if (kind) cert.kind = kind;
      if (group !== undefined) cert.group = group;
      listener.certificateRefs.push(cert);
    }
    return listener;
  });
});

// ---- HTTPRoute ----

export interface ParentRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  sectionName?: string;
}

export interface BackendRef {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  port?: number;
  weight: number;
  field: string;
}

export interface RouteMatch {
  pathType: string;
  path: string;
  method?: string;
  /** Header and query matches rendered as stable text, for conflict keys. */
  extra: string;
  field: string;
}

export interface RouteRule {
  matches: RouteMatch[];
  backendRefs: BackendRef[];
  field: string;
}

export interface HTTPRouteView {
  parentRefs: ParentRef[];
  hostnames: string[];
  rules: RouteRule[];
}

/** spec.parentRefs of any Gateway API route; group and kind default to Gateway, namespace to the route's. */
function parentRefsOf(s: Record<string, unknown>, own: string): ParentRef[] {
  return asArray(s.parentRefs).filter(isRecord).flatMap((p): ParentRef[] => {
    const name = asString(p.name);
    if (!name) return [];
    const ref: ParentRef = {
      group: asString(p.group) ?? 'gateway.networking.k8s.io',
      kind: asString(p.kind) ?? 'Gateway',
      namespace: asString(p.namespace) ?? own,
      name,
    };
    const sectionName = asString(p.sectionName);
    if (sectionName) ref.sectionName = sectionName;
    return [ref];
  });
}

/** A rule's backendRefs; group '' and kind Service by default (the Gateway API's BackendObjectReference). */
function backendRefsOf(rule: Record<string, unknown>, own: string, field: string): BackendRef[] {
  return asArray(rule.backendRefs).flatMap((b, i): BackendRef[] => {
    if (!isRecord(b)) return [];
    const name = asString(b.name);
    if (!name) return [];
    const ref: BackendRef = {
      group: asString(b.group) ?? '',
      kind: asString(b.kind) ?? 'Service',
      namespace: asString(b.namespace) ?? own,
      name,
      weight: typeof b.weight === 'number' ? b.weight : 1,
      field: `${field}.backendRefs[${i}]`,
    };
    const port = asPort(b.port);
    if (port !== undefined) ref.port = port;
    return [ref];
  });
}

function hostnamesOf(s: Record<string, unknown>): string[] {
  return asArray(s.hostnames).filter((h): h is string => typeof h === 'string');
}

export const httpRouteView: (obj: K8sObject) => HTTPRouteView = memoizeByObject(function httpRouteView(obj: K8sObject): HTTPRouteView {
  const s = spec(obj);
  const own = obj.metadata.namespace ?? '';
  const rules = asArray(s.rules).flatMap((rule, r): RouteRule[] => {
    if (!isRecord(rule)) return [];
    const field = `spec.rules[${r}]`;
    const rawMatches = asArray(rule.matches);
    // A rule without matches matches every path (Gateway API default: PathPrefix /).
    const matches = (rawMatches.length ? rawMatches : [{}]).flatMap((m, i): RouteMatch[] => {
      if (!isRecord(m)) return [];
      const path = isRecord(m.path) ? m.path : {};
      const match: RouteMatch = {
        pathType: asString(path.type) ?? 'PathPrefix',
        path: asString(path.value) ?? '/',
        extra: JSON.stringify([m.headers ?? [], m.queryParams ?? []]),
        field: `${field}.matches[${i}]`,
      };
      const method = asString(m.method);
      if (method) match.method = method;
      return [match];
    });
    return [{ matches, backendRefs: backendRefsOf(rule, own, field), field }];
  });
  return { parentRefs: parentRefsOf(s, own), hostnames: hostnamesOf(s), rules };
});

// ---- GRPCRoute, TCPRoute, TLSRoute, UDPRoute ----

/** The Gateway API route kinds other than HTTPRoute that KIC translates. */
export const GATEWAY_ROUTE_KINDS = ['GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'] as const;
/** Every Gateway API route kind KIC translates. */
export const ALL_GATEWAY_ROUTE_KINDS = ['HTTPRoute', ...GATEWAY_ROUTE_KINDS] as const;

export function isGatewayRoute(obj: K8sObject): boolean {
  return (ALL_GATEWAY_ROUTE_KINDS as readonly string[]).includes(obj.kind);
}

export interface GRPCMethodMatch {
  /** Exact (the default) or RegularExpression. */
  type: string;
  service?: string;
  method?: string;
}

export interface GRPCRouteMatch {
  method?: GRPCMethodMatch;
  /** Header name -> values, in order (KIC makes them the Kong route's headers). */
  headers: Record<string, string[]>;
  field: string;
}

export interface GatewayRouteRule {
  /** Index in spec.rules: KIC names Kong services and routes by it. */
  index: number;
  backendRefs: BackendRef[];
  /** GRPCRoute only: spec.rules[].matches as written (empty: match every call). */
  grpcMatches: GRPCRouteMatch[];
  field: string;
}

export interface GatewayRouteView {
  parentRefs: ParentRef[];
  hostnames: string[];
  rules: GatewayRouteRule[];
}

function grpcMatches(rule: Record<string, unknown>, field: string): GRPCRouteMatch[] {
  return asArray(rule.matches).flatMap((m, i): GRPCRouteMatch[] => {
    if (!isRecord(m)) return [];
    const match: GRPCRouteMatch = { headers: {}, field: `${field}.matches[${i}]` };
    if (isRecord(m.method)) {
      const method: GRPCMethodMatch = { type: asString(m.method.type) ?? 'Exact' };
      const service = asString(m.method.service);
      const name = asString(m.method.method);
      if (service !== undefined) method.service = service;
      if (name !== undefined) method.method = name;
      match.method = method;
    }
    for (const h of asArray(m.headers).filter(isRecord)) {
      const name = asString(h.name);
      const value = asString(h.value);
      if (name && value !== undefined) (ownValue(match.headers, name) ?? setOwn(match.headers, name, [])).push(value);
    }
    return [match];
  });
}

/** GRPCRoute, TCPRoute, TLSRoute and UDPRoute: parents, hostnames (GRPCRoute, TLSRoute) and rules with backendRefs. */
export const gatewayRouteView: (obj: K8sObject) => GatewayRouteView = memoizeByObject(function gatewayRouteView(obj: K8sObject): GatewayRouteView {
  const s = spec(obj);
  const own = obj.metadata.namespace ?? '';
  const rules = asArray(s.rules).flatMap((rule, r): GatewayRouteRule[] => {
    if (!isRecord(rule)) return [];
    const field = `spec.rules[${r}]`;
    return [{ index: r, backendRefs: backendRefsOf(rule, own, field), grpcMatches: obj.kind === 'GRPCRoute' ? grpcMatches(rule, field) : [], field }];
  });
  return { parentRefs: parentRefsOf(s, own), hostnames: hostnamesOf(s), rules };
});

/** The parentRefs of any Gateway API route kind (empty for other kinds). */
export function routeParentRefs(obj: K8sObject): ParentRef[] {
  if (obj.kind === 'HTTPRoute') return httpRouteView(obj).parentRefs;
  return isGatewayRoute(obj) ? gatewayRouteView(obj).parentRefs : [];
}

/** A Gateway API route's backendRefs, rule by rule (KIC builds one Kong service per rule). */
export function routeRuleBackendRefs(obj: K8sObject): BackendRef[][] {
  if (obj.kind === 'HTTPRoute') return httpRouteView(obj).rules.map((r) => r.backendRefs);
  return isGatewayRoute(obj) ? gatewayRouteView(obj).rules.map((r) => r.backendRefs) : [];
}

/** The backendRefs of every rule of any Gateway API route kind. */
export function routeBackendRefs(obj: K8sObject): BackendRef[] {
  return routeRuleBackendRefs(obj).flat();
}

// ---- TCPIngress, UDPIngress (configuration.konghq.com/v1beta1) ----

export interface StreamIngressRule {
  /** Index in spec.rules: KIC names the Kong route by it. */
  index: number;
  /** TCPIngress only: the SNI the rule matches ('' = any). */
  host: string;
  /** The port Kong listens on (a stream listener). */
  port?: number;
  serviceName?: string;
  servicePort?: number;
  field: string;
}

export interface StreamIngressView {
  rules: StreamIngressRule[];
  /** TCPIngress spec.tls, as Ingress tls. */
  tls: IngressTls[];
}

export const streamIngressView: (obj: K8sObject) => StreamIngressView = memoizeByObject(function streamIngressView(obj: K8sObject): StreamIngressView {
  const s = spec(obj);
  const rules = asArray(s.rules).flatMap((rule, i): StreamIngressRule[] => {
    if (!isRecord(rule)) return [];
    const out: StreamIngressRule = { index: i, host: asString(rule.host) ?? '', field: `spec.rules[${i}]` };
    const port = asPort(rule.port);
    if (port !== undefined) out.port = port;
    if (isRecord(rule.backend)) {
      const serviceName = asString(rule.backend.serviceName);
      const servicePort = asPort(rule.backend.servicePort);
      if (serviceName) out.serviceName = serviceName;
      if (servicePort !== undefined) out.servicePort = servicePort;
    }
    return [out];
  });
  return { rules, tls: tlsOf(s) };
});

// ---- ReferenceGrant ----

export interface ReferenceGrantView {
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name?: string }[];
}

export const referenceGrantView: (obj: K8sObject) => ReferenceGrantView = memoizeByObject(function referenceGrantView(obj: K8sObject): ReferenceGrantView {
  const s = spec(obj);
  return {
    from: asArray(s.from).filter(isRecord).map((f) => ({
      group: asString(f.group) ?? '',
      kind: asString(f.kind) ?? '',
      namespace: asString(f.namespace) ?? '',
    })),
    to: asArray(s.to).filter(isRecord).map((t) => {
      const to: { group: string; kind: string; name?: string } = { group: asString(t.group) ?? '', kind: asString(t.kind) ?? '' };
      const name = asString(t.name);
      if (name) to.name = name;
      return to;
    }),
  };
});

// ---- Service ----

export interface ServicePort {
  name?: string;
  port: number;
  protocol: string;
}

export const servicePorts: (obj: K8sObject) => ServicePort[] = memoizeByObject(function servicePorts(obj: K8sObject): ServicePort[] {
  return asArray(spec(obj).ports).filter(isRecord).flatMap((p): ServicePort[] => {
    const port = asPort(p.port);
    if (port === undefined) return [];
    const sp: ServicePort = { port, protocol: asString(p.protocol) ?? 'TCP' };
    const name = asString(p.name);
    if (name) sp.name = name;
    return [sp];
  });
});

// ---- Kong kinds ----

export function pluginType(obj: K8sObject): string | undefined {
  return asString(obj.plugin);
}

/** A KongPlugin's or KongClusterPlugin's `instance_name` (KIC passes it to Kong, suffixed per scope unless global). */
export function pluginInstanceName(obj: K8sObject): string | undefined {
  return obj.kind === 'KongPlugin' || obj.kind === 'KongClusterPlugin' ? asString(obj.instance_name) : undefined;
}

export function isGlobalPlugin(obj: K8sObject): boolean {
  return obj.kind === 'KongClusterPlugin' && label(obj, GLOBAL_PLUGIN_LABEL) === 'true';
}

export interface ConfigSecretRef {
  namespace: string;
  name: string;
  key?: string;
  field: string;
}

/** Secrets read by a plugin's `configFrom` / `configPatches`. */
export const pluginSecretRefs: (obj: K8sObject) => ConfigSecretRef[] = memoizeByObject(function pluginSecretRefs(obj: K8sObject): ConfigSecretRef[] {
  const own = obj.metadata.namespace ?? '';
  const refs: ConfigSecretRef[] = [];
  const add = (value: unknown, field: string) => {
    if (!isRecord(value)) return;
    const name = asString(value.name);
    if (!name) return;
    const namespace = asString(value.namespace) ?? own;
    const ref: ConfigSecretRef = { namespace, name, field };
    const key = asString(value.key);
    if (key) ref.key = key;
    refs.push(ref);
  };
  if (isRecord(obj.configFrom)) {
    add(obj.configFrom.secretKeyRef, 'configFrom.secretKeyRef');
  }
  asArray(obj.configPatches).forEach((patch, i) => {
    if (isRecord(patch) && isRecord(patch.valueFrom)) add(patch.valueFrom.secretKeyRef, `configPatches[${i}].valueFrom.secretKeyRef`);
  });
  return refs;
});

export interface ConsumerView {
  username?: string;
  customId?: string;
  credentials: string[];
  consumerGroups: string[];
}

export const consumerView: (obj: K8sObject) => ConsumerView = memoizeByObject(function consumerView(obj: K8sObject): ConsumerView {
  const view: ConsumerView = {
    credentials: asArray(obj.credentials).filter((c): c is string => typeof c === 'string' && c !== ''),
    consumerGroups: asArray(obj.consumerGroups).filter((c): c is string => typeof c === 'string' && c !== ''),
  };
  const username = asString(obj.username);
  const customId = asString(obj.custom_id);
  if (username) view.username = username;
  if (customId) view.customId = customId;
  return view;
});

/** The object's `kubernetes.io/ingress.class` annotation, which Kong kinds use for class matching. */
export function classAnnotation(obj: K8sObject): string | undefined {
  return annotation(obj, INGRESS_CLASS_ANNOTATION) || undefined;
}

// ---- Upstream settings and vaults (configuration.konghq.com) ----

/** The KongUpstreamPolicy a Service names (konghq.com/upstream-policy), in its own namespace. */
export function upstreamPolicyName(service: K8sObject): string | undefined {
  return service.kind === 'Service' ? annotation(service, UPSTREAM_POLICY_ANNOTATION) || undefined : undefined;
}

/** The KongIngress a Service names (konghq.com/override), in its own namespace. */
export function kongIngressName(service: K8sObject): string | undefined {
  return service.kind === 'Service' ? annotation(service, OVERRIDE_ANNOTATION) || undefined : undefined;
}

/** Which top-level sections a KongIngress sets (KIC 3.x reads only `upstream`). */
export function kongIngressSections(obj: K8sObject): ('proxy' | 'route' | 'upstream')[] {
  return (['proxy', 'route', 'upstream'] as const).filter((s) => obj[s] !== undefined && obj[s] !== null);
}

/** A KongUpstreamPolicy's `spec.algorithm`. */
export function upstreamPolicyAlgorithm(obj: K8sObject): string | undefined {
  return isRecord(obj.spec) ? asString(obj.spec.algorithm) : undefined;
}

/** A KongVault's `spec.prefix`, the name Kong's `{vault://prefix/...}` references use. */
export function vaultPrefix(obj: K8sObject): string | undefined {
  return obj.kind === 'KongVault' && isRecord(obj.spec) ? asString(obj.spec.prefix) : undefined;
}
