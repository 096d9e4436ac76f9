// Building blocks for the rules' example manifests (shown by `ingress-guard rules ID`, run by the tests).

/** KIC's IngressClass (the cluster default), its GatewayClass and a Gateway, plus Service echo. */
export const KONG_BASE = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: ingress-controllers.konghq.com/kong}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: kong}
spec: {controllerName: konghq.com/kic-gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: kong, namespace: default}
spec: {gatewayClassName: kong, listeners: [{name: http, protocol: HTTP, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default}
spec: {ports: [{name: http, port: 1027}]}
`;

export function kongPlugin(name: string, type: string, extra = ''): string {
  return `---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: ${name}, namespace: default}
plugin: ${type}
${extra ? `${extra}\n` : ''}`;
}

/** An HTTPRoute of Gateway kong, one rule a flow mapping; `extra` goes before `rules` (e.g. hostnames). */
export function httpRouteRules(name: string, rules: string[], plugins?: string, extra = ''): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: default${plugins ? `, annotations: {konghq.com/plugins: "${plugins}"}` : ''}}
spec:
  parentRefs: [{name: kong}]
  ${extra}rules:
${rules.map((r) => `  - ${r}`).join('\n')}
`;
}

/** An HTTPRoute on Gateway kong with one rule; `path` is YAML (quote a regex), matched as `pathType`. */
export function httpRoute(name: string, path: string, plugins?: string, extra = '', backends = ['echo'], pathType = 'PathPrefix'): string {
  return httpRouteRules(name, [`{matches: [{path: {type: ${pathType}, value: ${path}}}], backendRefs: [${backends.map((b) => `{name: ${b}, port: 1027}`).join(', ')}]}`], plugins, extra);
}

export function ingress(name: string, spec: string, annotations = ''): string {
  return `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: default${annotations ? `, annotations: {${annotations}}` : ''}}
spec:
  ingressClassName: kong
${spec}`;
}

export function consumer(name: string, fields: string, annotations = ''): string {
  return `---
apiVersion: configuration.konghq.com/v1
kind: KongConsumer
metadata: {name: ${name}, namespace: default, annotations: {kubernetes.io/ingress.class: kong${annotations ? `, ${annotations}` : ''}}}
${fields}
`;
}

export function keyAuthSecret(name: string, key: string): string {
  return `---
apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: default, labels: {konghq.com/credential: key-auth}}
stringData: {key: ${key}}
`;
}

export const pathRule = (path: string, service = 'echo', port = 1027, host = '') =>
  `  rules: [{${host ? `host: ${host}, ` : ''}http: {paths: [{path: ${path}, pathType: Prefix, backend: {service: {name: ${service}, port: {number: ${port}}}}}]}}]\n`;

export function kongPluginIn(namespace: string, name: string, type: string): string {
  return kongPlugin(name, type).replace('namespace: default', `namespace: ${namespace}`);
}

/** A ReferenceGrant in `namespace` letting HTTPRoutes of namespace default reference its KongPlugins. */
export function pluginGrant(namespace: string): string {
  return `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: plugins-for-default, namespace: ${namespace}}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
  to: [{group: configuration.konghq.com, kind: KongPlugin}]
`;
}

export function globalPlugin(name: string, type = 'prometheus', extra = ''): string {
  return `---
apiVersion: configuration.konghq.com/v1
kind: KongClusterPlugin
metadata: {name: ${name}, labels: {global: "true"}, annotations: {kubernetes.io/ingress.class: kong}}
plugin: ${type}
${extra ? `${extra}\n` : ''}`;
}

export function consumerGroup(name: string): string {
  return `---
apiVersion: configuration.konghq.com/v1beta1
kind: KongConsumerGroup
metadata: {name: ${name}, namespace: default, annotations: {kubernetes.io/ingress.class: kong}}
`;
}

export const DEFAULT_BACKEND = '  defaultBackend: {service: {name: echo, port: {number: 1027}}}\n';
