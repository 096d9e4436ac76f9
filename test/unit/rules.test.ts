import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, type K8sObject, type ObjectRef } from '../../src/model/object.ts';
import { audit } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { BACKEND_RULES } from '../../src/rules/backends.ts';
import { CLASS_REFERENCE_RULES } from '../../src/rules/classes.ts';
import { CONSUMER_RULES } from '../../src/rules/consumers.ts';
import { RULES } from '../../src/rules/index.ts';
import { PLUGIN_RULES } from '../../src/rules/plugins.ts';
import { ROUTING_RULES } from '../../src/rules/routing.ts';
import type { Finding } from '../../src/rules/rule.ts';
import { Store } from '../../src/state/store.ts';
import {
  consumer,
  consumerGroup,
  gateway,
  gatewayClass,
  httpRoute,
  ingress,
  ingressClass,
  kongClusterPlugin,
  kongPlugin,
  referenceGrant,
  replace,
  secret,
  seed002,
  service,
  unclassedConsumer,
  withPlugins,
} from './builders.ts';

const run = (objects: K8sObject[], policy: Policy = DEFAULT_POLICY): Finding[] => audit(new Store(objects), policy);
const who = (ref: ObjectRef): string => describe(ref);

/** Classes, the Gateway and Service echo (port 80 named http). */
function world(): K8sObject[] {
  return [ingressClass('kong', { isDefault: true }), gatewayClass('kong'), gateway('kong'), service('echo', { ports: [{ port: 80, name: 'http' }] })];
}

/** world() with Service echo carrying these annotations behind Ingress web (with its own annotations). */
function ingressWorld(serviceAnnotations: Record<string, string>, ingressAnnotations?: Record<string, string>): K8sObject[] {
  return [
    ...world().filter((o) => o.kind !== 'Service'),
    service('echo', { ports: [{ port: 80, name: 'http' }], annotations: serviceAnnotations }),
    ingress('web', { className: 'kong', ...(ingressAnnotations ? { annotations: ingressAnnotations } : {}), paths: [{ host: 'x.example.com', path: '/', service: 'echo', port: 80 }] }),
  ];
}

/** world() with Service echo carrying these annotations behind HTTPRoute r. */
function routeWorld(serviceAnnotations: Record<string, string>): K8sObject[] {
  return [...world().filter((o) => o.kind !== 'Service'), service('echo', { ports: [{ port: 80, name: 'http' }], annotations: serviceAnnotations }), httpRoute('r')];
}

/** HTTPRoute split: one rule, traffic split over echo and echo-v2. */
const splitRoute = () => httpRoute('split', { rules: [{ matches: [{ path: '/split' }], backends: [{ name: 'echo', port: 80, weight: 90 }, { name: 'echo-v2', port: 80, weight: 10 }] }] });

/** HTTPRoute x in default sending to Service billing in namespace shared; a ReferenceGrant in shared for one Service. */
const crossRoute = () => httpRoute('x', { rules: [{ matches: [{ path: '/x' }], backends: [{ name: 'billing', namespace: 'shared', port: 80 }] }] });
const servicesGrant = (serviceName: string) =>
  referenceGrant('routes', { ns: 'shared', from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }], to: [{ group: '', kind: 'Service', name: serviceName }] });

const seedBob = () => seed002().find((o) => o.kind === 'KongConsumer' && o.metadata.name === 'bob')!;

interface RuleCase {
  rule: string;
  name: string;
  objects: K8sObject[];
  /** The Kong edition judged by (default oss). */
  edition?: 'oss' | 'enterprise';
  /** Findings of `rule`, as `Kind ns/name` of the object they are on, with the related objects they name. */
  want: { on: string; related?: string[]; severity?: 'deny' | 'warn'; field?: string; mentions?: string[] }[];
}

const cases: RuleCase[] = [
  // ---- duplicate-plugin-scope
  {
    rule: 'duplicate-plugin-scope',
    name: 'seed 002 valid setup: route x consumer rate limiting is a different scope from the route one',
    objects: seed002(),
    want: [],
  },
  {
    rule: 'duplicate-plugin-scope',
    name: 'seed 002 without bob\'s reference: two rate-limiting plugins on route-b',
    objects: replace(seed002(), withPlugins(seedBob(), undefined)),
    want: [
      {
        on: 'HTTPRoute default/route-b',
        related: ['KongPlugin default/rate-limit-base', 'KongPlugin default/rate-limit-consumer'],
        severity: 'deny',
        field: 'metadata.annotations["konghq.com/plugins"]',
        mentions: ['"rate-limiting"', 'same scope (route)'],
      },
    ],
  },
  {
    rule: 'duplicate-plugin-scope',
    name: 'a consumer naming two rate-limiting plugins (consumer scope)',
    objects: [...world(), kongPlugin('rl1', 'rate-limiting'), kongPlugin('rl2', 'rate-limiting'), consumer('bob', { username: 'bob', plugins: 'rl1, rl2' })],
    want: [{ on: 'KongConsumer default/bob', related: ['KongPlugin default/rl1', 'KongPlugin default/rl2'], mentions: ['(consumer)', 'for consumer "bob"'] }],
  },
  {
    rule: 'duplicate-plugin-scope',
    name: 'a consumer group naming two rate-limiting plugins (consumer group scope)',
    objects: [...world(), kongPlugin('rl1', 'rate-limiting'), kongPlugin('rl2', 'rate-limiting'), consumerGroup('gold', { plugins: 'rl1, rl2' })],
    want: [{ on: 'KongConsumerGroup default/gold', related: ['KongPlugin default/rl1', 'KongPlugin default/rl2'], mentions: ['(consumer group)', 'for consumer group "gold"'] }],
  },
  {
    rule: 'duplicate-plugin-scope',
    name: 'neighbour: a consumer naming two plugins of different types',
    objects: [...world(), kongPlugin('rl1', 'rate-limiting'), kongPlugin('c', 'cors'), consumer('bob', { username: 'bob', plugins: 'rl1, c' })],
    want: [],
  },
  {
    rule: 'duplicate-plugin-scope',
    name: 'a consumer and a route naming the same two plugins collide on consumer x route',
    objects: [
      ...world(),
      kongPlugin('rl1', 'rate-limiting'),
      kongPlugin('rl2', 'rate-limiting'),
      consumer('bob', { username: 'bob', plugins: 'rl1, rl2' }),
      httpRoute('r', { plugins: 'rl1, rl2' }),
    ],
    want: [{ on: 'HTTPRoute default/r', related: ['KongPlugin default/rl1', 'KongPlugin default/rl2'], mentions: ['(consumer and route)', 'for consumer "bob"'] }],
  },
  {
    rule: 'duplicate-plugin-scope',
    name: 'a Service naming two rate-limiting plugins (service scope of the routes using it)',
    objects: [
      ...world().filter((o) => o.kind !== 'Service'),
      service('echo', { ports: [80], plugins: 'rl1, rl2' }),
      kongPlugin('rl1', 'rate-limiting'),
      kongPlugin('rl2', 'rate-limiting'),
      httpRoute('r'),
    ],
    want: [{ on: 'Service default/echo', related: ['KongPlugin default/rl1', 'KongPlugin default/rl2'], mentions: ['(service)'] }],
  },
  {
    rule: 'duplicate-plugin-scope',
    name: 'neighbour: the same Service used by no managed route has no scope at all',
    objects: [
      ...world().filter((o) => o.kind !== 'Service'),
      service('echo', { ports: [80], plugins: 'rl1, rl2' }),
      kongPlugin('rl1', 'rate-limiting'),
      kongPlugin('rl2', 'rate-limiting'),
      httpRoute('r', { parents: ['not-ours'] }),
    ],
    want: [],
  },

  // ---- duplicate-global-plugin
  {
    rule: 'duplicate-global-plugin',
    name: 'two global KongClusterPlugins of one type: the newer is flagged',
    objects: [...world(), kongClusterPlugin('g1', 'rate-limiting', { global: true, created: 1 }), kongClusterPlugin('g2', 'rate-limiting', { global: true, created: 2 })],
    want: [{ on: 'KongClusterPlugin g2', related: ['KongClusterPlugin g1'], severity: 'deny' }],
  },
  {
    rule: 'duplicate-global-plugin',
    name: 'neighbour: the second one is not labelled global',
    objects: [...world(), kongClusterPlugin('g1', 'rate-limiting', { global: true, created: 1 }), kongClusterPlugin('g2', 'rate-limiting', { created: 2 })],
    want: [],
  },
  {
    rule: 'duplicate-global-plugin',
    name: 'neighbour: the older one belongs to another class',
    objects: [...world(), kongClusterPlugin('g1', 'rate-limiting', { global: true, klass: 'nginx', created: 1 }), kongClusterPlugin('g2', 'rate-limiting', { global: true, created: 2 })],
    want: [],
  },
  {
    rule: 'duplicate-global-plugin',
    name: "neighbour: the older one's configFrom Secret is missing, so KIC cannot build it and may apply the newer (globalKongClusterPlugins)",
    objects: [
      ...world(),
      kongClusterPlugin('g1', 'rate-limiting', { global: true, created: 1, extra: { configFrom: { secretKeyRef: { name: 'absent', key: 'config', namespace: 'default' } } } }),
      kongClusterPlugin('g2', 'rate-limiting', { global: true, created: 2 }),
    ],
    want: [],
  },
  {
    rule: 'duplicate-global-plugin',
    name: "neighbour: the newer one's configFrom Secret is missing, so it is not counted",
    objects: [
      ...world(),
      kongClusterPlugin('g1', 'rate-limiting', { global: true, created: 1 }),
      kongClusterPlugin('g2', 'rate-limiting', { global: true, created: 2, extra: { configFrom: { secretKeyRef: { name: 'absent', key: 'config', namespace: 'default' } } } }),
    ],
    want: [],
  },

  // ---- kongplugin-global-label
  {
    rule: 'kongplugin-global-label',
    name: 'KIC #293: a KongPlugin labelled global that nothing references runs nowhere',
    objects: [...world(), kongPlugin('acl', 'acl', { labels: { global: 'true' }, config: { allow: ['admin'] } })],
    want: [{ on: 'KongPlugin default/acl', severity: 'warn', field: 'metadata.labels["global"]', related: [], mentions: ['only KongClusterPlugins', 'runs on no request', 'KongClusterPlugin of the same plugin'] }],
  },
  {
    rule: 'kongplugin-global-label',
    name: 'a KongPlugin labelled global that one Ingress references runs only there',
    objects: [
      ...world(),
      kongPlugin('rl', 'rate-limiting', { labels: { global: 'true' }, config: { minute: 5 } }),
      ingress('web', { className: 'kong', plugins: 'rl', paths: [{ host: 'x.example.com', path: '/', service: 'echo', port: 80 }] }),
    ],
    want: [{ on: 'KongPlugin default/rl', related: ['Ingress default/web'], mentions: ['runs only where konghq.com/plugins names it (Ingress default/web)', 'not on every request'] }],
  },
  {
    rule: 'kongplugin-global-label',
    name: 'neighbour: the same plugin as a KongClusterPlugin labelled global is global',
    objects: [...world(), kongClusterPlugin('acl', 'acl', { global: true, config: { allow: ['admin'] } })],
    want: [],
  },
  {
    rule: 'kongplugin-global-label',
    name: 'neighbour: a KongPlugin whose global label is not "true" claims nothing',
    objects: [...world(), kongPlugin('acl', 'acl', { labels: { global: 'false' }, config: { allow: ['admin'] } })],
    want: [],
  },
  {
    rule: 'kongplugin-global-label',
    name: 'neighbour: an unlabelled KongPlugin that nothing references',
    objects: [...world(), kongPlugin('acl', 'acl', { config: { allow: ['admin'] } })],
    want: [],
  },

  // ---- plugin-not-allowed-on-consumer
  {
    rule: 'plugin-not-allowed-on-consumer',
    name: 'key-auth on a consumer',
    objects: [...world(), kongPlugin('key-auth', 'key-auth'), consumer('bob', { username: 'bob', plugins: 'key-auth' })],
    want: [{ on: 'KongConsumer default/bob', related: ['KongPlugin default/key-auth'], mentions: ['"key-auth"'] }],
  },
  {
    rule: 'plugin-not-allowed-on-consumer',
    name: 'neighbour: rate-limiting on a consumer',
    objects: [...world(), kongPlugin('rl', 'rate-limiting'), consumer('bob', { username: 'bob', plugins: 'rl' })],
    want: [],
  },
  {
    rule: 'plugin-not-allowed-on-consumer',
    name: 'neighbour: key-auth on a consumer of another class',
    objects: [...world(), kongPlugin('key-auth', 'key-auth'), consumer('bob', { username: 'bob', plugins: 'key-auth', klass: 'nginx' })],
    want: [],
  },

  // Which plugins Kong refuses on a consumer comes from its schemas (typedefs.no_consumer), not a hand-kept list;
  // Enterprise plugins' from Enterprise's published schemas.
  ...(
    [
      ['pre-function', 'oss', 'typedefs.no_consumer'],
      ['post-function', 'oss', 'typedefs.no_consumer'],
      ['acme', 'oss', 'typedefs.no_consumer'],
      ['ai-request-transformer', 'oss', 'typedefs.no_consumer'],
      ['standard-webhooks', 'oss', 'typedefs.no_consumer'],
      ['openid-connect', 'enterprise', 'Kong Gateway Enterprise 3.9\'s schema for "openid-connect" has no consumer field'],
    ] as const
  ).map(([type, edition, source]) => ({
    rule: 'plugin-not-allowed-on-consumer',
    name: `${type} on a consumer (${edition})`,
    edition,
    objects: [...world(), kongPlugin('p', type), consumer('bob', { username: 'bob', plugins: 'p' })],
    want: [{ on: 'KongConsumer default/bob', related: ['KongPlugin default/p'], mentions: [`"${type}"`, source, '"consumer: value must be null"'] }],
  })),
  {
    rule: 'plugin-not-allowed-on-consumer',
    name: 'neighbour: request-transformer and a custom plugin on a consumer',
    objects: [...world(), kongPlugin('rt', 'request-transformer'), kongPlugin('mine', 'my-custom'), consumer('bob', { username: 'bob', plugins: 'rt, mine' })],
    want: [],
  },

  // ---- plugin-not-allowed-on-scope
  {
    rule: 'plugin-not-allowed-on-scope',
    name: 'acme on an HTTPRoute and on a Service (no_route, no_service)',
    objects: [
      ...world().filter((o) => o.kind !== 'Service'),
      service('echo', { ports: [{ port: 80, name: 'http' }], annotations: { 'konghq.com/plugins': 'acme' } }),
      kongPlugin('acme', 'acme', { config: { account_email: 'ops@example.com' } }),
      httpRoute('r', { annotations: { 'konghq.com/plugins': 'acme' } }),
    ],
    want: [
      { on: 'HTTPRoute default/r', related: ['KongPlugin default/acme'], mentions: ['on a route', 'typedefs.no_route', '"route: value must be null"'] },
      { on: 'Service default/echo', related: ['KongPlugin default/acme'], mentions: ['on a service', '"service: value must be null"'] },
    ],
  },
  {
    rule: 'plugin-not-allowed-on-scope',
    name: 'neighbour: acme as a global plugin, key-auth on a route',
    objects: [...world(), kongClusterPlugin('acme', 'acme', { global: true, config: { account_email: 'ops@example.com' } }), kongPlugin('ka', 'key-auth'), httpRoute('r', { annotations: { 'konghq.com/plugins': 'ka' } })],
    want: [],
  },
  {
    rule: 'plugin-not-allowed-on-scope',
    name: 'Enterprise: key-auth on a consumer group',
    edition: 'enterprise',
    objects: [...world(), kongPlugin('ka', 'key-auth'), consumerGroup('gold', { plugins: 'ka' })],
    want: [{ on: 'KongConsumerGroup default/gold', related: ['KongPlugin default/ka'], mentions: ['on a consumer group', '"consumer_group: value must be null"', 'rate-limiting'] }],
  },
  {
    rule: 'plugin-not-allowed-on-scope',
    name: 'Enterprise: acl on a consumer group and a route: the consumer group x route instance is refused',
    edition: 'enterprise',
    objects: [...world(), kongPlugin('acl', 'acl', { config: { allow: ['gold'] } }), consumerGroup('gold', { plugins: 'acl' }), httpRoute('r', { annotations: { 'konghq.com/plugins': 'acl' } })],
    want: [{ on: 'KongConsumerGroup default/gold', related: ['KongPlugin default/acl'] }],
  },
  {
    rule: 'plugin-not-allowed-on-scope',
    name: 'neighbour: Enterprise: rate-limiting and request-transformer on a consumer group',
    edition: 'enterprise',
    objects: [...world(), kongPlugin('rl', 'rate-limiting', { config: { minute: 5 } }), kongPlugin('rt', 'request-transformer'), consumerGroup('gold', { plugins: 'rl, rt' })],
    want: [],
  },

  // ---- consumer-group-needs-enterprise
  {
    rule: 'consumer-group-needs-enterprise',
    name: 'a KongConsumerGroup on Kong OSS',
    objects: [...world(), kongPlugin('rl', 'rate-limiting', { config: { minute: 5 } }), consumerGroup('gold', { plugins: 'rl' }), consumer('bob', { username: 'bob', groups: ['gold'] })],
    want: [{ on: 'KongConsumerGroup default/gold', mentions: ['Kong OSS has none', '"consumer group support requires Kong Enterprise"', '"consumer_groups: unknown field"'] }],
  },
  {
    rule: 'consumer-group-needs-enterprise',
    name: 'neighbour: the same on Kong Enterprise',
    edition: 'enterprise',
    objects: [...world(), kongPlugin('rl', 'rate-limiting', { config: { minute: 5 } }), consumerGroup('gold', { plugins: 'rl' }), consumer('bob', { username: 'bob', groups: ['gold'] })],
    want: [],
  },
  {
    rule: 'consumer-group-needs-enterprise',
    name: 'neighbour: a KongConsumerGroup of another class',
    objects: [...world(), consumerGroup('gold', { klass: 'nginx' })],
    want: [],
  },

  // ---- missing-plugin
  {
    rule: 'missing-plugin',
    name: 'a route naming a plugin that does not exist',
    objects: [...world(), httpRoute('r', { plugins: 'nope' })],
    want: [{ on: 'HTTPRoute default/r', related: ['KongPlugin default/nope'], severity: 'warn', mentions: ['"nope"'] }],
  },
  {
    rule: 'missing-plugin',
    name: 'neighbour: the name resolves to a KongClusterPlugin',
    objects: [...world(), kongClusterPlugin('nope', 'cors'), httpRoute('r', { plugins: 'nope' })],
    want: [],
  },
  {
    rule: 'missing-plugin',
    name: 'neighbour: the referrer is not ours',
    objects: [...world(), ingress('i', { className: 'nginx', plugins: 'nope', paths: [{ path: '/', service: 'echo', port: 80 }] })],
    want: [],
  },

  // ---- plugin-reference-not-granted
  {
    rule: 'plugin-reference-not-granted',
    name: 'a remote reference without a ReferenceGrant',
    objects: [...world(), kongPlugin('p', 'cors', { ns: 'shared' }), httpRoute('r', { plugins: 'shared:p' })],
    want: [{ on: 'HTTPRoute default/r', related: ['KongPlugin shared/p'], severity: 'warn', mentions: ['namespace shared'] }],
  },
  {
    rule: 'plugin-reference-not-granted',
    name: 'neighbour: the ReferenceGrant allows it',
    objects: [
      ...world(),
      kongPlugin('p', 'cors', { ns: 'shared' }),
      referenceGrant('allow', { ns: 'shared', from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default' }], to: [{ group: 'configuration.konghq.com', kind: 'KongPlugin' }] }),
      httpRoute('r', { plugins: 'shared:p' }),
    ],
    want: [],
  },

  // ---- unknown-ingress-class
  {
    rule: 'unknown-ingress-class',
    name: 'spec.ingressClassName with a typo (seed web/ngnix)',
    objects: [...world(), ingress('web', { className: 'ngnix', paths: [{ host: 'app.example.com', path: '/', service: 'web', port: 80 }] })],
    want: [{ on: 'Ingress default/web', related: [], severity: 'deny', field: 'spec.ingressClassName', mentions: ['"ngnix"', 'kong'] }],
  },
  {
    rule: 'unknown-ingress-class',
    name: 'neighbour: the class exists (served by someone else)',
    objects: [...world(), ingressClass('ngnix', { controller: 'example.com/x' }), ingress('web', { className: 'ngnix', paths: [{ path: '/', service: 'web', port: 80 }] })],
    want: [],
  },
  {
    rule: 'unknown-ingress-class',
    name: 'neighbour: the legacy annotation is not checked',
    objects: [...world(), ingress('web', { klass: 'ngnix', paths: [{ path: '/', service: 'web', port: 80 }] })],
    want: [],
  },

  // ---- unknown-gateway-class
  {
    rule: 'unknown-gateway-class',
    name: 'a Gateway naming a missing GatewayClass',
    objects: [...world(), gateway('gw', { className: 'kongg' })],
    want: [{ on: 'Gateway default/gw', related: [], severity: 'warn', mentions: ['"kongg"', 'did you mean "kong"'] }],
  },
  {
    rule: 'unknown-gateway-class',
    name: 'neighbour: the GatewayClass exists',
    objects: [...world(), gateway('gw', { className: 'kong' })],
    want: [],
  },

  // ---- missing-gateway
  {
    rule: 'missing-gateway',
    name: 'an HTTPRoute attached to a Gateway that does not exist',
    objects: [...world(), httpRoute('r', { parents: ['nope'] })],
    want: [{ on: 'HTTPRoute default/r', related: ['Gateway default/nope'], severity: 'warn', field: 'spec.parentRefs[0]' }],
  },
  {
    rule: 'missing-gateway',
    name: 'neighbour: the Gateway exists in the namespace the parentRef names',
    objects: [...world(), gateway('infra-gw', { ns: 'infra' }), httpRoute('r', { parents: [{ name: 'infra-gw', namespace: 'infra' }] })],
    want: [],
  },

  // ---- duplicate-default-backend
  {
    rule: 'duplicate-default-backend',
    name: 'a second Ingress with spec.defaultBackend (seed fallback-2)',
    objects: [
      ...world(),
      service('fallback-svc'),
      ingress('fallback', { className: 'kong', created: 1, defaultBackend: { service: 'fallback-svc', port: 80 } }),
      ingress('fallback-2', { className: 'kong', created: 2, defaultBackend: { service: 'fallback-svc', port: 80 } }),
    ],
    want: [{ on: 'Ingress default/fallback-2', related: ['Ingress default/fallback'], severity: 'deny', field: 'spec.defaultBackend' }],
  },
  {
    rule: 'duplicate-default-backend',
    name: 'neighbour: the older default backend belongs to another class',
    objects: [
      ...world(),
      ingressClass('nginx', { controller: 'k8s.io/ingress-nginx' }),
      service('fallback-svc'),
      ingress('fallback', { className: 'nginx', created: 1, defaultBackend: { service: 'fallback-svc', port: 80 } }),
      ingress('fallback-2', { className: 'kong', created: 2, defaultBackend: { service: 'fallback-svc', port: 80 } }),
    ],
    want: [],
  },

  // ---- missing-backend-service
  {
    rule: 'missing-backend-service',
    name: 'an Ingress sending traffic to a missing Service (seed orphan)',
    objects: [...world(), ingress('orphan', { className: 'kong', paths: [{ path: '/orphan', service: 'missing-svc', port: 80 }] })],
    want: [{ on: 'Ingress default/orphan', related: ['Service default/missing-svc'], severity: 'warn', field: 'spec.rules[0].http.paths[0].backend' }],
  },
  {
    rule: 'missing-backend-service',
    name: 'an HTTPRoute sending traffic to a missing Service',
    objects: [...world(), httpRoute('r', { rules: [{ matches: [{ path: '/r' }], backends: [{ name: 'missing-svc', port: 80 }] }] })],
    want: [{ on: 'HTTPRoute default/r', related: ['Service default/missing-svc'], field: 'spec.rules[0].backendRefs[0]' }],
  },
  {
    rule: 'missing-backend-service',
    name: 'neighbour: the Service exists',
    objects: [...world(), ingress('ok', { className: 'kong', paths: [{ path: '/ok', service: 'echo', port: 80 }] })],
    want: [],
  },
  {
    rule: 'missing-backend-service',
    name: 'neighbour: the Ingress is not ours',
    objects: [...world(), ingressClass('nginx'), ingress('orphan', { className: 'nginx', paths: [{ path: '/orphan', service: 'missing-svc', port: 80 }] })],
    want: [],
  },

  // ---- missing-service-port
  {
    rule: 'missing-service-port',
    name: 'a backend port the Service does not expose',
    objects: [...world(), httpRoute('r', { rules: [{ matches: [{ path: '/r' }], backends: [{ name: 'echo', port: 8080 }] }] })],
    want: [{ on: 'HTTPRoute default/r', related: ['Service default/echo'], severity: 'warn', mentions: ['port 8080', '80 (http)'] }],
  },
  {
    rule: 'missing-service-port',
    name: 'neighbour: the port by name exists',
    objects: [...world(), ingress('ok', { className: 'kong', paths: [{ path: '/ok', service: 'echo', port: 'http' }] })],
    want: [],
  },
  {
    rule: 'missing-service-port',
    name: 'neighbour: no port given and the Service has exactly one',
    objects: [...world(), ingress('ok', { className: 'kong', paths: [{ path: '/ok', service: 'echo' }] })],
    want: [],
  },

  // ---- backend-reference-not-granted: KIC skips a cross-namespace backendRef no ReferenceGrant allows
  {
    rule: 'backend-reference-not-granted',
    name: 'an HTTPRoute sends to a Service in another namespace without a ReferenceGrant',
    objects: [...world(), service('billing', { ns: 'shared' }), crossRoute()],
    want: [{ on: 'HTTPRoute default/x', related: ['Service shared/billing'], severity: 'warn', mentions: ['no ReferenceGrant in namespace shared', '500'] }],
  },
  {
    rule: 'backend-reference-not-granted',
    name: 'neighbour: a ReferenceGrant from HTTPRoutes of default to that Service',
    objects: [...world(), service('billing', { ns: 'shared' }), crossRoute(), servicesGrant('billing')],
    want: [],
  },
  {
    rule: 'backend-reference-not-granted',
    name: 'a ReferenceGrant for another Service does not count',
    objects: [...world(), service('billing', { ns: 'shared' }), crossRoute(), servicesGrant('ledger')],
    want: [{ on: 'HTTPRoute default/x', related: ['Service shared/billing'] }],
  },
  {
    rule: 'backend-reference-not-granted',
    name: 'neighbour: a Service that does not exist is missing-backend-service\'s, not this rule\'s',
    objects: [...world(), crossRoute()],
    want: [],
  },

  // ---- service-protocol-rejected: Kong 3.9.3 refuses a path on a tcp or tls service; KIC gives Ingress services path "/"
  {
    rule: 'service-protocol-rejected',
    name: 'a tcp Service behind an HTTP Ingress',
    objects: [...ingressWorld({ 'konghq.com/protocol': 'tcp' })],
    want: [{ on: 'Service default/echo', related: ['Ingress default/web'], severity: 'deny', mentions: ['default.echo.80', 'path: value must be null', 'TCPIngress'] }],
  },
  {
    rule: 'service-protocol-rejected',
    name: 'a tls Service behind an HTTP Ingress',
    objects: [...ingressWorld({ 'konghq.com/protocol': 'tls' })],
    want: [{ on: 'Service default/echo', related: ['Ingress default/web'], severity: 'deny' }],
  },
  { rule: 'service-protocol-rejected', name: 'neighbour: a grpc Service behind an Ingress (KIC removes the path)', objects: ingressWorld({ 'konghq.com/protocol': 'grpc' }), want: [] },
  { rule: 'service-protocol-rejected', name: 'neighbour: an https Service behind an Ingress', objects: ingressWorld({ 'konghq.com/protocol': 'https' }), want: [] },
  { rule: 'service-protocol-rejected', name: 'neighbour: udp, which KIC ignores (invalid-kong-annotation says so)', objects: ingressWorld({ 'konghq.com/protocol': 'udp' }), want: [] },
  { rule: 'service-protocol-rejected', name: 'neighbour: a tcp Service behind an HTTPRoute (no path: service-protocol-mismatch)', objects: routeWorld({ 'konghq.com/protocol': 'tcp' }), want: [] },

  // ---- service-protocol-mismatch: Kong accepts a stream service behind an HTTP route and answers 503
  {
    rule: 'service-protocol-mismatch',
    name: 'a tcp Service behind an HTTPRoute',
    objects: routeWorld({ 'konghq.com/protocol': 'tcp' }),
    want: [{ on: 'Service default/echo', related: ['HTTPRoute default/r'], severity: 'warn', mentions: ['503', "'http' subsystem"] }],
  },
  {
    rule: 'service-protocol-mismatch',
    name: 'a tls_passthrough Service behind an Ingress (Kong allows its path)',
    objects: ingressWorld({ 'konghq.com/protocol': 'tls_passthrough' }),
    want: [{ on: 'Service default/echo', related: ['Ingress default/web'], severity: 'warn' }],
  },
  { rule: 'service-protocol-mismatch', name: 'neighbour: a tcp Service behind an Ingress is service-protocol-rejected', objects: ingressWorld({ 'konghq.com/protocol': 'tcp' }), want: [] },
  { rule: 'service-protocol-mismatch', name: 'neighbour: a grpcs Service behind an HTTPRoute', objects: routeWorld({ 'konghq.com/protocol': 'grpcs' }), want: [] },
  {
    rule: 'service-protocol-mismatch',
    name: 'neighbour: an Ingress whose routes are tcp (konghq.com/protocols) is not an HTTP route',
    objects: ingressWorld({ 'konghq.com/protocol': 'tls_passthrough' }, { 'konghq.com/protocols': 'tls_passthrough' }),
    want: [],
  },

  // ---- inconsistent-backend-annotations: KIC skips a multi-Service backend whose Services disagree
  {
    rule: 'inconsistent-backend-annotations',
    name: 'two Services of one rule, one with konghq.com/plugins',
    objects: [...world(), service('echo-v2', { ports: [{ port: 80, name: 'http' }], plugins: 'rate-limit' }), kongPlugin('rate-limit', 'rate-limiting', { config: { minute: 5 } }), splitRoute()],
    want: [{ on: 'HTTPRoute default/split', related: ['Service default/echo', 'Service default/echo-v2'], severity: 'deny', field: 'spec.rules[0]', mentions: ['konghq.com/plugins', 'httproute.default.split.0', '404'] }],
  },
  {
    rule: 'inconsistent-backend-annotations',
    name: 'two Services with different konghq.com/read-timeout values',
    objects: [
      ...world().filter((o) => o.kind !== 'Service'),
      service('echo', { ports: [{ port: 80, name: 'http' }], annotations: { 'konghq.com/read-timeout': '1000' } }),
      service('echo-v2', { ports: [{ port: 80, name: 'http' }], annotations: { 'konghq.com/read-timeout': '2000' } }),
      splitRoute(),
    ],
    want: [{ on: 'HTTPRoute default/split', related: ['Service default/echo', 'Service default/echo-v2'], severity: 'deny', mentions: ['konghq.com/read-timeout'] }],
  },
  {
    rule: 'inconsistent-backend-annotations',
    name: 'neighbour: the same konghq.com annotations on both, other annotations differ',
    objects: [
      ...world().filter((o) => o.kind !== 'Service'),
      service('echo', { ports: [{ port: 80, name: 'http' }], annotations: { 'konghq.com/read-timeout': '1000', 'team': 'a' } }),
      service('echo-v2', { ports: [{ port: 80, name: 'http' }], annotations: { 'konghq.com/read-timeout': '1000', 'team': 'b' } }),
      splitRoute(),
    ],
    want: [],
  },
  {
    rule: 'inconsistent-backend-annotations',
    name: 'neighbour: the annotated Service in a rule of its own',
    objects: [
      ...world(),
      service('echo-v2', { ports: [{ port: 80, name: 'http' }], plugins: 'rate-limit' }),
      kongPlugin('rate-limit', 'rate-limiting', { config: { minute: 5 } }),
      httpRoute('split', { rules: [{ matches: [{ path: '/a' }], backends: [{ name: 'echo', port: 80 }] }, { matches: [{ path: '/b' }], backends: [{ name: 'echo-v2', port: 80 }] }] }),
    ],
    want: [],
  },

  // ---- duplicate-consumer-identity
  {
    rule: 'duplicate-consumer-identity',
    name: 'two consumers sharing a username: only the newer is flagged',
    objects: [...world(), consumer('bob', { username: 'bob', created: 1 }), consumer('bob-clone', { username: 'bob', created: 2 })],
    want: [{ on: 'KongConsumer default/bob-clone', related: ['KongConsumer default/bob'], severity: 'deny', field: 'username' }],
  },
  {
    rule: 'duplicate-consumer-identity',
    name: 'the clash is cluster-wide, across namespaces, and covers custom_id',
    objects: [...world(), consumer('a', { ns: 'team-a', username: 'a', customId: 'cid', created: 1 }), consumer('b', { ns: 'team-b', username: 'b', customId: 'cid', created: 2 })],
    want: [{ on: 'KongConsumer team-b/b', related: ['KongConsumer team-a/a'], field: 'custom_id' }],
  },
  {
    rule: 'duplicate-consumer-identity',
    name: 'neighbour: the older consumer belongs to another class',
    objects: [...world(), consumer('bob', { username: 'bob', klass: 'nginx', created: 1 }), consumer('bob-clone', { username: 'bob', created: 2 })],
    want: [],
  },
  {
    rule: 'duplicate-consumer-identity',
    name: 'neighbour: username of one equals custom_id of the other',
    objects: [...world(), consumer('a', { username: 'x', created: 1 }), consumer('b', { customId: 'x', created: 2 })],
    want: [],
  },

  // ---- duplicate-credential
  {
    rule: 'duplicate-credential',
    name: 'two consumers with the same key-auth key: the newer is flagged',
    objects: [
      ...world(),
      secret('bob-key-auth', { credType: 'key-auth', stringData: { key: 'bob-password' }, created: 1 }),
      consumer('bob', { username: 'bob', credentials: ['bob-key-auth'], created: 2 }),
      secret('alice-key-auth', { credType: 'key-auth', data: { key: Buffer.from('bob-password').toString('base64') }, created: 3 }),
      consumer('alice', { username: 'alice', credentials: ['alice-key-auth'], created: 4 }),
    ],
    want: [{ on: 'KongConsumer default/alice', related: ['KongConsumer default/bob', 'Secret default/bob-key-auth'], severity: 'deny', field: 'credentials[0]', mentions: ['Secret default/alice-key-auth'] }],
  },
  {
    rule: 'duplicate-credential',
    name: 'one Secret listed by two consumers',
    objects: [
      ...world(),
      secret('shared', { credType: 'basic-auth', stringData: { username: 'u', password: 'p' } }),
      consumer('a', { username: 'a', credentials: ['shared'], created: 1 }),
      consumer('b', { username: 'b', credentials: ['shared'], created: 2 }),
    ],
    want: [{ on: 'KongConsumer default/b', related: ['KongConsumer default/a', 'Secret default/shared'], mentions: ['also listed by KongConsumer default/a'] }],
  },
  {
    rule: 'duplicate-credential',
    name: 'neighbour: the same value under different credential types',
    objects: [
      ...world(),
      secret('k', { credType: 'key-auth', stringData: { key: 'same' } }),
      secret('j', { credType: 'jwt', stringData: { key: 'same', algorithm: 'HS256', secret: 's' } }),
      consumer('a', { username: 'a', credentials: ['k'], created: 1 }),
      consumer('b', { username: 'b', credentials: ['j'], created: 2 }),
    ],
    want: [],
  },
  {
    rule: 'duplicate-credential',
    name: 'neighbour: different keys',
    objects: [
      ...world(),
      secret('k1', { credType: 'key-auth', stringData: { key: 'one' } }),
      secret('k2', { credType: 'key-auth', stringData: { key: 'two' } }),
      consumer('a', { username: 'a', credentials: ['k1'], created: 1 }),
      consumer('b', { username: 'b', credentials: ['k2'], created: 2 }),
    ],
    want: [],
  },

  // ---- missing-credential-secret
  {
    rule: 'missing-credential-secret',
    name: 'a consumer listing a Secret that does not exist',
    objects: [...world(), consumer('bob', { username: 'bob', credentials: ['nope'] })],
    want: [{ on: 'KongConsumer default/bob', related: ['Secret default/nope'], severity: 'warn', field: 'credentials[0]' }],
  },
  {
    rule: 'missing-credential-secret',
    name: 'neighbour: the Secret exists in the consumer\'s namespace',
    objects: [...world(), secret('k', { ns: 'team', credType: 'key-auth', stringData: { key: 'x' } }), consumer('bob', { ns: 'team', username: 'bob', credentials: ['k'] })],
    want: [],
  },

  // ---- missing-consumer-group
  {
    rule: 'missing-consumer-group',
    name: 'a consumer joining a group that does not exist',
    objects: [...world(), consumer('bob', { username: 'bob', groups: ['gold'] })],
    want: [{ on: 'KongConsumer default/bob', related: ['KongConsumerGroup default/gold'], severity: 'warn', field: 'consumerGroups[0]' }],
  },
  {
    rule: 'missing-consumer-group',
    name: 'neighbour: the group exists',
    objects: [...world(), consumerGroup('gold'), consumer('bob', { username: 'bob', groups: ['gold'] })],
    want: [],
  },

  // ---- ingress-path-conflict: only where the answer would differ (another Service or port)
  {
    rule: 'ingress-path-conflict',
    name: 'two Ingresses send the same host and prefix (trailing slash ignored) to different Services',
    objects: [
      ...world(),
      service('echo-v2', { ports: [{ port: 80, name: 'http' }] }),
      ingress('a', { className: 'kong', created: 1, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 80 }] }),
      ingress('b', { className: 'kong', created: 2, paths: [{ host: 'X.example.com', path: '/api/', service: 'echo-v2', port: 80 }] }),
    ],
    want: [{ on: 'Ingress default/b', related: ['Ingress default/a'], severity: 'deny', field: 'spec.rules[0].http.paths[0]', mentions: ['Service default/echo-v2:80', 'Service default/echo:80', 'route ID'] }],
  },
  {
    rule: 'ingress-path-conflict',
    name: 'the same Service on another port is another backend',
    objects: [
      ...world(),
      service('multi', { ports: [{ port: 80, name: 'http' }, { port: 81, name: 'admin' }] }),
      ingress('a', { className: 'kong', created: 1, paths: [{ host: 'x.example.com', path: '/api', service: 'multi', port: 80 }] }),
      ingress('b', { className: 'kong', created: 2, paths: [{ host: 'x.example.com', path: '/api', service: 'multi', port: 81 }] }),
    ],
    want: [{ on: 'Ingress default/b', related: ['Ingress default/a'], severity: 'deny' }],
  },
  {
    rule: 'ingress-path-conflict',
    name: 'neighbour: the same Service and port, either way the same backend answers',
    objects: [
      ...world(),
      ingress('a', { className: 'kong', created: 1, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 80 }] }),
      ingress('b', { className: 'kong', created: 2, paths: [{ host: 'x.example.com', path: '/api/', service: 'echo', port: 80 }] }),
    ],
    want: [],
  },
  {
    rule: 'ingress-path-conflict',
    name: 'neighbour: the same Service, its port by number and by name',
    objects: [
      ...world(),
      ingress('a', { className: 'kong', created: 1, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 80 }] }),
      ingress('b', { className: 'kong', created: 2, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 'http' }] }),
    ],
    want: [],
  },
  {
    rule: 'ingress-path-conflict',
    name: 'neighbour: konghq.com/methods tells them apart',
    objects: [
      ...world(),
      service('echo-v2', { ports: [{ port: 80, name: 'http' }] }),
      ingress('a', { className: 'kong', created: 1, annotations: { 'konghq.com/methods': 'GET' }, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 80 }] }),
      ingress('b', { className: 'kong', created: 2, annotations: { 'konghq.com/methods': 'POST' }, paths: [{ host: 'x.example.com', path: '/api', service: 'echo-v2', port: 80 }] }),
    ],
    want: [],
  },
  {
    rule: 'ingress-path-conflict',
    name: 'neighbour: Exact and Prefix on the same path',
    objects: [
      ...world(),
      service('echo-v2', { ports: [{ port: 80, name: 'http' }] }),
      ingress('a', { className: 'kong', created: 1, paths: [{ host: 'x.example.com', path: '/api', pathType: 'Exact', service: 'echo', port: 80 }] }),
      ingress('b', { className: 'kong', created: 2, paths: [{ host: 'x.example.com', path: '/api', pathType: 'Prefix', service: 'echo-v2', port: 80 }] }),
    ],
    want: [],
  },

  {
    rule: 'ingress-path-conflict',
    name: 'the same header match written with spaces and in another order is the same matcher',
    objects: [
      ...world(),
      service('echo-v2', { ports: [{ port: 80, name: 'http' }] }),
      ingress('a', { className: 'kong', created: 1, annotations: { 'konghq.com/headers.x-env': 'prod,staging' }, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 80 }] }),
      ingress('b', { className: 'kong', created: 2, annotations: { 'konghq.com/headers.x-env': 'staging, prod' }, paths: [{ host: 'x.example.com', path: '/api', service: 'echo-v2', port: 80 }] }),
    ],
    want: [{ on: 'Ingress default/b', related: ['Ingress default/a'], severity: 'deny' }],
  },

  // ---- ingress-path-duplicate: the same backend, different route options
  {
    rule: 'ingress-path-duplicate',
    name: 'the same Service, but only one Ingress carries key-auth',
    objects: [
      ...world(),
      kongPlugin('key-auth', 'key-auth'),
      ingress('a', { className: 'kong', created: 1, annotations: { 'konghq.com/plugins': 'key-auth' }, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 80 }] }),
      ingress('b', { className: 'kong', created: 2, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 80 }] }),
    ],
    want: [{ on: 'Ingress default/b', related: ['Ingress default/a'], severity: 'warn', mentions: ['konghq.com/plugins', 'route ID', 'Service default/echo:80'] }],
  },
  {
    rule: 'ingress-path-duplicate',
    name: 'neighbour: identical copies (plugins listed in another order, other tags)',
    objects: [
      ...world(),
      kongPlugin('key-auth', 'key-auth'),
      kongPlugin('cors', 'cors'),
      ingress('a', { className: 'kong', created: 1, annotations: { 'konghq.com/plugins': 'key-auth,cors', 'konghq.com/tags': 'team-a' }, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 80 }] }),
      ingress('b', { className: 'kong', created: 2, annotations: { 'konghq.com/plugins': 'cors, key-auth', 'konghq.com/tags': 'team-b' }, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 80 }] }),
    ],
    want: [],
  },
  {
    rule: 'ingress-path-duplicate',
    name: 'neighbour: different backends are a conflict, not a duplicate',
    objects: [
      ...world(),
      service('echo-v2', { ports: [{ port: 80, name: 'http' }] }),
      ingress('a', { className: 'kong', created: 1, annotations: { 'konghq.com/strip-path': 'true' }, paths: [{ host: 'x.example.com', path: '/api', service: 'echo', port: 80 }] }),
      ingress('b', { className: 'kong', created: 2, paths: [{ host: 'x.example.com', path: '/api', service: 'echo-v2', port: 80 }] }),
    ],
    want: [],
  },

  // ---- httproute-path-conflict
  {
    rule: 'httproute-path-conflict',
    name: 'two HTTPRoutes with the same hostname and path: a warning on the newer',
    objects: [
      ...world(),
      httpRoute('a', { created: 1, hostnames: ['x.example.com'], rules: [{ matches: [{ path: '/api' }], backends: [{ name: 'echo', port: 80 }] }] }),
      httpRoute('b', { created: 2, hostnames: ['x.example.com'], rules: [{ matches: [{ path: '/api/' }], backends: [{ name: 'echo', port: 80 }] }] }),
    ],
    want: [{ on: 'HTTPRoute default/b', related: ['HTTPRoute default/a'], severity: 'warn' }],
  },
  {
    rule: 'httproute-path-conflict',
    name: 'neighbour: different hostnames',
    objects: [
      ...world(),
      httpRoute('a', { created: 1, hostnames: ['x.example.com'], rules: [{ matches: [{ path: '/api' }], backends: [{ name: 'echo', port: 80 }] }] }),
      httpRoute('b', { created: 2, hostnames: ['y.example.com'], rules: [{ matches: [{ path: '/api' }], backends: [{ name: 'echo', port: 80 }] }] }),
    ],
    want: [],
  },
];

for (const c of cases) {
  test(`${c.rule}: ${c.name}`, () => {
    const all = run(c.objects, c.edition ? { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, kongEdition: c.edition } } : DEFAULT_POLICY);
    const got = all.filter((f) => f.rule === c.rule);
    assert.deepEqual(got.map((f) => who(f.object)).sort(), c.want.map((w) => w.on).sort(), JSON.stringify(all.map((f) => `${f.rule} ${who(f.object)}`)));
    for (const w of c.want) {
      const f = got.find((x) => who(x.object) === w.on)!;
      if (w.related) assert.deepEqual(f.related.map(who).sort(), [...w.related].sort(), 'related objects');
      if (w.severity) assert.equal(f.severity, w.severity);
      if (w.field) assert.equal(f.field, w.field);
      assert.ok(f.message.startsWith(w.on), `message names its subject: ${f.message}`);
      for (const r of f.related) assert.ok(f.message.includes(who(r)) || f.message.includes(r.name), `message names related ${who(r)}: ${f.message}`);
      for (const m of w.mentions ?? []) assert.ok(f.message.includes(m), `message mentions ${m}: ${f.message}`);
      assert.ok(f.id.startsWith(`${c.rule}|`));
    }
  });
}

// The cross-object families this file covers; the other families have their own files under test/rules/,
// and test/unit/rule-examples.test.ts runs every rule's examples.
const CROSS_OBJECT_FAMILIES = [PLUGIN_RULES, CLASS_REFERENCE_RULES, BACKEND_RULES, CONSUMER_RULES, ROUTING_RULES].flat();

test('every cross-object rule has a case producing a finding and a neighbour producing none', () => {
  const positive = new Set(cases.filter((c) => c.want.length > 0).map((c) => c.rule));
  const negative = new Set(cases.filter((c) => c.want.length === 0).map((c) => c.rule));
  assert.ok(CROSS_OBJECT_FAMILIES.every((r) => RULES.includes(r)), 'every family rule is in the catalogue');
  for (const rule of CROSS_OBJECT_FAMILIES) {
    assert.ok(positive.has(rule.id), `no positive case for ${rule.id}`);
    assert.ok(negative.has(rule.id), `no neighbour case for ${rule.id}`);
  }
});

test('seed 002 valid setup audits clean (no finding of any rule)', () => {
  assert.deepEqual(run(seed002()), []);
});

test('duplicate-credential never puts the credential value in a finding', () => {
  const value = 'Very-Recognisable-Key-4242';
  const objects = [
    ...world(),
    secret('k1', { credType: 'key-auth', stringData: { key: value }, created: 1 }),
    consumer('a', { username: 'a', credentials: ['k1'], created: 2 }),
    secret('k2', { credType: 'key-auth', stringData: { key: value }, created: 3 }),
    consumer('b', { username: 'b', credentials: ['k2'], created: 4 }),
  ];
  const findings = run(objects);
  assert.ok(findings.some((f) => f.rule === 'duplicate-credential'));
  const text = JSON.stringify(findings);
  assert.ok(!text.includes(value));
  assert.ok(!text.includes(Buffer.from(value).toString('base64')));
});

// ---------------------------------------------------------------- policy

const brokenWorld = (): K8sObject[] => [
  ...world(),
  httpRoute('r', { plugins: 'nope' }), // missing-plugin (dangling, warn)
  consumer('bob', { username: 'bob', created: 1 }),
  consumer('bob-clone', { username: 'bob', created: 2 }), // duplicate-consumer-identity (deny)
  ingress('orphan', { className: 'kong', paths: [{ path: '/o', service: 'missing-svc', port: 80 }] }), // missing-backend-service (dangling, warn)
];

const severities = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.rule, f.severity]));

const policyCases: { name: string; policy: Partial<Policy>; want: Record<string, string> }[] = [
  { name: 'defaults', policy: {}, want: { 'missing-plugin': 'warn', 'duplicate-consumer-identity': 'deny', 'missing-backend-service': 'warn' } },
  { name: '"off" removes a rule', policy: { rules: { 'duplicate-consumer-identity': 'off' } }, want: { 'missing-plugin': 'warn', 'missing-backend-service': 'warn' } },
  { name: '"warn" downgrades a deny rule', policy: { rules: { 'duplicate-consumer-identity': 'warn' } }, want: { 'missing-plugin': 'warn', 'duplicate-consumer-identity': 'warn', 'missing-backend-service': 'warn' } },
  { name: '"deny" upgrades a warn rule', policy: { rules: { 'missing-plugin': 'deny' } }, want: { 'missing-plugin': 'deny', 'duplicate-consumer-identity': 'deny', 'missing-backend-service': 'warn' } },
  { name: 'strict turns dangling rules into denials', policy: { strict: true }, want: { 'missing-plugin': 'deny', 'duplicate-consumer-identity': 'deny', 'missing-backend-service': 'deny' } },
  { name: 'an explicit setting beats strict', policy: { strict: true, rules: { 'missing-plugin': 'warn', 'missing-backend-service': 'off' } }, want: { 'missing-plugin': 'warn', 'duplicate-consumer-identity': 'deny' } },
  { name: 'ignored namespaces are not judged', policy: { ignoreNamespaces: ['default'] }, want: {} },
];

for (const c of policyCases) {
  test(`policy: ${c.name}`, () => {
    assert.deepEqual(severities(run(brokenWorld(), { ...DEFAULT_POLICY, ...c.policy })), c.want);
  });
}

test('strict only affects rules marked dangling', () => {
  const strictRules = RULES.filter((r) => r.dangling).map((r) => r.id);
  assert.ok(strictRules.includes('missing-plugin'));
  for (const rule of RULES) if (rule.dangling) assert.equal(rule.severity, 'warn', `${rule.id} is dangling and warns by default`);
  assert.ok(!strictRules.includes('duplicate-consumer-identity'));
});

test('unclassed consumers count only when our IngressClass is the default', () => {
  const objs = (isDefault: boolean) => [ingressClass('kong', { isDefault }), unclassedConsumer('a', { username: 'x', created: 1 }), unclassedConsumer('b', { username: 'x', created: 2 })];
  assert.deepEqual(run(objs(true)).map((f) => `${f.rule} ${f.object.name}`), ['duplicate-consumer-identity b']);
  // Not managed: no identity clash is judged; what remains is the warning that KIC ignores them.
  assert.deepEqual(run(objs(false)).map((f) => `${f.rule} ${f.object.name}`), ['missing-class-annotation a', 'missing-class-annotation b']);
});

test(
  'duplicate-plugin-scope: the fix sentence reads well when there is no former-scoping hint',
  () => {
    const [f] = run(replace(seed002(), withPlugins(seedBob(), undefined))).filter((x) => x.rule === 'duplicate-plugin-scope');
    assert.ok(f);
    assert.doesNotMatch(f.message, /Fix: Or /);
  },
);
