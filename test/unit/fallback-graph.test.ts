// KIC's Fallback Configuration walks KIC 3.5's own dependency graph (internal/dataplane/fallback/graph_dependencies*.go):
// what a broken object takes down with it. Edges translation follows but KIC's graph lacks take nothing down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { excludedBy } from '../../src/graph/fallback.ts';
import { refKey, type K8sObject } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';
import { yamlObjects } from '../helpers.ts';

const STATE = yamlObjects(`
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong}
spec: {controller: ingress-controllers.konghq.com/kong}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default, annotations: {konghq.com/upstream-policy: lb}}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: shared}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: fallback, namespace: default}
spec: {ports: [{port: 80}]}
---
apiVersion: configuration.konghq.com/v1beta1
kind: KongUpstreamPolicy
metadata: {name: lb, namespace: default}
spec: {algorithm: least-connections}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default}
spec:
  ingressClassName: kong
  defaultBackend: {service: {name: fallback, port: {number: 80}}}
  tls: [{hosts: [app.example.com], secretName: app-tls}]
  rules: [{host: app.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}]}}]
---
apiVersion: v1
kind: Secret
metadata: {name: app-tls, namespace: default}
type: kubernetes.io/tls
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: default, annotations: {konghq.com/plugins: "limits, shared:auth"}}
spec:
  parentRefs: [{name: kong}]
  rules: [{backendRefs: [{name: echo, namespace: shared, port: 80}]}]
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: limits, namespace: default}
plugin: rate-limiting
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: auth, namespace: shared}
plugin: key-auth
---
apiVersion: configuration.konghq.com/v1beta1
kind: KongConsumerGroup
metadata: {name: gold, namespace: default}
---
apiVersion: v1
kind: Secret
metadata: {name: bob-key, namespace: default, labels: {konghq.com/credential: key-auth}}
---
apiVersion: configuration.konghq.com/v1
kind: KongConsumer
metadata: {name: bob, namespace: default, annotations: {kubernetes.io/ingress.class: kong}}
username: bob
credentials: [bob-key]
consumerGroups: [gold]
`);

const key = (o: K8sObject) => refKey({ group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '', kind: o.kind, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name });
const find = (kind: string, ns: string | undefined, name: string) => key(STATE.find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name)!);
const names = (excluded: Map<string, Set<string>>) => [...excluded.keys()].map((k) => k.split(':')[0]!.split('/').pop() + ':' + k.split(':')[1]).sort();

const CASES: { broken: [string, string | undefined, string]; excludes: string[]; why: string }[] = [
  { broken: ['KongPlugin', 'default', 'limits'], excludes: ['HTTPRoute:default/api', 'KongPlugin:default/limits'], why: 'a local plugin reference is an edge' },
  { broken: ['KongPlugin', 'shared', 'auth'], excludes: ['KongPlugin:shared/auth'], why: 'a remote ns:name reference is not in KIC\'s graph' },
  { broken: ['Service', 'default', 'echo'], excludes: ['HTTPRoute:default/api', 'Ingress:default/web', 'Service:default/echo'], why: 'the Ingress rule backend, and the HTTPRoute backendRef looked up in the route\'s own namespace' },
  { broken: ['Service', 'shared', 'echo'], excludes: ['Service:shared/echo'], why: 'KIC\'s graph never follows a backendRef into another namespace' },
  { broken: ['Service', 'default', 'fallback'], excludes: ['Service:default/fallback'], why: 'spec.defaultBackend is not in KIC\'s graph' },
  { broken: ['KongUpstreamPolicy', 'default', 'lb'], excludes: ['HTTPRoute:default/api', 'Ingress:default/web', 'KongUpstreamPolicy:default/lb', 'Service:default/echo'], why: 'Service -> KongUpstreamPolicy, and what depends on the Service' },
  { broken: ['Secret', 'default', 'app-tls'], excludes: ['Secret:default/app-tls'], why: 'TLS Secrets are not in KIC\'s graph' },
  { broken: ['Secret', 'default', 'bob-key'], excludes: ['KongConsumer:default/bob', 'Secret:default/bob-key'], why: 'credential Secrets are' },
  { broken: ['KongConsumerGroup', 'default', 'gold'], excludes: ['KongConsumerGroup:default/gold'], why: 'KongConsumer -> KongConsumerGroup is not in KIC\'s graph' },
];

for (const c of CASES) {
  test(`KIC's fallback: a broken ${c.broken[0]} ${c.broken[1] ? `${c.broken[1]}/` : ''}${c.broken[2]} excludes ${c.excludes.length - 1} other object(s): ${c.why}`, () => {
    const store = new Store(STATE);
    assert.deepEqual(names(excludedBy(store, [find(...c.broken)])), c.excludes);
  });
}
