// GRPCRoute expression routes (translate/grpcroute-expressions.ts, KIC's grpcroute_atc.go) through trace: the longer
// service and method win by priority, a method-less rule is the catch-all, and a regex match reaches what Exact does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { Store } from '../../src/state/store.ts';
import { traceRequest } from '../../src/trace/trace.ts';
import { Translator } from '../../src/translate/translator.ts';
import { yamlObjects } from '../helpers.ts';

const STATE = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: kong}
spec: {controllerName: konghq.com/kic-gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: kong, namespace: default}
spec: {gatewayClassName: kong, listeners: [{name: http, protocol: HTTP, port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: greeter, namespace: default}
spec:
  parentRefs: [{name: kong}]
  hostnames: [grpc.example.com]
  rules:
  - matches:
    - method: {service: hello.Greeter, method: SayHello}
    - method: {service: hello.Greeter}
    - method: {type: RegularExpression, service: "admin\\\\..+"}
    backendRefs: [{name: grpcbin, port: 9001}]
  - backendRefs: [{name: grpcbin, port: 9001}]
`;

function winner(path: string): string | undefined {
  const tr = new Translator(new Store(yamlObjects(STATE)), { ...DEFAULT_POLICY.translate, kongRouterFlavor: 'expressions' });
  const t = traceRequest(tr, { url: `http://grpc.example.com${path}`, method: 'POST', headers: { 'content-type': ['application/grpc'] } });
  return t.resolution.winner?.part.route.name;
}

test('the exact service and method outrank the service prefix, which outranks the rule without matches', () => {
  assert.equal(winner('/hello.Greeter/SayHello'), 'grpcroute.default.greeter.grpc.example.com.0.0');
  assert.equal(winner('/hello.Greeter/SayBye'), 'grpcroute.default.greeter.grpc.example.com.0.1');
  assert.equal(winner('/other.Service/Call'), 'grpcroute.default.greeter.grpc.example.com.1.0');
});

test('a RegularExpression service match is a regex on the path', () => {
  assert.equal(winner('/admin.Users/List'), 'grpcroute.default.greeter.grpc.example.com.0.2');
});
