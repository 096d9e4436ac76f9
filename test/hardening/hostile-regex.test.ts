// A regex written to make a backtracking engine explode, in one team's Ingress, next to another team's long path:
// route-stolen tries the new route against requests for the old one. Kong's router (the Rust regex crate) answers
// in linear time, and so must the webhook: a stalled event loop times out every review in the cluster.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { Store } from '../../src/state/store.ts';
import { yamlObjects } from '../helpers.ts';

const state = (victimPath: string) => `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: ingress-controllers.konghq.com/kong}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: team-a}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: victim, namespace: team-a}
spec:
  ingressClassName: kong
  rules:
  - host: app.example.com
    http:
      paths: [{path: "${victimPath}", pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}]
`;

const attacker = yamlObjects(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: attacker, namespace: team-b}
spec:
  ingressClassName: kong
  rules:
  - host: app.example.com
    http:
      paths: [{path: "/~/(a+)+$", pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}]
`)[0]!;

test('an Ingress regex (a+)+$ beside a long path of another team is judged, and route-stolen still sees the theft', { timeout: 60_000 }, () => {
  // With JavaScript's RegExp this review did not finish (36 "a"s: minutes; 2,000: never).
  for (const victimPath of [`/${'a'.repeat(36)}!`, `/${'a'.repeat(2000)}`]) {
    const verdict = evaluate(new Store(yamlObjects(state(victimPath))), { operation: 'CREATE', object: attacker }, DEFAULT_POLICY);
    const stolen = [...verdict.denials, ...verdict.warnings].filter((f) => f.rule === 'route-stolen');
    // "/aaa…!" is not matched by the regex; "/aaa…a" is, and the regex route outranks the victim's exact path.
    assert.equal(stolen.length, victimPath.endsWith('!') ? 0 : 1, JSON.stringify(stolen.map((f) => f.message)));
  }
});
