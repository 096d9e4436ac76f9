// HTTPRoute filters -> the plugins KIC generates for each Kong route (subtranslator/httproute.go,
// generatePluginsFromHTTPRouteFilters), table-driven over real objects parsed from YAML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpRouteRules, KONG_BASE, kongPlugin } from '../../src/rules/example-base.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG, type KicVersion } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { yamlObjects } from '../helpers.ts';

/** HTTPRoute `x` with these rules. */
const route = (...rules: string[]) => httpRouteRules('x', rules);
const BACKEND = 'backendRefs: [{name: echo, port: 1027}]';
const prefix = (path: string) => `{path: {type: PathPrefix, value: ${path}}}`;
/** One rule matching `path` with these filters. */
const rule = (filters: string, matches = `[${prefix('/old')}]`) => `{matches: ${matches}, filters: [${filters}], ${BACKEND}}`;

interface Case {
  name: string;
  yaml: string;
  kic?: KicVersion;
  /** `route plugin config <- filter fields`, in KIC's order. */
  plugins: string[];
  /** `route -> plugin object <- filter field` */
  extensionRefs?: string[];
}

const R0 = 'httproute.default.x.0.0';
const cases: Case[] = [
  {
    name: 'RequestHeaderModifier: set is replace + add, add is append, remove is remove',
    yaml: route(rule('{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-env, value: prod}], add: [{name: x-team, value: a}], remove: [x-debug]}}')),
    plugins: [`${R0} request-transformer {"replace":{"headers":["x-env:prod"]},"add":{"headers":["x-env:prod"]},"append":{"headers":["x-team:a"]},"remove":{"headers":["x-debug"]}} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'ResponseHeaderModifier -> response-transformer',
    yaml: route(rule('{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [server]}}')),
    plugins: [`${R0} response-transformer {"remove":{"headers":["server"]}} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'URLRewrite ReplaceFullPath -> replace.uri',
    yaml: route(rule('{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}')),
    plugins: [`${R0} request-transformer {"replace":{"uri":"/new"}} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'URLRewrite ReplacePrefixMatch: the replacement plus the capture of the rest',
    yaml: route(rule('{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2/}}}')),
    plugins: [`${R0} request-transformer {"replace":{"uri":"/v2$(uri_captures[1])"}} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'URLRewrite ReplacePrefixMatch "/" of the root path',
    yaml: route(rule('{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}', `[${prefix('/')}]`)),
    plugins: [`${R0} request-transformer {"replace":{"uri":"$(uri_captures[1] == nil and \\"/\\" or \\"/\\" .. uri_captures[1])"}} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'URLRewrite hostname and path: one request-transformer',
    yaml: route(rule('{type: URLRewrite, urlRewrite: {hostname: internal.example.com, path: {type: ReplaceFullPath, replaceFullPath: /new}}}')),
    plugins: [`${R0} request-transformer {"replace":{"headers":["host:internal.example.com"],"uri":"/new"},"add":{"headers":["host:internal.example.com"]}} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'URLRewrite without path and hostname: KIC fails the service, nothing is generated',
    yaml: route(rule('{type: URLRewrite, urlRewrite: {}}')),
    plugins: [],
  },
  {
    name: 'RequestRedirect (KIC 3.4+, Kong 3.9): the redirect plugin, ReplaceFullPath drops the incoming path',
    yaml: route(rule('{type: RequestRedirect, requestRedirect: {scheme: https, hostname: example.com, port: 8443, statusCode: 301, path: {type: ReplaceFullPath, replaceFullPath: /new}}}')),
    plugins: [`${R0} redirect {"status_code":301,"location":"https://example.com:8443/new","keep_incoming_path":false} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'RequestRedirect with defaults: 302 (the CRD default), keep the path',
    yaml: route(rule('{type: RequestRedirect, requestRedirect: {hostname: example.com}}')),
    plugins: [`${R0} redirect {"status_code":302,"location":"http://example.com","keep_incoming_path":true} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'RequestRedirect under KIC 3.3: request-termination plus a Location header, merged with ResponseHeaderModifier',
    kic: '3.3',
    yaml: route(rule('{type: RequestRedirect, requestRedirect: {statusCode: 301}}, {type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: x-a, value: b}]}}')),
    plugins: [
      `${R0} request-termination {"status_code":301} <- spec.rules[0].filters[0]`,
      `${R0} response-transformer {"add":{"headers":["Location: /old"]},"append":{"headers":["x-a:b"]}} <- spec.rules[0].filters[0],spec.rules[0].filters[1]`,
    ],
  },
  {
    name: 'RequestRedirect under KIC 3.3 with a hostname: port 80 unless given',
    kic: '3.3',
    yaml: route(rule('{type: RequestRedirect, requestRedirect: {hostname: example.com, statusCode: 302}}')),
    plugins: [`${R0} request-termination {"status_code":302} <- spec.rules[0].filters[0]`, `${R0} response-transformer {"add":{"headers":["Location: http://example.com:80/old"]}} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'several filters in one rule: the request-transformers are merged, the others stay apart',
    yaml: route(
      rule(
        '{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-env, value: prod}]}}, ' +
          '{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [server]}}, ' +
          '{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}',
      ),
    ),
    plugins: [
      `${R0} request-transformer {"replace":{"headers":["x-env:prod"],"uri":"/new"},"add":{"headers":["x-env:prod"]}} <- spec.rules[0].filters[0],spec.rules[0].filters[2]`,
      `${R0} response-transformer {"remove":{"headers":["server"]}} <- spec.rules[0].filters[1]`,
    ],
  },
  {
    name: 'filters in several rules: each rule\'s plugins on its own routes; a rule without filters gets none',
    yaml: route(
      rule('{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x-a, value: "1"}]}}', `[${prefix('/a')}]`),
      `{matches: [${prefix('/plain')}], ${BACKEND}}`,
      rule('{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x-c, value: "3"}]}}', `[${prefix('/c')}]`),
    ),
    plugins: [
      `${R0} request-transformer {"append":{"headers":["x-a:1"]}} <- spec.rules[0].filters[0]`,
      `httproute.default.x.2.0 request-transformer {"append":{"headers":["x-c:3"]}} <- spec.rules[2].filters[0]`,
    ],
  },
  {
    name: 'matches split into several Kong routes: the plugin on each',
    yaml: route(rule('{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [server]}}', `[${prefix('/a')}, {path: {type: Exact, value: /b}, method: GET}]`)),
    plugins: [`${R0} response-transformer {"remove":{"headers":["server"]}} <- spec.rules[0].filters[0]`, `httproute.default.x.0.1 response-transformer {"remove":{"headers":["server"]}} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'no matches written: the CRD default PathPrefix "/" match carries the plugins',
    yaml: route(`{filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}}], ${BACKEND}}`),
    plugins: [`${R0} request-transformer {"replace":{"uri":"/v2$(uri_captures[1] == nil and \\"\\" or \\"/\\" .. uri_captures[1])"}} <- spec.rules[0].filters[0]`],
  },
  {
    name: 'explicit empty matches: KIC builds the route without its filters\' plugins',
    yaml: route(rule('{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [server]}}', '[]')),
    plugins: [],
  },
  {
    name: 'an unsupported filter in the rule: KIC fails the service, nothing is generated for it',
    yaml: route(rule('{type: ResponseHeaderModifier, responseHeaderModifier: {remove: [server]}}, {type: CORS}')),
    plugins: [],
  },
  {
    name: 'KIC 3.1 is not modelled: nothing is generated',
    kic: '3.1',
    yaml: route(rule('{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}')),
    plugins: [],
  },
  {
    name: 'ExtensionRef: the KongPlugin is placed on the rule\'s routes, nothing generated',
    yaml: kongPlugin('rt', 'request-transformer') + route(rule('{type: ExtensionRef, extensionRef: {group: configuration.konghq.com, kind: KongPlugin, name: rt}}')),
    plugins: [],
    extensionRefs: [`${R0} -> KongPlugin default/rt <- spec.rules[0].filters[0]`],
  },
  {
    name: 'ExtensionRef naming a missing KongPlugin: placed, unresolved',
    yaml: route(rule('{type: ExtensionRef, extensionRef: {group: configuration.konghq.com, kind: KongPlugin, name: gone}}')),
    plugins: [],
    extensionRefs: [`${R0} -> (gone) <- spec.rules[0].filters[0]`],
  },
  {
    name: 'ExtensionRef to another kind: KIC fails the service, nothing at all',
    yaml: route(rule('{type: ExtensionRef, extensionRef: {group: example.com, kind: Thing, name: t}}, {type: ResponseHeaderModifier, responseHeaderModifier: {remove: [server]}}')),
    plugins: [],
    extensionRefs: [],
  },
];

for (const c of cases) {
  test(`filter plugins: ${c.name}`, () => {
    const objects = yamlObjects(KONG_BASE + c.yaml);
    const tr = new Translator(new Store(objects), { ...DEFAULT_TRANSLATE_CONFIG, kicVersion: c.kic ?? '3.5' });
    const httpRoute = objects.find((o) => o.kind === 'HTTPRoute')!;
    const { generated, extensionRefs } = tr.httpRouteFilterPlugins(httpRoute);
    assert.deepEqual(
      generated.map((p) => `${p.route} ${p.name} ${JSON.stringify(p.config)} <- ${p.filters.map((f) => f.field).join(',')}`),
      c.plugins,
    );
    assert.deepEqual(
      extensionRefs.map((e) => `${e.route} -> ${e.plugin ? `KongPlugin ${e.plugin.namespace}/${e.plugin.name}` : `(${e.ref})`} <- ${e.filter.field}`),
      c.extensionRefs ?? [],
    );
    for (const p of [...generated, ...extensionRefs]) assert.deepEqual(p.sources, [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'default', name: 'x' }]);
  });
}
