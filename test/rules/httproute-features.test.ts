import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { K8sObject } from '../../src/model/object.ts';
import { HTTPROUTE_FEATURE_RULES } from '../../src/rules/httproute-features.ts';
import { yamlObjects } from '../helpers.ts';
import { fixtureSets, httpRoute, run, world } from './support.ts';

const match = { path: { type: 'PathPrefix', value: '/' } };
const backend = { name: 'echo', port: 80 };
const rule = (extra: Record<string, unknown> = {}) => ({ matches: [match], backendRefs: [backend], ...extra });
const route = (rules: unknown[], gateway = 'kong'): K8sObject[] => [...world(), httpRoute('api', { rules, gateway })];

interface Case {
  name: string;
  objects: K8sObject[];
  /** Fields of the findings, plus words the message must contain. */
  want: { field: string; mentions?: string[] }[];
}

const cases: Case[] = [
  // ---- filters
  { name: 'CORS filter', objects: route([rule({ filters: [{ type: 'CORS', cors: { allowOrigins: ['*'] } }] })]), want: [{ field: 'spec.rules[0].filters[0]', mentions: ['"CORS"', 'KongPlugin'] }] },
  { name: 'RequestMirror filter', objects: route([rule({ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: {} }, { type: 'RequestMirror', requestMirror: { backendRef: backend } }] })]), want: [{ field: 'spec.rules[0].filters[1]' }] },
  { name: 'a misspelt filter type gets a suggestion', objects: route([rule({ filters: [{ type: 'URLRewrites' }] })]), want: [{ field: 'spec.rules[0].filters[0]', mentions: ['did you mean "URLRewrite"'] }] },
  {
    name: 'neighbour: every supported filter type',
    objects: route([
      rule({
        filters: [
          { type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'x', value: 'y' }] } },
          { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['server'] } },
          { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } },
          { type: 'ExtensionRef', extensionRef: { group: 'configuration.konghq.com', kind: 'KongPlugin', name: 'rl' } },
        ],
      }),
      { matches: [{ path: { type: 'PathPrefix', value: '/old' } }], filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 301, path: { type: 'ReplaceFullPath', replaceFullPath: '/new' } } }] },
    ]),
    want: [],
  },
  // ---- backendRefs
  { name: 'filters on a backendRef', objects: route([rule({ backendRefs: [{ ...backend, filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: {} }] }] })]), want: [{ field: 'spec.rules[0].backendRefs[0].filters', mentions: ['per-backend'] }] },
  { name: 'a backendRef to a KongServiceFacade', objects: route([rule({ backendRefs: [{ group: 'incubator.ingress-controller.konghq.com', kind: 'KongServiceFacade', name: 'f', port: 80 }] })]), want: [{ field: 'spec.rules[0].backendRefs[0]', mentions: ['KongServiceFacade', 'core Services'] }] },
  { name: 'a backendRef of kind Pod in the core group', objects: route([rule({ backendRefs: [{ kind: 'Pod', name: 'p', port: 80 }] })]), want: [{ field: 'spec.rules[0].backendRefs[0]' }] },
  { name: 'neighbour: explicit core group and Service kind', objects: route([rule({ backendRefs: [{ group: '', kind: 'Service', name: 'echo', port: 80 }, { group: 'core', kind: 'Service', name: 'echo', port: 80 }] })]), want: [] },
  // ---- queryParams
  { name: 'queryParams match (traditional router)', objects: route([{ matches: [match, { path: { type: 'Exact', value: '/q' }, queryParams: [{ name: 'v', value: '2' }] }], backendRefs: [backend] }]), want: [{ field: 'spec.rules[0].matches[1].queryParams', mentions: ['expressions router'] }] },
  { name: 'neighbour: header and method matches', objects: route([{ matches: [{ path: match.path, method: 'GET', headers: [{ name: 'x-v', value: '2' }] }], backendRefs: [backend] }]), want: [] },
  // ---- timeouts
  { name: 'different backendRequest timeouts', objects: route([rule({ timeouts: { backendRequest: '10s' } }), rule({ timeouts: { backendRequest: '20s' } })]), want: [{ field: 'spec.rules[1].timeouts.backendRequest', mentions: ['"10s"', '"20s"'] }] },
  { name: 'the same timeout written differently', objects: route([rule({ timeouts: { backendRequest: '10s' } }), rule({ timeouts: { backendRequest: '10000ms' } })]), want: [{ field: 'spec.rules[1].timeouts.backendRequest', mentions: ['as written'] }] },
  { name: 'a later rule without timeouts', objects: route([rule({ timeouts: { backendRequest: '10s' } }), rule()]), want: [{ field: 'spec.rules[1].timeouts', mentions: ['sets no timeouts'] }] },
  { name: 'a later rule with timeouts but no backendRequest (KIC\'s webhook crashes)', objects: route([rule({ timeouts: { backendRequest: '10s' } }), rule({ timeouts: { request: '30s' } })]), want: [{ field: 'spec.rules[1].timeouts', mentions: ['crashes'] }] },
  { name: 'neighbour: the same backendRequest everywhere', objects: route([rule({ timeouts: { backendRequest: '10s', request: '30s' } }), rule({ timeouts: { backendRequest: '10s' } })]), want: [] },
  { name: 'neighbour: an earlier rule without timeouts (KIC only checks the rules after the first timeout)', objects: route([rule(), rule({ timeouts: { backendRequest: '10s' } })]), want: [] },
  { name: 'neighbour: request timeouts only', objects: route([rule({ timeouts: { request: '10s' } }), rule({ timeouts: { request: '20s' } })]), want: [] },
  // ---- several findings, and classes
  {
    name: 'several problems, one finding each',
    objects: route([rule({ filters: [{ type: 'CORS' }], backendRefs: [{ kind: 'Pod', name: 'p', filters: [{ type: 'X' }] }] })]),
    want: [{ field: 'spec.rules[0].filters[0]' }, { field: 'spec.rules[0].backendRefs[0].filters' }, { field: 'spec.rules[0].backendRefs[0]' }],
  },
  { name: 'neighbour: an HTTPRoute of another controller is never judged', objects: route([rule({ filters: [{ type: 'CORS' }], timeouts: { backendRequest: '1s' } }), rule()], 'other'), want: [] },
  { name: 'neighbour: an HTTPRoute whose Gateway does not exist is not judged', objects: route([rule({ filters: [{ type: 'CORS' }] })], 'missing'), want: [] },
];

for (const c of cases) {
  test(`httproute features: ${c.name}`, () => {
    const findings = run(c.objects, HTTPROUTE_FEATURE_RULES);
    assert.deepEqual(findings.map((f) => f.field).sort(), c.want.map((w) => w.field).sort(), findings.map((f) => f.message).join('\n'));
    for (const f of findings) {
      assert.equal(f.rule, 'unsupported-httproute-feature');
      assert.equal(f.severity, 'deny');
      assert.ok(f.message.startsWith('HTTPRoute default/api '), f.message);
      assert.match(f.fix, /^[a-z].*\.$/, `a fix is a lower-case sentence: ${f.fix}`);
    }
    for (const w of c.want) {
      const f = findings.find((x) => x.field === w.field)!;
      for (const m of w.mentions ?? []) assert.ok(f.message.includes(m), `"${m}" not in: ${f.message}`);
    }
  });
}

test('httproute features: every fixture and example cluster manifest is clean', async () => {
  for (const set of await fixtureSets()) {
    assert.deepEqual(run(set.objects, HTTPROUTE_FEATURE_RULES).map((f) => f.message), [], set.name);
  }
});

for (const rule of HTTPROUTE_FEATURE_RULES) {
  test(`httproute features: ${rule.id} examples (bad finds it, good finds nothing)`, () => {
    assert.ok(rule.examples, 'the rule has examples');
    const bad = run(yamlObjects(rule.examples.bad), [rule]);
    assert.ok(bad.length > 0 && bad.every((f) => f.rule === rule.id), 'bad example yields the rule');
    assert.deepEqual(run(yamlObjects(rule.examples.good), HTTPROUTE_FEATURE_RULES).map((f) => f.message), []);
  });
}
