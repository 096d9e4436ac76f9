// The whole translated configuration of the example cluster: every entity kind, with provenance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { httpRouteRules, KONG_BASE, kongPlugin } from '../../src/rules/example-base.ts';
import { Store } from '../../src/state/store.ts';
import { translateAll } from '../../src/translate/kong-config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { EXAMPLES, objectsFrom, yamlObjects } from '../helpers.ts';

const EXTRA = `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: echo-abc, namespace: default, labels: {kubernetes.io/service-name: echo}}
addressType: IPv4
ports: [{name: http, port: 1027}]
endpoints:
- addresses: [10.0.0.1]
  conditions: {ready: true}
- addresses: [10.0.0.2]
  conditions: {ready: false}
---
apiVersion: v1
kind: Secret
metadata: {name: demo-tls, namespace: default}
type: kubernetes.io/tls
stringData: {tls.crt: not-a-real-cert, tls.key: not-a-real-key}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: secure, namespace: default}
spec:
  ingressClassName: kong
  tls: [{hosts: [secure.example.com], secretName: demo-tls}]
  rules:
  - host: secure.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: echo, port: {name: http}}}}]}
`;

test('translateAll builds every entity kind with its sources', async () => {
  const store = new Store([...(await objectsFrom(EXAMPLES + '/cluster')), ...yamlObjects(EXTRA)]);
  const config = translateAll(new Translator(store, DEFAULT_POLICY.translate), store);
  assert.deepEqual(config.services.map((s) => s.name).sort(), ['default.echo.1027', 'default.echo.http', 'default.fallback-svc.80', 'httproute.default.route-a.0', 'httproute.default.route-b.0']);
  assert.ok(config.routes.some((r) => r.name === 'default.fallback' && r.paths[0] === '/'), 'the default backend route');
  assert.deepEqual(config.routes.find((r) => r.name === 'httproute.default.route-b.0.0')!.paths, ['~/route-b$', '/route-b/']);
  const echo = config.upstreams.find((u) => u.name === 'default.echo.1027' || u.name === 'echo.default.1027.svc')!;
  // translate_upstreams.go getUpstreams: an Ingress backend has no weight (Kong's default, 100); getEndpoints skips the not-ready endpoint.
  assert.deepEqual(echo.targets, [{ target: '10.0.0.1:1027' }], 'only ready endpoints become targets, without a weight');
  assert.deepEqual(
    config.plugins.map((p) => `${p.name} ${p.plugin.name} ${JSON.stringify(p.scope)}`).sort(),
    [
      'key-auth key-auth {"route":"httproute.default.route-b.0.0"}',
      'rate-limiting rate-limit-base {"route":"httproute.default.route-b.0.0"}',
      'rate-limiting rate-limit-consumer {"route":"httproute.default.route-b.0.0","consumer":"bob"}',
    ],
  );
  assert.deepEqual(config.consumers, [{ username: 'bob', groups: [], sources: [{ group: 'configuration.konghq.com', kind: 'KongConsumer', namespace: 'default', name: 'bob' }] }]);
  assert.deepEqual(config.credentials.map((c) => [c.type, c.consumer, c.secret.name]), [['key-auth', 'bob', 'bob-key-auth']]);
  assert.deepEqual(config.certificates.map((c) => [c.secret.name, c.snis]), [['demo-tls', ['secure.example.com']]]);
  const text = JSON.stringify(config);
  for (const secret of ['bob-password', 'not-a-real-cert', 'not-a-real-key']) assert.ok(!text.includes(secret), `${secret} leaked`);
});

test('translateAll lists the plugins KIC generates from HTTPRoute filters and the KongPlugins ExtensionRefs place, with provenance', () => {
  const store = new Store(
    yamlObjects(
      KONG_BASE +
        kongPlugin('rl', 'rate-limiting', 'config: {minute: 5}') +
        httpRouteRules('shop', [
          '{matches: [{path: {type: PathPrefix, value: /shop}}], backendRefs: [{name: echo, port: 1027}], filters: [' +
            '{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x-shop, value: "1"}]}}, ' +
            '{type: URLRewrite, urlRewrite: {hostname: shop.internal}}, ' +
            '{type: ExtensionRef, extensionRef: {group: configuration.konghq.com, kind: KongPlugin, name: rl}}]}',
        ]),
    ),
  );
  const config = translateAll(new Translator(store, DEFAULT_POLICY.translate), store);
  const shop = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default', name: 'shop' };
  assert.deepEqual(config.filterPlugins, [
    {
      name: 'request-transformer',
      route: 'httproute.default.shop.0.0',
      config: { replace: { headers: ['host:shop.internal'] }, add: { headers: ['host:shop.internal'] }, append: { headers: ['x-shop:1'] } },
      filters: [
        { rule: 0, filter: 0, type: 'RequestHeaderModifier', field: 'spec.rules[0].filters[0]' },
        { rule: 0, filter: 1, type: 'URLRewrite', field: 'spec.rules[0].filters[1]' },
      ],
      sources: [shop],
    },
  ]);
  assert.deepEqual(config.extensionRefPlugins, [
    {
      route: 'httproute.default.shop.0.0',
      ref: 'rl',
      plugin: { group: 'configuration.konghq.com', kind: 'KongPlugin', namespace: 'default', name: 'rl' },
      filter: { rule: 0, filter: 2, type: 'ExtensionRef', field: 'spec.rules[0].filters[2]' },
      sources: [shop],
    },
  ]);
});
