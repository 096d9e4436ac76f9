// Synthetic KIC clusters for the benchmark, deterministic from a seed, and the AdmissionReviews it sends.
//
// Shape (documented in README "Benchmark"): a fixed cluster-wide part plus namespaces of exactly
// NAMESPACE_OBJECTS objects each. Bigger clusters have more namespaces, not bigger ones, as real clusters
// grow by teams and apps; the last namespace is cut short so the total is exactly the requested count.
//
// Per namespace (100 objects):
//   20 Services (ClusterIP, one port)            20 EndpointSlices (one per Service, 1-3 endpoints)
//   16 Ingresses: 80% spec.ingressClassName kong, 10% class-less (kong is the default class), 10% nginx;
//      1-2 hosts, 1-3 paths each, TLS on every other one; ~70% name 1-2 namespace KongPlugins in
//      konghq.com/plugins, ~5% also the KongClusterPlugin bot-detection
//    8 TLS Secrets (kubernetes.io/tls, the *.example.com wildcard), one per two Ingresses
//    6 KongPlugins of distinct types (5 for routes, rate-limiting "consumer-rl" for consumers only)
//    8 HTTPRoutes attached to Gateway default/kong, half with plugins
//   10 KongConsumers (class kong, unique usernames), 40% in a consumer group, 30% with consumer-rl,
//   10 key-auth credential Secrets (label konghq.com/credential: key-auth, unique keys)
//    2 KongConsumerGroups
// Cluster-wide (18 objects): IngressClasses kong (default) and nginx, GatewayClass and Gateway kong (KIC's
// controller) with its TLS Secret, 3 global KongClusterPlugins of distinct types and 1 non-global
// (bot-detection), and the seed 002 objects in namespace default (Service echo and its EndpointSlice,
// HTTPRoutes route-a and route-b, KongPlugins key-auth, rate-limit-base and rate-limit-consumer,
// Secret bob-key-auth and KongConsumer bob).
// Half of the user-made objects carry kubectl's last-applied-configuration annotation (client-side apply,
// Argo CD's default); the others came from Helm or server-side apply. Objects are as an informer keeps
// them: no managedFields. The reviews carry managedFields, as the API server sends them.
import type { K8sObject } from '../src/model/object.ts';
import { WILDCARD_CERT, WILDCARD_KEY } from '../src/rules/tls-example-certs.ts';

export const NAMESPACE_OBJECTS = 100;
export const DEFAULT_SEED = 20261122;

const NET = 'networking.k8s.io/v1';
const GW = 'gateway.networking.k8s.io/v1';
const KONG = 'configuration.konghq.com/v1';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROUTE_PLUGINS = [
  ['rate-limit', 'rate-limiting', { minute: 600, policy: 'local' }],
  ['cors', 'cors', { origins: ['*'], credentials: false }],
  ['req-transform', 'request-transformer', { add: { headers: ['x-team:payments'] } }],
  ['key-auth', 'key-auth', { key_names: ['apikey'], hide_credentials: true }],
  ['resp-transform', 'response-transformer', { remove: { headers: ['server'] } }],
] as const;
const GLOBAL_PLUGINS = [
  ['prometheus', 'prometheus', { per_consumer: false, status_code_metrics: true }],
  ['correlation-id', 'correlation-id', { header_name: 'x-request-id', generator: 'uuid#counter' }],
  ['request-size-limiting', 'request-size-limiting', { allowed_payload_size: 8 }],
] as const;

/** mulberry32: small, fast, good enough for synthetic data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  hex(chars: number): string {
    let s = '';
    while (s.length < chars) s += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, chars);
  }
  uid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  base64(bytes: number): string {
    const buf = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) buf[i] = Math.floor(this.next() * 256);
    return buf.toString('base64');
  }
  suffix(): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let s = '';
    for (let i = 0; i < 5; i++) s += this.pick(alphabet.split(''));
    return s;
  }
}

export interface Cluster {
  seed: number;
  objects: K8sObject[];
  /** Full namespaces (ns-0 ..), then the partial one. */
  namespaces: number;
  /** The namespace the workloads change: ns-4 (ns-0 in clusters too small to have it). */
  workloadNamespace: string;
}

interface Ctx {
  r: Rand;
  rv: number;
  epoch: number;
}

function meta(ctx: Ctx, name: string, namespace: string | undefined, extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  const m: Record<string, unknown> = { name };
  if (namespace !== undefined) m.namespace = namespace;
  m.uid = ctx.r.uid();
  m.resourceVersion = String(++ctx.rv + 100000);
  m.generation = ctx.r.int(1, 4);
  m.creationTimestamp = new Date(ctx.epoch + ctx.r.int(0, 365 * 24 * 3600) * 1000).toISOString().replace('.000Z', 'Z');
  if (extra.labels) m.labels = extra.labels;
  if (extra.annotations) m.annotations = extra.annotations;
  return m;
}

/** Adds kubectl's last-applied-configuration (the user's manifest) to about half the user-made objects. */
function applied(ctx: Ctx, obj: Record<string, unknown>): K8sObject {
  const o = obj as unknown as K8sObject;
  if (!ctx.r.chance(0.5)) return o;
  const { uid: _u, resourceVersion: _r, generation: _g, creationTimestamp: _c, ...manifestMeta } = o.metadata;
  const { status: _s, ...rest } = o;
  const manifest = { ...rest, metadata: { ...manifestMeta, annotations: { ...(manifestMeta.annotations ?? {}) } } };
  if (Object.keys(manifest.metadata.annotations).length === 0) delete (manifest.metadata as { annotations?: unknown }).annotations;
  o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [LAST_APPLIED]: JSON.stringify(manifest) + '\n' };
  return o;
}

function service(ctx: Ctx, ns: string, name: string): K8sObject {
  const ip = `10.96.${ctx.r.int(0, 255)}.${ctx.r.int(1, 254)}`;
  return applied(ctx, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(ctx, name, ns, { labels: { app: name, 'app.kubernetes.io/part-of': ns } }),
    spec: {
      clusterIP: ip,
      clusterIPs: [ip],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      selector: { app: name },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  });
}

function endpointSlice(ctx: Ctx, svc: K8sObject): K8sObject {
  const ns = svc.metadata.namespace!;
  const name = svc.metadata.name;
  const endpoints = Array.from({ length: ctx.r.int(1, 3) }, () => {
    const pod = `${name}-${ctx.r.hex(10)}-${ctx.r.suffix()}`;
    return {
      addresses: [`10.244.${ctx.r.int(0, 255)}.${ctx.r.int(1, 254)}`],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: `node-${ctx.r.int(0, 49)}`,
      targetRef: { kind: 'Pod', name: pod, namespace: ns, uid: ctx.r.uid() },
      zone: ctx.r.pick(['zone-a', 'zone-b', 'zone-c']),
    };
  });
  const m = meta(ctx, `${name}-${ctx.r.suffix()}`, ns, {
    labels: { app: name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': name },
    annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': svc.metadata.creationTimestamp! },
  });
  m.ownerReferences = [{ apiVersion: 'v1', blockOwnerDeletion: true, controller: true, kind: 'Service', name, uid: svc.metadata.uid }];
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: m, addressType: 'IPv4', endpoints, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] } as unknown as K8sObject;
}

// A real certificate, so the TLS rules judge the generated state clean: the *.example.com wildcard, the way
// many clusters copy one wildcard into every namespace (the engine parses a repeated pair once).
const WILDCARD_TLS = { 'tls.crt': Buffer.from(WILDCARD_CERT).toString('base64'), 'tls.key': Buffer.from(WILDCARD_KEY).toString('base64') };

function tlsSecret(ctx: Ctx, ns: string, name: string): K8sObject {
  return applied(ctx, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(ctx, name, ns, { labels: { 'cert-manager.io/certificate-name': name } }),
    type: 'kubernetes.io/tls',
    data: { ...WILDCARD_TLS },
  });
}

function kongPlugin(ctx: Ctx, ns: string, name: string, type: string, config: unknown): K8sObject {
  return applied(ctx, { apiVersion: KONG, kind: 'KongPlugin', metadata: meta(ctx, name, ns), plugin: type, config });
}

function keyAuthSecret(ctx: Ctx, ns: string, name: string, key: string): K8sObject {
  return applied(ctx, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(ctx, name, ns, { labels: { 'konghq.com/credential': 'key-auth' } }),
    type: 'Opaque',
    data: { key: Buffer.from(key).toString('base64') },
  });
}

function lbStatus(ctx: Ctx) {
  return { loadBalancer: { ingress: [{ ip: `203.0.113.${ctx.r.int(1, 254)}` }] } };
}

function namespaceUnit(ctx: Ctx, ns: string): K8sObject[] {
  const r = ctx.r;
  const out: K8sObject[] = [];
  // Plugins and groups first, then Services, Secrets, routes, consumers: any prefix of this list is a
  // consistent namespace (the last one is cut short).
  for (const [name, type, config] of ROUTE_PLUGINS) out.push(kongPlugin(ctx, ns, name, type, config));
  out.push(kongPlugin(ctx, ns, 'consumer-rl', 'rate-limiting', { minute: 60, policy: 'local' }));
  for (const group of ['gold', 'silver']) {
    out.push(applied(ctx, { apiVersion: 'configuration.konghq.com/v1beta1', kind: 'KongConsumerGroup', metadata: meta(ctx, group, ns, { annotations: { 'kubernetes.io/ingress.class': 'kong' } }) }));
  }
  const services = Array.from({ length: 20 }, (_, i) => service(ctx, ns, `svc-${i}`));
  out.push(...services);
  for (const s of services) out.push(endpointSlice(ctx, s));
  for (let i = 0; i < 8; i++) out.push(tlsSecret(ctx, ns, `tls-${i}`));

  for (let i = 0; i < 16; i++) {
    const name = `ing-${i}`;
    const cls = r.next();
    const spec: Record<string, unknown> = {};
    if (cls < 0.8) spec.ingressClassName = 'kong';
    else if (cls >= 0.9) spec.ingressClassName = 'nginx';
    const hosts = Array.from({ length: r.int(1, 2) }, (_, h) => `${name}${h ? `-${h}` : ''}-${ns}.example.com`);
    spec.rules = hosts.map((host) => ({
      host,
      http: {
        paths: Array.from({ length: r.int(1, 3) }, (_, p) => {
          const svc = r.pick(services).metadata.name;
          return {
            path: p === 0 ? '/' : `/${r.pick(['api', 'v1', 'static', 'auth', 'admin', 'graphql'])}${p}`,
            pathType: r.pick(['Prefix', 'Prefix', 'Prefix', 'ImplementationSpecific', 'Exact']),
            backend: { service: r.chance(0.8) ? { name: svc, port: { number: 80 } } : { name: svc, port: { name: 'http' } } },
          };
        }),
      },
    }));
    if (i % 2 === 0) spec.tls = [{ hosts, secretName: `tls-${i / 2}` }];
    const annotations: Record<string, string> = {};
    const plugins: string[] = [];
    if (r.chance(0.7)) {
      const first = r.int(0, ROUTE_PLUGINS.length - 1);
      plugins.push(ROUTE_PLUGINS[first]![0]);
      if (r.chance(0.4)) plugins.push(ROUTE_PLUGINS[(first + r.int(1, ROUTE_PLUGINS.length - 1)) % ROUTE_PLUGINS.length]![0]);
    }
    if (r.chance(0.05)) plugins.push('bot-detection');
    if (plugins.length) annotations['konghq.com/plugins'] = plugins.join(',');
    if (r.chance(0.3)) annotations['konghq.com/strip-path'] = 'true';
    if (r.chance(0.2)) annotations['konghq.com/protocols'] = 'https';
    const m = meta(ctx, name, ns, { labels: { app: name }, annotations });
    out.push(applied(ctx, { apiVersion: NET, kind: 'Ingress', metadata: m, spec, status: spec.ingressClassName === 'nginx' ? { loadBalancer: {} } : lbStatus(ctx) }));
  }

  for (let i = 0; i < 8; i++) {
    const name = `route-${i}`;
    const annotations: Record<string, string> = {};
    if (r.chance(0.5)) annotations['konghq.com/plugins'] = r.pick(ROUTE_PLUGINS)[0];
    const rules = Array.from({ length: r.int(1, 3) }, (_, k) => ({
      matches: [{ path: { type: 'PathPrefix', value: k === 0 ? '/' : `/${r.pick(['api', 'v2', 'events', 'hooks'])}${k}` } }],
      backendRefs: [{ group: '', kind: 'Service', name: r.pick(services).metadata.name, port: 80, weight: 1 }],
    }));
    const spec = { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'kong', namespace: 'default' }], hostnames: [`${name}-${ns}.example.com`], rules };
    const status = {
      parents: [
        {
          controllerName: 'konghq.com/kic-gateway-controller',
          parentRef: spec.parentRefs[0],
          conditions: [
            { type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: 1, lastTransitionTime: '2026-11-01T00:00:00Z' },
            { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: '', observedGeneration: 1, lastTransitionTime: '2026-11-01T00:00:00Z' },
          ],
        },
      ],
    };
    out.push(applied(ctx, { apiVersion: GW, kind: 'HTTPRoute', metadata: meta(ctx, name, ns, { annotations }), spec, status }));
  }

  for (let i = 0; i < 10; i++) {
    const name = `user-${i}`;
    const secretName = `${name}-key-auth`;
    out.push(keyAuthSecret(ctx, ns, secretName, `${ns}-${name}-${r.hex(24)}`));
    const annotations: Record<string, string> = { 'kubernetes.io/ingress.class': 'kong' };
    if (r.chance(0.3)) annotations['konghq.com/plugins'] = 'consumer-rl';
    const consumer: Record<string, unknown> = { apiVersion: KONG, kind: 'KongConsumer', metadata: meta(ctx, name, ns, { annotations }), username: `${ns}-${name}`, credentials: [secretName] };
    if (r.chance(0.4)) consumer.consumerGroups = [r.pick(['gold', 'silver'])];
    out.push(applied(ctx, consumer));
  }
  if (out.length !== NAMESPACE_OBJECTS) throw new Error(`a namespace unit has ${out.length} objects, not ${NAMESPACE_OBJECTS}`);
  return out;
}

/** Seed 002's valid setup (fixtures/inputs a1-b4), in namespace default. */
function seed002(ctx: Ctx): K8sObject[] {
  const echo = service(ctx, 'default', 'echo');
  (echo.spec as { ports: unknown }).ports = [{ name: 'http', port: 1027, protocol: 'TCP', targetPort: 1027 }];
  const route = (name: string, annotations?: Record<string, string>) =>
    applied(ctx, {
      apiVersion: GW,
      kind: 'HTTPRoute',
      metadata: meta(ctx, name, 'default', annotations ? { annotations } : {}),
      spec: { parentRefs: [{ name: 'kong' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/${name}` } }], backendRefs: [{ name: 'echo', port: 1027 }] }] },
    });
  return [
    echo,
    endpointSlice(ctx, echo),
    route('route-a'),
    route('route-b', { 'konghq.com/plugins': 'key-auth, rate-limit-base, rate-limit-consumer' }),
    kongPlugin(ctx, 'default', 'key-auth', 'key-auth', undefined),
    kongPlugin(ctx, 'default', 'rate-limit-base', 'rate-limiting', { second: 1, policy: 'local' }),
    kongPlugin(ctx, 'default', 'rate-limit-consumer', 'rate-limiting', { second: 5, policy: 'local' }),
    keyAuthSecret(ctx, 'default', 'bob-key-auth', 'bob-password'),
    applied(ctx, {
      apiVersion: KONG,
      kind: 'KongConsumer',
      metadata: meta(ctx, 'bob', 'default', { annotations: { 'konghq.com/plugins': 'rate-limit-consumer', 'kubernetes.io/ingress.class': 'kong' } }),
      username: 'bob',
      credentials: ['bob-key-auth'],
    }),
  ].map((o) => {
    if (o.kind === 'KongPlugin' && o.config === undefined) delete o.config;
    return o;
  });
}

function clusterWide(ctx: Ctx): K8sObject[] {
  const out: K8sObject[] = [
    applied(ctx, { apiVersion: NET, kind: 'IngressClass', metadata: meta(ctx, 'kong', undefined, { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }), spec: { controller: 'ingress-controllers.konghq.com/kong' } }),
    applied(ctx, { apiVersion: NET, kind: 'IngressClass', metadata: meta(ctx, 'nginx', undefined), spec: { controller: 'k8s.io/ingress-nginx' } }),
    applied(ctx, { apiVersion: GW, kind: 'GatewayClass', metadata: meta(ctx, 'kong', undefined), spec: { controllerName: 'konghq.com/kic-gateway-controller' } }),
    tlsSecret(ctx, 'default', 'gateway-tls'),
    applied(ctx, {
      apiVersion: GW,
      kind: 'Gateway',
      metadata: meta(ctx, 'kong', 'default'),
      spec: {
        gatewayClassName: 'kong',
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
          { name: 'https', protocol: 'HTTPS', port: 443, allowedRoutes: { namespaces: { from: 'All' } }, tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'gateway-tls' }] } },
        ],
      },
    }),
  ];
  for (const [name, type, config] of GLOBAL_PLUGINS) {
    out.push(applied(ctx, { apiVersion: KONG, kind: 'KongClusterPlugin', metadata: meta(ctx, name, undefined, { labels: { global: 'true' }, annotations: { 'kubernetes.io/ingress.class': 'kong' } }), plugin: type, config }));
  }
  out.push(applied(ctx, { apiVersion: KONG, kind: 'KongClusterPlugin', metadata: meta(ctx, 'bot-detection', undefined, { annotations: { 'kubernetes.io/ingress.class': 'kong' } }), plugin: 'bot-detection', config: { deny: ['curl'] } }));
  return out;
}

export const FIXED_OBJECTS = 18;
/** The namespace whose objects the workloads change (the same objects at every size from 1k up). */
export const WORKLOAD_NAMESPACE = 4;

/** Exactly `count` objects (at least FIXED_OBJECTS), the same for the same seed. */
export function generateCluster(count: number, seed = DEFAULT_SEED): Cluster {
  const ctx: Ctx = { r: new Rand(seed), rv: 0, epoch: Date.UTC(2025, 0, 1) };
  const objects = [...clusterWide(ctx), ...seed002(ctx)];
  if (objects.length !== FIXED_OBJECTS) throw new Error(`the fixed part has ${objects.length} objects`);
  if (count < FIXED_OBJECTS) throw new Error(`a cluster has at least ${FIXED_OBJECTS} objects`);
  let ns = 0;
  while (objects.length < count) {
    // Each namespace has its own stream: ns-4 is the same in every cluster size, so the workloads are too.
    ctx.r = new Rand((seed ^ Math.imul(ns + 1, 0x9e3779b1)) >>> 0);
    const unit = namespaceUnit(ctx, `ns-${ns}`);
    ns++;
    objects.push(...unit.slice(0, count - objects.length));
  }
  const full = Math.floor((count - FIXED_OBJECTS) / NAMESPACE_OBJECTS);
  return { seed, objects, namespaces: ns, workloadNamespace: full > WORKLOAD_NAMESPACE ? `ns-${WORKLOAD_NAMESPACE}` : 'ns-0' };
}

// ---------------------------------------------------------------------------------------------- workloads

export const WORKLOADS = ['plugin-create', 'ingress-update', 'consumer-bob-update', 'secret-update', 'plugin-delete'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface Workload {
  name: WorkloadName;
  description: string;
  /** What the real engine must answer: the bench refuses to measure anything else. */
  expect: 'allowed' | 'denied';
  review: AdmissionReviewRequest;
}

export interface AdmissionReviewRequest {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request: Record<string, unknown> & { uid: string };
}

const RESOURCES: Record<string, [string, string, string]> = {
  KongPlugin: ['configuration.konghq.com', 'v1', 'kongplugins'],
  Ingress: ['networking.k8s.io', 'v1', 'ingresses'],
  KongConsumer: ['configuration.konghq.com', 'v1', 'kongconsumers'],
  Secret: ['', 'v1', 'secrets'],
};

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** What the API server adds to objects it sends: managedFields. */
function asServed(obj: K8sObject, manager: string, time: string): K8sObject {
  const o = clone(obj);
  const fields: Record<string, unknown> = { 'f:metadata': { 'f:annotations': Object.fromEntries(Object.keys(o.metadata.annotations ?? {}).map((k) => [`f:${k}`, {}])) } };
  for (const k of Object.keys(o)) if (!['apiVersion', 'kind', 'metadata', 'status'].includes(k)) fields[`f:${k}`] = {};
  o.metadata = { ...o.metadata, managedFields: [{ manager, operation: 'Update', apiVersion: o.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: fields }] } as K8sObject['metadata'];
  return o;
}

function reviewOf(uid: string, operation: 'CREATE' | 'UPDATE' | 'DELETE', object: K8sObject | null, oldObject: K8sObject | null): AdmissionReviewRequest {
  const subject = (object ?? oldObject)!;
  const [group, version, resource] = RESOURCES[subject.kind]!;
  const gvk = { group, version, kind: subject.kind };
  const gvr = { group, version, resource };
  const time = '2026-11-22T06:00:00Z';
  const optionsKind = operation === 'CREATE' ? 'CreateOptions' : operation === 'UPDATE' ? 'UpdateOptions' : 'DeleteOptions';
  return {
    kind: 'AdmissionReview',
    apiVersion: 'admission.k8s.io/v1',
    request: {
      uid,
      kind: gvk,
      resource: gvr,
      requestKind: gvk,
      requestResource: gvr,
      name: subject.metadata.name,
      ...(subject.metadata.namespace ? { namespace: subject.metadata.namespace } : {}),
      operation,
      userInfo: { username: 'bench-admin', groups: ['system:masters', 'system:authenticated'] },
      object: object ? asServed(object, 'kubectl-client-side-apply', time) : null,
      oldObject: oldObject ? asServed(oldObject, 'kubectl-client-side-apply', time) : null,
      dryRun: false,
      options: { kind: optionsKind, apiVersion: 'meta.k8s.io/v1', ...(operation === 'DELETE' ? { propagationPolicy: 'Background' } : { fieldManager: 'kubectl-client-side-apply' }) },
    },
  };
}

function bumped(obj: K8sObject): K8sObject {
  const o = clone(obj);
  o.metadata.resourceVersion = String(Number(o.metadata.resourceVersion ?? 0) + 1000000);
  o.metadata.generation = (o.metadata.generation ?? 1) + 1;
  return o;
}

function find(cluster: Cluster, kind: string, namespace: string, name: string): K8sObject {
  const found = cluster.objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);
  if (!found) throw new Error(`the generated cluster has no ${kind} ${namespace}/${name}`);
  return found;
}

/** The five reviews the bench sends, built from the generated cluster. */
export function workloads(cluster: Cluster): Workload[] {
  const ns = cluster.workloadNamespace;

  // A new plugin nobody references yet: schema-level judgement only.
  const plugin = {
    apiVersion: KONG,
    kind: 'KongPlugin',
    metadata: { name: 'bench-new-plugin', namespace: ns, uid: '5d0e5d9c-2a8b-4c0e-9b7a-1f3e6f0b9a11', resourceVersion: '9000001', generation: 1, creationTimestamp: '2026-11-22T06:00:00Z' },
    plugin: 'rate-limiting',
    config: { minute: 100, policy: 'local' },
  } as K8sObject;

  // A typical Ingress of our class, with TLS and namespace plugins (not the cluster-wide bot-detection).
  const ingress = cluster.objects.find(
    (o) =>
      o.kind === 'Ingress' &&
      o.metadata.namespace === ns &&
      (o.spec as { ingressClassName?: string }).ingressClassName === 'kong' &&
      (o.spec as { tls?: unknown }).tls !== undefined &&
      /^[a-z-]+(,[a-z-]+)*$/.test(o.metadata.annotations?.['konghq.com/plugins'] ?? '') &&
      !o.metadata.annotations?.['konghq.com/plugins']?.includes('bot-detection'),
  );
  if (!ingress) throw new Error(`no typical Ingress in ${ns}`);
  const changedIngress = bumped(ingress);
  const spec = changedIngress.spec as { rules: { host: string; http: { paths: { path: string }[] } }[]; tls: { hosts: string[] }[] };
  const oldHost = spec.rules[0]!.host;
  spec.rules[0]!.host = `v2-${oldHost}`;
  spec.rules[0]!.http.paths[0]!.path = '/v2';
  spec.tls[0]!.hosts = spec.tls[0]!.hosts.map((h) => (h === oldHost ? `v2-${h}` : h));

  // Seed 002: bob drops konghq.com/plugins, so rate-limit-consumer is no longer consumer-scoped on route-b.
  const bob = find(cluster, 'KongConsumer', 'default', 'bob');
  const bobChanged = bumped(bob);
  delete bobChanged.metadata.annotations!['konghq.com/plugins'];

  // A consumer's key rotated to a new unique value.
  const secret = find(cluster, 'Secret', ns, 'user-0-key-auth');
  const secretChanged = bumped(secret);
  secretChanged.data = { key: Buffer.from(`${ns}-user-0-rotated-${cluster.seed}`).toString('base64') };

  // A plugin routes still name: its referrers are judged (missing-plugin warnings).
  const referenced = find(cluster, 'KongPlugin', ns, 'rate-limit');

  return [
    { name: 'plugin-create', description: `CREATE KongPlugin ${ns}/bench-new-plugin (no referrers)`, expect: 'allowed', review: reviewOf('b0000000-0000-4000-8000-000000000001', 'CREATE', plugin, null) },
    { name: 'ingress-update', description: `UPDATE Ingress ${ns}/${ingress.metadata.name}: host ${oldHost} -> v2-${oldHost}, first path -> /v2`, expect: 'allowed', review: reviewOf('b0000000-0000-4000-8000-000000000002', 'UPDATE', changedIngress, ingress) },
    { name: 'consumer-bob-update', description: 'UPDATE KongConsumer default/bob without konghq.com/plugins (seed 002; denied)', expect: 'denied', review: reviewOf('b0000000-0000-4000-8000-000000000003', 'UPDATE', bobChanged, bob) },
    { name: 'secret-update', description: `UPDATE Secret ${ns}/user-0-key-auth with a new unique key`, expect: 'allowed', review: reviewOf('b0000000-0000-4000-8000-000000000004', 'UPDATE', secretChanged, secret) },
    { name: 'plugin-delete', description: `DELETE KongPlugin ${ns}/rate-limit (referenced by routes)`, expect: 'allowed', review: reviewOf('b0000000-0000-4000-8000-000000000005', 'DELETE', null, referenced) },
  ];
}
