// A small cluster with one object of each route kind KIC 3.5 translates besides Ingress and HTTPRoute, written for
// these tests (shapes from the CRDs in test/fixtures/crds/). Shared by the translation and rule tests and by the
// scope property test, which draws objects from it.
import type { K8sObject } from '../../src/model/object.ts';
import { KONG_BASE } from '../../src/rules/example-base.ts';
import { yamlObjects } from '../helpers.ts';

/** The rules' example base (IngressClass kong, the default; GatewayClass kong; Service echo on 1027) with Gateway kong
 * listening for HTTP, TCP, UDP and TLS passthrough, an HTTPS-only Gateway, another controller's Gateway, and Service dns (UDP 53). */
export const BASE =
  KONG_BASE.replace(
    'spec: {gatewayClassName: kong, listeners: [{name: http, protocol: HTTP, port: 80}]}',
    'spec: {gatewayClassName: kong, listeners: [{name: http, protocol: HTTP, port: 80}, {name: tcp, protocol: TCP, port: 9000}, ' +
      '{name: udp, protocol: UDP, port: 9053}, {name: tls-pass, protocol: TLS, port: 9443, tls: {mode: Passthrough}}]}',
  ) +
  `---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: other}
spec: {controllerName: example.com/other}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: kong-https, namespace: default}
spec:
  gatewayClassName: kong
  listeners:
  - {name: https, protocol: HTTPS, port: 443, hostname: api.example.com, tls: {certificateRefs: [{name: api-cert}]}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: other, namespace: default}
spec: {gatewayClassName: other, listeners: [{name: http, protocol: HTTP, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: default}
spec: {ports: [{name: dns, port: 53, protocol: UDP}]}
`;

export const GRPC_ROUTE = `
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: grpc-a, namespace: default}
spec:
  parentRefs: [{name: kong}]
  hostnames: [grpc.example.com]
  rules:
  - matches: [{method: {service: echo.Echo, method: Ping}, headers: [{name: x-team, value: a}]}]
    backendRefs: [{name: echo, port: 1027}]
  - backendRefs: [{name: echo, port: 1027}]
`;

/** A TCPRoute, TLSRoute or UDPRoute (gateway.networking.k8s.io/v1alpha2) on one listener of Gateway kong. */
function l4Route(kind: string, name: string, section: string, backend: string, extra = ''): string {
  return `
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: ${kind}
metadata: {name: ${name}, namespace: default}
spec:
  parentRefs: [{name: kong, sectionName: ${section}}]
${extra}  rules: [{backendRefs: [${backend}]}]
`;
}

export const TCP_ROUTE = l4Route('TCPRoute', 'tcp-a', 'tcp', '{name: echo, port: 1027}');
export const TLS_ROUTE = l4Route('TLSRoute', 'tls-a', 'tls-pass', '{name: echo, port: 1027}', '  hostnames: [tls.example.com]\n');
export const UDP_ROUTE = l4Route('UDPRoute', 'udp-a', 'udp', '{name: dns, port: 53}');

export const TCP_INGRESS = `
apiVersion: configuration.konghq.com/v1beta1
kind: TCPIngress
metadata: {name: tcp-ing, namespace: default, annotations: {kubernetes.io/ingress.class: kong}}
spec:
  rules:
  - {host: db.example.com, port: 9000, backend: {serviceName: echo, servicePort: 1027}}
  - {port: 9001, backend: {serviceName: echo, servicePort: 1027}}
`;

export const UDP_INGRESS = `
apiVersion: configuration.konghq.com/v1beta1
kind: UDPIngress
metadata: {name: udp-ing, namespace: default, annotations: {kubernetes.io/ingress.class: kong}}
spec:
  rules: [{port: 9053, backend: {serviceName: dns, servicePort: 53}}]
`;

export const ROUTES = [GRPC_ROUTE, TCP_ROUTE, TLS_ROUTE, UDP_ROUTE, TCP_INGRESS, UDP_INGRESS];

/** Objects from YAML documents joined with `---`. */
export function objects(...docs: string[]): K8sObject[] {
  return yamlObjects(docs.join('\n---\n'));
}
