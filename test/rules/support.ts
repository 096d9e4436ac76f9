// Shared setup for the rule-family tests: a small world of classes, a Store, and the real judge with
// only the rules under test.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { everything, judge } from '../../src/engine/judge.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { keyOf, type K8sObject } from '../../src/model/object.ts';
import type { Finding, Rule } from '../../src/rules/rule.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG, type KicVersion, type TranslateConfig } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { EXAMPLES, INPUTS, objectsFrom } from '../helpers.ts';

/**
 * All findings of `rules` over `objects`, judged as KIC `kicVersion` (default 3.5) would translate them, or under the
 * default translate configuration with `overrides` (kongEdition, kongDatabase, ...).
 */
export function run(objects: K8sObject[], rules: readonly Rule[], settings?: KicVersion | Partial<TranslateConfig>): Finding[] {
  const store = new Store(objects);
  const overrides = typeof settings === 'string' ? { kicVersion: settings } : (settings ?? {});
  const config: TranslateConfig = { ...DEFAULT_TRANSLATE_CONFIG, ...overrides };
  return judge(new Translator(store, config), DEFAULT_POLICY, everything([...store.all()].map(keyOf)), { rules });
}

/** Classes kong (ours) and nginx (someone else's), Gateways of each, and Service echo. */
export function world(): K8sObject[] {
  return [
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'kong' }, spec: { controller: 'ingress-controllers.konghq.com/kong' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'kong' }, spec: { controllerName: 'konghq.com/kic-gateway-controller' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'other' }, spec: { controllerName: 'example.com/other' } },
    gateway('kong', 'kong'),
    gateway('other', 'other'),
    service('echo'),
  ];
}

function gateway(name: string, cls: string): K8sObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: 'default' },
    spec: { gatewayClassName: cls, listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
  };
}

export function service(name: string, annotations?: Record<string, string>): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { ports: [{ port: 80, name: 'http', protocol: 'TCP' }], selector: { app: name } },
  };
}

export interface IngressOpts {
  className?: string;
  annotations?: Record<string, string>;
  paths?: { path?: string; pathType?: string; host?: string }[];
  tls?: { hosts: string[]; secretName?: string }[];
  service?: string;
}

export function ingress(name: string, opts: IngressOpts = {}): K8sObject {
  const paths = opts.paths ?? [{ path: '/', pathType: 'Prefix', host: 'app.example.com' }];
  const byHost = new Map<string, unknown[]>();
  for (const p of paths) {
    const entry: Record<string, unknown> = { pathType: p.pathType ?? 'Prefix', backend: { service: { name: opts.service ?? 'echo', port: { number: 80 } } } };
    if (p.path !== undefined) entry.path = p.path;
    byHost.set(p.host ?? '', [...(byHost.get(p.host ?? '') ?? []), entry]);
  }
  const spec: Record<string, unknown> = {
    ingressClassName: opts.className ?? 'kong',
    rules: [...byHost].map(([host, list]) => ({ ...(host ? { host } : {}), http: { paths: list } })),
  };
  if (opts.tls) spec.tls = opts.tls;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec,
  };
}

export function httpRoute(name: string, opts: { gateway?: string; annotations?: Record<string, string>; rules?: unknown[]; hostnames?: string[] } = {}): K8sObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'default', ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      parentRefs: [{ name: opts.gateway ?? 'kong' }],
      hostnames: opts.hostnames ?? ['api.example.com'],
      rules: opts.rules ?? [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'echo', port: 80 }] }],
    },
  };
}

/** Every manifest of the shared fixtures' inputs and of examples/cluster. */
export async function fixtureSets(): Promise<{ name: string; objects: K8sObject[] }[]> {
  const inputs = readdirSync(INPUTS).filter((f) => f.endsWith('.yaml')).sort();
  const cluster = readdirSync(join(EXAMPLES, 'cluster')).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(EXAMPLES, 'cluster', f));
  const sets = [{ name: 'examples/cluster', objects: await objectsFrom(...cluster) }];
  // Each input on top of the seed setup, so classes and Gateways make its objects managed.
  const base = await objectsFrom('a1-ingressclass-kong.yaml', 'a2-gatewayclass-kong.yaml', 'a3-gateway-kong.yaml', 'b1-service-echo.yaml');
  for (const f of inputs) sets.push({ name: `fixtures/inputs/${f}`, objects: [...base, ...(await objectsFrom(f))] });
  sets.push({ name: 'fixtures/inputs (all)', objects: await objectsFrom(...inputs) });
  return sets;
}
