// Small builders for plain Kubernetes objects used by the unit tests. Every builder returns a plain JS
// object (no classes, no freezing) shaped exactly like what `kubectl apply` or the API server would send.
import type { K8sObject } from '../../src/model/object.ts';

export interface MetaOpts {
  /** Namespace for namespaced kinds; defaults to `default`. Ignored for cluster-scoped kinds. */
  ns?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  /** `metadata.creationTimestamp`; a number n means 2024-01-01T00:00:00Z + n seconds (see `at`). */
  created?: string | number;
  /** Shorthand for the `konghq.com/plugins` annotation. */
  plugins?: string;
  /** Shorthand for the `kubernetes.io/ingress.class` annotation. */
  klass?: string;
}

/** An RFC 3339 timestamp `n` seconds after 2024-01-01T00:00:00Z. */
export function at(n: number): string {
  return new Date(Date.UTC(2024, 0, 1) + n * 1000).toISOString().replace('.000Z', 'Z');
}

function meta(name: string, opts: MetaOpts, namespaced: boolean): K8sObject['metadata'] {
  const m: K8sObject['metadata'] = { name };
  if (namespaced) m.namespace = opts.ns ?? 'default';
  const annotations: Record<string, string> = { ...opts.annotations };
  if (opts.plugins !== undefined) annotations['konghq.com/plugins'] = opts.plugins;
  if (opts.klass !== undefined) annotations['kubernetes.io/ingress.class'] = opts.klass;
  if (Object.keys(annotations).length) m.annotations = annotations;
  if (opts.labels) m.labels = { ...opts.labels };
  if (opts.created !== undefined) m.creationTimestamp = typeof opts.created === 'number' ? at(opts.created) : opts.created;
  return m;
}

// ---------------------------------------------------------------- networking.k8s.io

export interface PathSpec {
  host?: string;
  path?: string;
  pathType?: string;
  service: string;
  /** Number -> `port.number`, string -> `port.name`, absent -> no port. */
  port?: number | string;
}

function ingressBackend(service: string, port: number | string | undefined): Record<string, unknown> {
  const svc: Record<string, unknown> = { name: service };
  if (typeof port === 'number') svc.port = { number: port };
  else if (typeof port === 'string') svc.port = { name: port };
  return { service: svc };
}

export function ingress(
  name: string,
  opts: MetaOpts & {
    className?: string;
    paths?: PathSpec[];
    defaultBackend?: { service: string; port?: number | string };
    /** Raw spec, merged over what the other options build. */
    spec?: Record<string, unknown>;
  } = {},
): K8sObject {
  const spec: Record<string, unknown> = {};
  if (opts.className !== undefined) spec.ingressClassName = opts.className;
  if (opts.defaultBackend) spec.defaultBackend = ingressBackend(opts.defaultBackend.service, opts.defaultBackend.port);
  if (opts.paths) {
    const byHost = new Map<string, Record<string, unknown>[]>();
    for (const p of opts.paths) {
      const host = p.host ?? '';
      const list = byHost.get(host) ?? [];
      list.push({ path: p.path ?? '/', pathType: p.pathType ?? 'Prefix', backend: ingressBackend(p.service, p.port) });
      byHost.set(host, list);
    }
    spec.rules = [...byHost].map(([host, paths]) => (host ? { host, http: { paths } } : { http: { paths } }));
  }
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta(name, opts, true), spec: { ...spec, ...opts.spec } };
}

export function ingressClass(name = 'kong', opts: MetaOpts & { isDefault?: boolean; controller?: string } = {}): K8sObject {
  const m = meta(name, opts, false);
  if (opts.isDefault) m.annotations = { ...m.annotations, 'ingressclass.kubernetes.io/is-default-class': 'true' };
  return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: m, spec: { controller: opts.controller ?? 'ingress-controllers.konghq.com/kong' } };
}

// ---------------------------------------------------------------- core

export function service(name: string, opts: MetaOpts & { ports?: (number | { port: number; name?: string })[] } = {}): K8sObject {
  const ports = (opts.ports ?? [80]).map((p) => (typeof p === 'number' ? { port: p, protocol: 'TCP' } : { ...p, protocol: 'TCP' }));
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(name, opts, true), spec: { ports } };
}

export function secret(
  name: string,
  opts: MetaOpts & { data?: Record<string, string>; stringData?: Record<string, string>; credType?: string } = {},
): K8sObject {
  const m = meta(name, opts, true);
  if (opts.credType) m.labels = { ...m.labels, 'konghq.com/credential': opts.credType };
  const obj: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: m, type: 'Opaque' };
  if (opts.data) obj.data = { ...opts.data };
  if (opts.stringData) obj.stringData = { ...opts.stringData };
  return obj;
}

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function endpointSlice(name: string, serviceName: string, opts: MetaOpts = {}): K8sObject {
  const m = meta(name, opts, true);
  m.labels = { ...m.labels, 'kubernetes.io/service-name': serviceName };
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: m, addressType: 'IPv4', endpoints: [] };
}

// ---------------------------------------------------------------- gateway.networking.k8s.io

export const KIC_GATEWAY_CONTROLLER = 'konghq.com/kic-gateway-controller';

export function gatewayClass(name = 'kong', opts: MetaOpts & { controllerName?: string } = {}): K8sObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: meta(name, opts, false),
    spec: { controllerName: opts.controllerName ?? KIC_GATEWAY_CONTROLLER },
  };
}

export function gateway(name = 'kong', opts: MetaOpts & { className?: string; spec?: Record<string, unknown> } = {}): K8sObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: meta(name, opts, true),
    spec: { gatewayClassName: opts.className ?? 'kong', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }], ...opts.spec },
  };
}

export interface RouteRuleSpec {
  matches?: { path?: string; type?: string; method?: string }[];
  backends?: { name: string; port?: number; namespace?: string; weight?: number }[];
}

export function httpRoute(
  name: string,
  opts: MetaOpts & {
    /** Parent Gateways by name (same namespace) or full parentRef objects; defaults to `kong`. */
    parents?: (string | Record<string, unknown>)[];
    hostnames?: string[];
    rules?: RouteRuleSpec[];
    spec?: Record<string, unknown>;
  } = {},
): K8sObject {
  const parentRefs = (opts.parents ?? ['kong']).map((p) => (typeof p === 'string' ? { name: p } : p));
  const rules = (opts.rules ?? [{ matches: [{ path: `/${name}` }], backends: [{ name: 'echo', port: 80 }] }]).map((r) => {
    const rule: Record<string, unknown> = {};
    if (r.matches) {
      rule.matches = r.matches.map((m) => {
        const match: Record<string, unknown> = {};
        if (m.path !== undefined || m.type !== undefined) match.path = { type: m.type ?? 'PathPrefix', value: m.path ?? '/' };
        if (m.method) match.method = m.method;
        return match;
      });
    }
    if (r.backends) rule.backendRefs = r.backends.map((b) => ({ ...b }));
    return rule;
  });
  const spec: Record<string, unknown> = { parentRefs, rules };
  if (opts.hostnames) spec.hostnames = opts.hostnames;
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta(name, opts, true), spec: { ...spec, ...opts.spec } };
}

export function referenceGrant(
  name: string,
  opts: MetaOpts & { from: { group: string; kind: string; namespace: string }[]; to: { group: string; kind: string; name?: string }[] },
): K8sObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: meta(name, opts, true),
    spec: { from: opts.from, to: opts.to },
  };
}

// ---------------------------------------------------------------- configuration.konghq.com

export function kongPlugin(name: string, plugin: string, opts: MetaOpts & { config?: Record<string, unknown>; extra?: Record<string, unknown> } = {}): K8sObject {
  const obj: K8sObject = { apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: meta(name, opts, true), plugin };
  if (opts.config) obj.config = opts.config;
  return { ...obj, ...opts.extra };
}

export function kongClusterPlugin(
  name: string,
  plugin: string,
  opts: MetaOpts & { global?: boolean; config?: Record<string, unknown>; extra?: Record<string, unknown> } = {},
): K8sObject {
  const m = meta(name, opts, false);
  if (opts.global) m.labels = { ...m.labels, global: 'true' };
  const obj: K8sObject = { apiVersion: 'configuration.konghq.com/v1', kind: 'KongClusterPlugin', metadata: m, plugin };
  if (opts.config) obj.config = opts.config;
  return { ...obj, ...opts.extra };
}

export type ConsumerOpts = MetaOpts & { username?: string; customId?: string; credentials?: string[]; groups?: string[] };

/** A KongConsumer with `kubernetes.io/ingress.class: kong` unless `klass` says otherwise (see `unclassedConsumer`). */
export function consumer(name: string, opts: ConsumerOpts = {}): K8sObject {
  const obj: K8sObject = {
    apiVersion: 'configuration.konghq.com/v1',
    kind: 'KongConsumer',
    metadata: meta(name, { klass: 'kong', ...opts }, true),
  };
  if (opts.username !== undefined) obj.username = opts.username;
  if (opts.customId !== undefined) obj.custom_id = opts.customId;
  if (opts.credentials) obj.credentials = [...opts.credentials];
  if (opts.groups) obj.consumerGroups = [...opts.groups];
  return obj;
}

/** A KongConsumer without any class annotation. */
export function unclassedConsumer(name: string, opts: ConsumerOpts = {}): K8sObject {
  const obj = consumer(name, opts);
  const annotations = { ...obj.metadata.annotations };
  delete annotations['kubernetes.io/ingress.class'];
  obj.metadata = { ...obj.metadata, annotations };
  return obj;
}

export function consumerGroup(name: string, opts: MetaOpts = {}): K8sObject {
  return { apiVersion: 'configuration.konghq.com/v1beta1', kind: 'KongConsumerGroup', metadata: meta(name, { klass: 'kong', ...opts }, true) };
}

// ---------------------------------------------------------------- scenarios

/**
 * Seed 002's valid setup (the KIC fallback-configuration guide): classes, the Gateway, Service echo, route-a and
 * route-b (key-auth, rate-limit-base, rate-limit-consumer), the three KongPlugins, bob's key-auth Secret and
 * KongConsumer bob referencing rate-limit-consumer. Objects get increasing creation timestamps.
 */
export function seed002(): K8sObject[] {
  let t = 0;
  const c = () => ++t;
  return [
    ingressClass('kong', { isDefault: true, created: c() }),
    gatewayClass('kong', { created: c() }),
    gateway('kong', { created: c() }),
    service('echo', { ports: [{ port: 1027, name: 'http' }], created: c() }),
    httpRoute('route-a', { rules: [{ matches: [{ path: '/route-a' }], backends: [{ name: 'echo', port: 1027 }] }], created: c() }),
    httpRoute('route-b', {
      plugins: 'key-auth, rate-limit-base, rate-limit-consumer',
      rules: [{ matches: [{ path: '/route-b' }], backends: [{ name: 'echo', port: 1027 }] }],
      created: c(),
    }),
    kongPlugin('key-auth', 'key-auth', { created: c() }),
    kongPlugin('rate-limit-base', 'rate-limiting', { config: { second: 1, policy: 'local' }, created: c() }),
    kongPlugin('rate-limit-consumer', 'rate-limiting', { config: { second: 5, policy: 'local' }, created: c() }),
    secret('bob-key-auth', { credType: 'key-auth', stringData: { key: 'bob-password' }, created: c() }),
    consumer('bob', { plugins: 'rate-limit-consumer', username: 'bob', credentials: ['bob-key-auth'], created: c() }),
  ];
}

/** Replaces (by kind and name) objects in a list, for "the same state but ..." cases. */
export function replace(objects: K8sObject[], ...replacements: K8sObject[]): K8sObject[] {
  const same = (a: K8sObject, b: K8sObject) => a.kind === b.kind && a.metadata.name === b.metadata.name && a.metadata.namespace === b.metadata.namespace;
  return objects.map((o) => replacements.find((r) => same(o, r)) ?? o);
}

/** A copy of `obj` with its `konghq.com/plugins` annotation set (or removed with `undefined`). */
export function withPlugins(obj: K8sObject, plugins: string | undefined): K8sObject {
  const annotations = { ...obj.metadata.annotations };
  if (plugins === undefined) delete annotations['konghq.com/plugins'];
  else annotations['konghq.com/plugins'] = plugins;
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}
