// Objects written to meet, for the random create/update/delete sequences of the scope and live-translation properties.
import type { K8sObject } from '../../src/model/object.ts';
import { keyOf } from '../../src/model/object.ts';
import { httpRouteRules, ingress, KONG_BASE, kongPlugin } from '../../src/rules/example-base.ts';
import { withAnnotations, yamlObjects } from '../helpers.ts';
import { BASE as ROUTE_KINDS_BASE, objects as routeObjects, ROUTES } from '../unit/route-kinds-world.ts';

/**
 * GRPCRoute, TCPRoute, TLSRoute, UDPRoute, TCPIngress and UDPIngress, each in two versions (with and without two
 * rate-limiting plugins), and a consumer sharing one of them: plugin scopes that appear and move as they come and go.
 */
export function routeKindsGroup(): K8sObject[] {
  const plugin = (name: string) => `apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: ${name}, namespace: default}\nplugin: rate-limiting\nconfig: {minute: 5}\n`;
  const bob = `apiVersion: configuration.konghq.com/v1\nkind: KongConsumer\nmetadata: {name: bob, namespace: default, annotations: {kubernetes.io/ingress.class: kong, konghq.com/plugins: rl-b}}\nusername: bob\n`;
  const routes = routeObjects(...ROUTES);
  return [
    ...routeObjects(ROUTE_KINDS_BASE, plugin('rl-a'), plugin('rl-b'), bob),
    ...routes,
    ...routes.map((o) => withAnnotations(o, { 'konghq.com/plugins': 'rl-a, rl-b' })),
  ];
}

/** Every version of every object, by key (distinct versions of one key make updates). */
export function versionsByKey(objects: Iterable<K8sObject>): Map<string, K8sObject[]> {
  const pool = new Map<string, K8sObject[]>();
  for (const obj of objects) {
    const key = keyOf(obj);
    const versions = pool.get(key) ?? [];
    if (!versions.some((v) => JSON.stringify(v) === JSON.stringify(obj))) versions.push(obj);
    pool.set(key, versions);
  }
  return pool;
}

const NEW_KINDS_YAML = (parameters: string, legacy: string, facadeAnnotations: string, echoAnnotations: string, ce: string, global: string, tls: string, filter: string) => `${KONG_BASE}---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec:
  controller: ingress-controllers.konghq.com/kong
  parameters: {apiGroup: configuration.konghq.com, kind: IngressClassParameters, scope: Namespace, namespace: default, name: kong}
---
apiVersion: configuration.konghq.com/v1alpha1
kind: IngressClassParameters
metadata: {name: kong, namespace: default}
spec: {${parameters}}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default, annotations: {${echoAnnotations}}}
spec: {ports: [{name: http, port: 1027}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: echo-1, namespace: default, labels: {kubernetes.io/service-name: echo}}
ports: [{name: http, port: 1027}]
endpoints: [{addresses: [10.0.0.1], conditions: {ready: true}}]
---
apiVersion: configuration.konghq.com/v1beta1
kind: KongUpstreamPolicy
metadata: {name: sticky, namespace: default}
spec: {algorithm: consistent-hashing, hashOn: {header: x-user}}
---
apiVersion: configuration.konghq.com/v1alpha1
kind: KongVault
metadata: {name: env-a, annotations: {kubernetes.io/ingress.class: kong}}
spec: {backend: env, prefix: env}
${kongPlugin('nk-limit', 'rate-limiting', 'config: {minute: 10, policy: local}')}---
apiVersion: configuration.konghq.com/v1
kind: KongConsumer
metadata: {name: nk-bob, namespace: default, annotations: {kubernetes.io/ingress.class: kong, konghq.com/plugins: nk-limit}}
username: nk-bob
---
apiVersion: configuration.konghq.com/v1alpha1
kind: KongCustomEntity
metadata: {name: nk-acl, namespace: default}
spec: {type: acls, controllerName: kong, fields: {group: gold}${ce}}
---
apiVersion: configuration.konghq.com/v1
kind: KongClusterPlugin
metadata: {name: nk-global-a, labels: {global: "true"}, annotations: {kubernetes.io/ingress.class: kong}}
plugin: correlation-id
---
apiVersion: configuration.konghq.com/v1
kind: KongClusterPlugin
metadata: {name: nk-global-b, labels: {global: "${global}"}, annotations: {kubernetes.io/ingress.class: kong}}
plugin: correlation-id
---
apiVersion: incubator.ingress-controller.konghq.com/v1alpha1
kind: KongServiceFacade
metadata: {name: echo-public, namespace: default, annotations: {kubernetes.io/ingress.class: kong${facadeAnnotations}}}
spec: {backendRef: {name: echo, port: 1027}}
${ingress('nk-legacy', `  rules:
  - host: legacy.example.com
    http:
      paths:
      - {path: "/api/v[0-9]+", pathType: ImplementationSpecific, backend: {service: {name: echo, port: {number: 1027}}}}
      - {path: /plain, pathType: Prefix, backend: {resource: {apiGroup: incubator.ingress-controller.konghq.com, kind: KongServiceFacade, name: echo-public}}}
`, legacy)}${ingress('nk-facade', `  defaultBackend: {resource: {apiGroup: incubator.ingress-controller.konghq.com, kind: KongServiceFacade, name: echo-public}}
  rules:
  - host: facade.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 1027}}}}
`)}${httpRouteRules('nk-api', [`{matches: [{path: {type: PathPrefix, value: /nk}}], filters: [${filter}], backendRefs: [{name: echo, port: 1027}]}`])}${httpRouteRules('nk-other', ['{matches: [{path: {type: PathPrefix, value: /other}}], backendRefs: [{name: echo, port: 1027}]}'])}---
apiVersion: gateway.networking.k8s.io/v1alpha3
kind: BackendTLSPolicy
metadata: {name: echo-tls, namespace: default}
spec:
  targetRefs: [{group: "", kind: Service, name: echo}]
  validation: {hostname: echo.internal, caCertificateRefs: [{group: "", kind: ConfigMap, name: echo-ca}]}
---
apiVersion: gateway.networking.k8s.io/v1alpha3
kind: BackendTLSPolicy
metadata: {name: echo-tls-2, namespace: default}
spec:
  targetRefs: [{group: "", kind: Service, name: ${tls}}]
  validation: {hostname: echo.internal, wellKnownCACertificates: System}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: echo-ca, namespace: default}
data: {ca.crt: not-a-certificate}
`;

/**
 * The kinds and settings added with KIC 3.5 fidelity, in two versions each (objects of one key differ between them):
 * IngressClassParameters behind the class (legacy regex detection, service upstream), Ingress backends that are a
 * KongServiceFacade (path and default backend; the facade with and without konghq.com/plugins), konghq.com/rewrite on
 * an Ingress sharing a Kong service with another, a KongCustomEntity attached to a KongPlugin or not, two global
 * KongClusterPlugins of one type (colliding, or one not global), two BackendTLSPolicies for one Service or for two,
 * an HTTPRoute with a supported or an unsupported filter sharing its Kong service, a KongUpstreamPolicy and a KongVault.
 */
export function newKindsGroup(): K8sObject[] {
  return [
    ...yamlObjects(
      NEW_KINDS_YAML(
        'enableLegacyRegexDetection: true, serviceUpstream: true',
        'konghq.com/rewrite: /v1',
        ', konghq.com/plugins: nk-limit',
        'konghq.com/upstream-policy: sticky, konghq.com/plugins: nk-limit',
        ', parentRef: {group: configuration.konghq.com, kind: KongPlugin, name: nk-limit}',
        'true',
        'echo',
        '{type: RequestMirror, requestMirror: {backendRef: {name: echo, port: 1027}}}',
      ),
    ),
    ...yamlObjects(
      NEW_KINDS_YAML('enableLegacyRegexDetection: false', 'konghq.com/strip-path: "true"', '', 'konghq.com/protocol: http', '', 'false', 'other', '{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}}'),
    ),
  ];
}
