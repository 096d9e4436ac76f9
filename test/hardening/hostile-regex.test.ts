// A regex written to make a backtracking engine explode, in one team's Ingress, next to another team's long path:
// route-stolen tries the new route against requests for the old one. Kong's router (the Rust regex crate) answers
// in linear time, and so must the webhook: a stalled event loop times out every review in the cluster.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { Store } from '../../src/state/store.ts';
import { KONG_BASE } from '../../src/rules/example-base.ts';
import { yamlObjects } from '../helpers.ts';

// The victim's route wins or loses the tie with the attacker's by KIC's route names (Kong orders equal regex routes by
// ID): with these names the attacker's route outranks the victim's exact path.
const ingress = (name: string, namespace: string, path: string, pathType: string) => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  ingressClassName: kong
  rules: [{host: app.example.com, http: {paths: [{path: "${path}", pathType: ${pathType}, backend: {service: {name: web, port: {number: 80}}}}]}}]
`;

const state = (victimPath: string) => `${KONG_BASE}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: team-a}
spec: {ports: [{name: http, port: 80}]}
${ingress('victim', 'team-a', victimPath, 'Exact')}`;
const attacker = yamlObjects(ingress('attacker', 'team-b', '/~/(a+)+$', 'ImplementationSpecific'))[0]!;

test('an Ingress regex (a+)+$ beside a long path of another team is judged, and route-stolen still sees the theft', { timeout: 60_000 }, () => {
  // With JavaScript's RegExp this review did not finish (36 "a"s: minutes; 2,000: never).
  for (const victimPath of [`/${'a'.repeat(36)}!`, `/${'a'.repeat(2000)}`]) {
    const verdict = evaluate(new Store(yamlObjects(state(victimPath))), { operation: 'CREATE', object: attacker }, DEFAULT_POLICY);
    const stolen = [...verdict.denials, ...verdict.warnings].filter((f) => f.rule === 'route-stolen');
    // "/aaa…!" is not matched by the regex; "/aaa…a" is.
    assert.equal(stolen.length, victimPath.endsWith('!') ? 0 : 1, JSON.stringify(stolen.map((f) => f.message)));
  }
});
