// duplicate-plugin-scope for the plugins KIC generates from HTTPRoute filters: each denied case next to its
// valid neighbour (the filter alone, the KongPlugin alone, a KongPlugin of another type, other scopes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consumer, httpRouteRules, KONG_BASE, kongPlugin } from '../../src/rules/example-base.ts';
import { duplicatePluginScope } from '../../src/rules/plugins.ts';
import type { KicVersion } from '../../src/translate/config.ts';
import { keyOf } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';
import { apply, messages, yamlObjects } from '../helpers.ts';
import { run } from './support.ts';

/** HTTPRoute `x` with `konghq.com/plugins: plugins` (if any) and these rules. */
const route = (plugins: string, ...rules: string[]) => httpRouteRules('x', rules, plugins);
const rule = (filters: string, matches = '[{path: {type: PathPrefix, value: /old}}]') => `{matches: ${matches}, filters: [${filters}], backendRefs: [{name: echo, port: 1027}]}`;

const REWRITE = '{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}';
const REQUEST_HEADERS = '{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-env, value: prod}]}}';
const RESPONSE_HEADERS = '{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [server]}}';
const REDIRECT = '{type: RequestRedirect, requestRedirect: {hostname: example.com, statusCode: 301}}';
const extensionRef = (name: string) => `{type: ExtensionRef, extensionRef: {group: configuration.konghq.com, kind: KongPlugin, name: ${name}}}`;
const RT = kongPlugin('rt', 'request-transformer', 'config: {add: {headers: ["x-team:a"]}}');

interface Case {
  name: string;
  yaml: string;
  kic?: KicVersion;
  /** Per finding: its field and words its message must contain; [] for a valid neighbour. */
  want: { field: string; mentions: string[] }[];
}

const cases: Case[] = [
  // ---- URLRewrite
  {
    name: 'URLRewrite + a request-transformer KongPlugin (the issue 12 miss)',
    yaml: RT + route('rt', rule(REWRITE)),
    want: [
      {
        field: 'spec.rules[0].filters[0]',
        mentions: [
          'HTTPRoute default/x would carry 2 "request-transformer" plugins on the same scope (route) in Kong route httproute.default.x.0.0',
          'the URLRewrite filter of HTTPRoute default/x rule 0 (KIC generates a request-transformer for it)',
          'KongPlugin default/rt (konghq.com/plugins)',
          'Kong rejects a configuration with two plugins of one type on one scope',
          'Fix: move the rewrite of spec.rules[0].filters[0] into KongPlugin default/rt',
          'remove "rt" from the konghq.com/plugins of x',
        ],
      },
    ],
  },
  { name: 'neighbour: URLRewrite alone', yaml: RT + route('', rule(REWRITE)), want: [] },
  { name: 'neighbour: the request-transformer KongPlugin alone', yaml: RT + route('rt', `{matches: [{path: {type: PathPrefix, value: /old}}], backendRefs: [{name: echo, port: 1027}]}`), want: [] },
  { name: 'neighbour: URLRewrite + a KongPlugin of another type', yaml: kongPlugin('rl', 'rate-limiting', 'config: {minute: 5}') + route('rl', rule(REWRITE)), want: [] },
  // ---- header modifiers
  {
    name: 'RequestHeaderModifier + a request-transformer KongPlugin',
    yaml: RT + route('rt', rule(REQUEST_HEADERS)),
    want: [{ field: 'spec.rules[0].filters[0]', mentions: ['the RequestHeaderModifier filter', 'move the header changes of spec.rules[0].filters[0] into KongPlugin default/rt'] }],
  },
  {
    name: 'ResponseHeaderModifier + a response-transformer KongPlugin',
    yaml: kongPlugin('resp', 'response-transformer', 'config: {remove: {headers: [x-powered-by]}}') + route('resp', rule(RESPONSE_HEADERS)),
    want: [{ field: 'spec.rules[0].filters[0]', mentions: ['2 "response-transformer" plugins', 'KongPlugin default/resp'] }],
  },
  { name: 'neighbour: ResponseHeaderModifier + a request-transformer KongPlugin', yaml: RT + route('rt', rule(RESPONSE_HEADERS)), want: [] },
  // ---- merged filters
  {
    name: 'RequestHeaderModifier and URLRewrite, merged by KIC, + a request-transformer KongPlugin: one finding',
    yaml: RT + route('rt', rule(`${REQUEST_HEADERS}, ${REWRITE}`)),
    want: [{ field: 'spec.rules[0].filters[0]', mentions: ['the RequestHeaderModifier and URLRewrite filters of HTTPRoute default/x rule 0 (KIC merges them into one request-transformer)', 'header changes and rewrite'] }],
  },
  { name: 'neighbour: RequestHeaderModifier and URLRewrite alone (KIC merges them)', yaml: route('', rule(`${REQUEST_HEADERS}, ${REWRITE}`)), want: [] },
  // ---- several routes and rules
  {
    name: 'a rule with two matches: one finding naming both Kong routes',
    yaml: RT + route('rt', rule(REWRITE, '[{path: {type: PathPrefix, value: /a}}, {path: {type: Exact, value: /b}, method: GET}]')),
    want: [{ field: 'spec.rules[0].filters[0]', mentions: ['Kong routes httproute.default.x.0.0 and httproute.default.x.0.1'] }],
  },
  {
    name: 'filters in two rules: one finding per rule',
    yaml: RT + route('rt', rule(REWRITE), rule(REQUEST_HEADERS, '[{path: {type: PathPrefix, value: /other}}]')),
    want: [
      { field: 'spec.rules[0].filters[0]', mentions: ['rule 0', 'httproute.default.x.0.0'] },
      { field: 'spec.rules[1].filters[0]', mentions: ['rule 1', 'httproute.default.x.1.0'] },
    ],
  },
  { name: 'neighbour: explicit empty matches (KIC ignores the rule\'s filters)', yaml: RT + route('rt', rule(REWRITE, '[]')), want: [] },
  // ---- RequestRedirect
  {
    name: 'RequestRedirect + a redirect KongPlugin (KIC 3.5 generates redirect)',
    yaml: kongPlugin('moved', 'redirect', 'config: {location: "https://example.org"}') + route('moved', rule(REDIRECT)),
    want: [{ field: 'spec.rules[0].filters[0]', mentions: ['2 "redirect" plugins', 'the RequestRedirect filter', 'move the redirect'] }],
  },
  { name: 'neighbour: RequestRedirect + a request-termination KongPlugin under KIC 3.5', yaml: kongPlugin('stop', 'request-termination') + route('stop', rule(REDIRECT)), want: [] },
  {
    name: 'RequestRedirect + a request-termination KongPlugin under KIC 3.3',
    kic: '3.3',
    yaml: kongPlugin('stop', 'request-termination') + route('stop', rule(REDIRECT)),
    want: [{ field: 'spec.rules[0].filters[0]', mentions: ['2 "request-termination" plugins', 'KIC generates a request-termination for it'] }],
  },
  { name: 'neighbour: RequestRedirect + a redirect KongPlugin under KIC 3.3', kic: '3.3', yaml: kongPlugin('moved', 'redirect', 'config: {location: "https://example.org"}') + route('moved', rule(REDIRECT)), want: [] },
  // ---- ExtensionRef
  {
    name: 'URLRewrite + an ExtensionRef to a request-transformer KongPlugin',
    yaml: RT + route('', rule(`${REWRITE}, ${extensionRef('rt')}`)),
    want: [{ field: 'spec.rules[0].filters[0]', mentions: ['KongPlugin default/rt (named by the ExtensionRef filter at spec.rules[0].filters[1])', 'remove the ExtensionRef filter at spec.rules[0].filters[1]'] }],
  },
  {
    name: 'an ExtensionRef KongPlugin + a konghq.com/plugins KongPlugin of the same type',
    yaml: kongPlugin('rl-a', 'rate-limiting', 'config: {minute: 5}') + kongPlugin('rl-b', 'rate-limiting', 'config: {minute: 9}') + route('rl-a', rule(extensionRef('rl-b'))),
    want: [{ field: 'spec.rules[0].filters[0]', mentions: ['2 "rate-limiting" plugins', 'KongPlugin default/rl-a (konghq.com/plugins)', 'KongPlugin default/rl-b (named by the ExtensionRef filter', 'keep one of them'] }],
  },
  { name: 'neighbour: URLRewrite in rule 0, the ExtensionRef request-transformer in rule 1 (other routes)', yaml: RT + route('', rule(REWRITE), rule(extensionRef('rt'), '[{path: {type: PathPrefix, value: /other}}]')), want: [] },
  { name: 'neighbour: the same KongPlugin named by the annotation and an ExtensionRef', yaml: RT + route('rt', rule(extensionRef('rt'))), want: [] },
  // ---- other scopes
  {
    name: 'neighbour: the request-transformer KongPlugin is also a consumer\'s (KIC places it per consumer x route)',
    yaml: RT + route('rt', rule(REWRITE)) + consumer('bob', 'username: bob', 'konghq.com/plugins: rt'),
    want: [],
  },
  {
    name: 'neighbour: an ExtensionRef KongPlugin a consumer also references is not judged',
    yaml: RT + route('', rule(`${REWRITE}, ${extensionRef('rt')}`)) + consumer('bob', 'username: bob', 'konghq.com/plugins: rt'),
    want: [],
  },
  {
    name: 'neighbour: the request-transformer KongPlugin on the Service (service scope; the route\'s wins)',
    yaml: RT + route('', rule(REWRITE)) + '---\napiVersion: v1\nkind: Service\nmetadata: {name: echo, namespace: default, annotations: {konghq.com/plugins: rt}}\nspec: {ports: [{name: http, port: 1027}]}\n',
    want: [],
  },
  { name: 'neighbour: a rule with an unsupported filter (KIC fails it; unsupported-httproute-feature says so)', yaml: RT + route('rt', rule(`${REWRITE}, {type: CORS}`)), want: [] },
];

for (const c of cases) {
  test(`duplicate-plugin-scope, filters: ${c.name}`, () => {
    // A later document with the same key replaces KONG_BASE's (the Store upserts).
    const findings = run(yamlObjects(KONG_BASE + c.yaml), [duplicatePluginScope], c.kic);
    assert.deepEqual(
      findings.map((f) => f.field),
      c.want.map((w) => w.field),
      findings.map((f) => f.message).join('\n'),
    );
    c.want.forEach((w, i) => {
      const f = findings[i]!;
      assert.equal(f.severity, 'deny');
      assert.equal(`${f.object.kind} ${f.object.name}`, 'HTTPRoute x');
      for (const m of w.mentions) assert.ok(f.message.includes(m), `"${m}" missing from: ${f.message}`);
    });
  });
}

test('duplicate-plugin-scope, filters: adding a URLRewrite to a route with a request-transformer KongPlugin is denied, naming what the fallback excludes', () => {
  const store = new Store(yamlObjects(KONG_BASE + RT + route('rt', rule(RESPONSE_HEADERS))));
  const [changed] = yamlObjects(route('rt', rule(REWRITE)));
  const verdict = apply(store, changed!);
  assert.equal(verdict.allowed, false);
  const text = messages(verdict);
  assert.match(text, /duplicate-plugin-scope: HTTPRoute default\/x would carry 2 "request-transformer" plugins/);
  assert.match(text, /KIC's fallback would exclude HTTPRoute default\/x/);
  // The route's judgement read the KongPlugin: turning it into a response-transformer, which now clashes with the
  // route's ResponseHeaderModifier, is judged on the HTTPRoute and denied.
  const retyped = apply(store, { ...store.get(keyOf(yamlObjects(RT)[0]!))!, plugin: 'response-transformer' });
  assert.equal(retyped.allowed, false);
  assert.match(messages(retyped), /HTTPRoute default\/x would carry 2 "response-transformer" plugins .* the ResponseHeaderModifier filter/);
});
