// KIC's expression-route priorities, field by field, and the explanation of which field decided.
// Golden numbers come from KIC 3.5's internal/dataplane/testdata/golden/*/expression-routes-on_golden.yaml.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  httpRouteExpressionPriority,
  type HTTPRoutePriorityTraits,
  ingressExpressionPriority,
  type IngressPriorityTraits,
  kicDecidingField,
  kicKindOf,
} from '../../src/router/kic-priority.ts';

const ing: IngressPriorityTraits = { matchFields: 0, headerCount: 0, plainHostsOnly: false, hasRegexPath: false, maxPathLength: 0 };
const hr: HTTPRoutePriorityTraits = { preciseHostname: false, hostnameLength: 0, pathType: undefined, pathLength: 0, hasMethodMatch: false, headerCount: 0, queryParamCount: 0, relativeOrder: 0 };

describe('Ingress', () => {
  test('golden values', () => {
    // ingress-v1-regex-prefix-exact-rule: host example.com, Exact /whatever
    assert.equal(ingressExpressionPriority({ matchFields: 2, headerCount: 0, plainHostsOnly: true, hasRegexPath: true, maxPathLength: 9 }), 57178899677193n);
    // ingress-v1-regex-prefixed-path: /~/foo/\d{3}
    assert.equal(ingressExpressionPriority({ matchFields: 2, headerCount: 0, plainHostsOnly: true, hasRegexPath: true, maxPathLength: 10 }), 57178899677194n);
    // ingress-v1-empty-path: ImplementationSpecific, empty path
    assert.equal(ingressExpressionPriority({ matchFields: 2, headerCount: 0, plainHostsOnly: true, hasRegexPath: false, maxPathLength: 1 }), 57178899611649n);
  });
  test('each field at its bits', () => {
    const base = ingressExpressionPriority(ing);
    assert.equal(base, 3n << 44n);
    assert.equal(ingressExpressionPriority({ ...ing, matchFields: 5 }) - base, 5n << 41n);
    assert.equal(ingressExpressionPriority({ ...ing, headerCount: 2 }) - base, 2n << 33n);
    assert.equal(ingressExpressionPriority({ ...ing, headerCount: 999 }) - base, 255n << 33n);
    assert.equal(ingressExpressionPriority({ ...ing, plainHostsOnly: true }) - base, 1n << 32n);
    assert.equal(ingressExpressionPriority({ ...ing, hasRegexPath: true }) - base, 1n << 16n);
    assert.equal(ingressExpressionPriority({ ...ing, maxPathLength: 70000 }) - base, 65535n);
  });
});

describe('HTTPRoute', () => {
  test('golden value: httproute-example, PathPrefix /echo, no hostname', () => {
    assert.equal(httpRouteExpressionPriority({ ...hr, pathType: 'PathPrefix', pathLength: 5, relativeOrder: 4095 }), 35184405647359n);
  });
  test('each field at its bits', () => {
    const base = httpRouteExpressionPriority(hr);
    assert.equal(base, 2n << 44n);
    assert.equal(httpRouteExpressionPriority({ ...hr, preciseHostname: true }) - base, 1n << 43n);
    assert.equal(httpRouteExpressionPriority({ ...hr, hostnameLength: 11 }) - base, 11n << 35n);
    assert.equal(httpRouteExpressionPriority({ ...hr, pathType: 'Exact' }) - base, 1n << 34n);
    assert.equal(httpRouteExpressionPriority({ ...hr, pathType: 'RegularExpression' }) - base, 1n << 33n);
    assert.equal(httpRouteExpressionPriority({ ...hr, pathType: 'PathPrefix' }) - base, 0n);
    assert.equal(httpRouteExpressionPriority({ ...hr, pathLength: 4 }) - base, 3n << 23n);
    assert.equal(httpRouteExpressionPriority({ ...hr, hasMethodMatch: true }) - base, 1n << 22n);
    assert.equal(httpRouteExpressionPriority({ ...hr, headerCount: 3 }) - base, 3n << 17n);
    assert.equal(httpRouteExpressionPriority({ ...hr, queryParamCount: 2 }) - base, 2n << 12n);
    assert.equal(httpRouteExpressionPriority({ ...hr, relativeOrder: 4094 }) - base, 4094n);
  });
});

describe('kinds and the deciding field', () => {
  test('kind bits', () => {
    assert.equal(kicKindOf(ingressExpressionPriority(ing)), 'Ingress');
    assert.equal(kicKindOf(httpRouteExpressionPriority(hr)), 'HTTPRoute');
    assert.equal(kicKindOf(1n << 44n), 'GRPCRoute');
    assert.equal(kicKindOf(0n), 'default backend');
    assert.equal(kicKindOf(5n), 'unknown');
  });
  test('a kind difference decides first', () => {
    const i = ingressExpressionPriority(ing);
    const h = httpRouteExpressionPriority({ ...hr, preciseHostname: true, hostnameLength: 200, pathLength: 1000 });
    assert.match(kicDecidingField(i, h)!, /^kind: Ingress routes outrank HTTPRoute routes/);
    assert.match(kicDecidingField(h, 0n)!, /default backend has priority 0/);
  });
  test('Ingress fields', () => {
    const d = (a: Partial<IngressPriorityTraits>, b: Partial<IngressPriorityTraits>) =>
      kicDecidingField(ingressExpressionPriority({ ...ing, ...a }), ingressExpressionPriority({ ...ing, ...b }));
    assert.match(d({ matchFields: 3 }, { matchFields: 2, headerCount: 9 })!, /^match fields .*: 3 > 2$/);
    assert.match(d({ headerCount: 2 }, { headerCount: 1, plainHostsOnly: true })!, /^header count: 2 > 1$/);
    assert.match(d({ plainHostsOnly: true }, { hasRegexPath: true })!, /^only plain hosts/);
    assert.match(d({ hasRegexPath: true }, { maxPathLength: 900 })!, /^regex path/);
    assert.match(d({ maxPathLength: 9 }, { maxPathLength: 4 })!, /^longest path: 9 > 4$/);
    assert.equal(d({}, {}), undefined);
  });
  test('HTTPRoute fields', () => {
    const d = (a: Partial<HTTPRoutePriorityTraits>, b: Partial<HTTPRoutePriorityTraits>) =>
      kicDecidingField(httpRouteExpressionPriority({ ...hr, ...a }), httpRouteExpressionPriority({ ...hr, ...b }));
    assert.match(d({ preciseHostname: true }, { hostnameLength: 200 })!, /^precise/);
    assert.match(d({ hostnameLength: 9 }, { hostnameLength: 5 })!, /^hostname length: 9 > 5$/);
    assert.match(d({ pathType: 'Exact' }, { pathType: 'RegularExpression' })!, /^Exact path/);
    assert.match(d({ pathType: 'RegularExpression' }, { pathLength: 1000 })!, /^RegularExpression path/);
    assert.match(d({ pathLength: 5 }, { pathLength: 2 })!, /^path length: 4 > 1$/);
    assert.match(d({ hasMethodMatch: true }, { headerCount: 3 })!, /^method match/);
    assert.match(d({ headerCount: 2 }, { queryParamCount: 5 })!, /^header count: 2 > 0$/);
    assert.match(d({ queryParamCount: 1 }, { relativeOrder: 4095 })!, /^query parameter count/);
    assert.match(d({ relativeOrder: 4095 }, { relativeOrder: 4094 })!, /^relative order .*: 4095 > 4094$/);
  });
});
