import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe as describeRef, type K8sObject } from '../../src/model/object.ts';
import { HTTPROUTE_PATH_RULES, INGRESS_PATH_RULES, hostCovers } from '../../src/rules/ingress-paths.ts';
import type { TranslateConfig } from '../../src/translate/config.ts';
import { yamlObjects } from '../helpers.ts';
import { fixtureSets, httpRoute, ingress, run, world, type IngressOpts } from './support.ts';

const withPath = (path: string, pathType: string, opts: IngressOpts = {}): K8sObject[] => [
  ...world(),
  ingress('web', { ...opts, paths: [{ path, pathType, host: 'app.example.com' }] }),
];
/** ImplementationSpecific paths of one Ingress, on host a.example.com. */
const withPaths = (paths: string[]): K8sObject[] => [...world(), ingress('web', { paths: paths.map((path) => ({ path, pathType: 'ImplementationSpecific', host: 'a.example.com' })) })];
const withHost = (host: string): K8sObject[] => [...world(), ingress('web', { paths: [{ path: '/', pathType: 'Prefix', host }] })];

interface Case {
  name: string;
  /** Translate configuration overrides (kongRouterFlavor). */
  config?: Partial<TranslateConfig>;
  objects: K8sObject[];
  /** Findings as `rule field`, plus words the message must contain. */
  want: { rule: string; field: string; mentions?: string[] }[];
}

const PATH0 = 'spec.rules[0].http.paths[0].path';
const badPath = (mentions?: string[]) => ({ rule: 'invalid-ingress-path', field: PATH0, ...(mentions ? { mentions } : {}) });
const badHost = (mentions?: string[]) => ({ rule: 'invalid-ingress-path', field: 'spec.rules[0].host', ...(mentions ? { mentions } : {}) });

const cases: Case[] = [
  // ---- Exact and Prefix
  { name: 'Prefix "/api/*" (not a wildcard)', objects: withPath('/api/*', 'Prefix'), want: [badPath(['wildcard', '"/api"'])] },
  // KIC sends Prefix "/ams-ui/.*" as "/ams-ui/.*/" and the unescaped regex "~/ams-ui/.*$", which serves every path below it
  // (KIC #1440, reported working): neither "never matches" nor "the literal path gets a 404" is true.
  { name: 'neighbour: Prefix "/ams-ui/.*" (its regex half serves everything below, KIC #1440)', objects: withPath('/ams-ui/.*', 'Prefix'), want: [] },
  { name: 'neighbour: Exact "/files/.*" (its regex serves everything below)', objects: withPath('/files/.*', 'Exact'), want: [] },
  { name: 'Prefix "/ams-ui/.*" under expressions (matched as a string prefix: "/ams-ui/x" gets a 404)', config: { kongRouterFlavor: 'expressions' }, objects: withPath('/ams-ui/.*', 'Prefix'), want: [badPath(['wildcard'])] },
  { name: 'Prefix "/api*" (its regex "~/api*$" serves only "/ap", "/api", ...)', objects: withPath('/api*', 'Prefix'), want: [badPath(['wildcard'])] },
  { name: 'Prefix with a regex prefix', objects: withPath('/~/api/v\\d+', 'Prefix'), want: [badPath(['ImplementationSpecific'])] },
  { name: 'Exact with an unbalanced parenthesis: Kong gets a regex that does not compile', objects: withPath('/wiki/Foo_(bar', 'Exact'), want: [badPath(['~/wiki/Foo_(bar$', "Kong's PCRE2 cannot compile it (missing closing parenthesis)", "invalid regex: '/wiki/Foo_(bar$'"])] },
  { name: 'Prefix with a balanced group: the regex matches other paths', objects: withPath('/wiki/Foo_(bar)', 'Prefix'), want: [badPath(['matches other requests'])] },
  { name: 'Prefix with "//"', objects: withPath('/api//v1', 'Prefix'), want: [badPath(['empty segment'])] },
  { name: 'Exact with a dot segment', objects: withPath('/api/../admin', 'Exact'), want: [badPath(['".."'])] },
  { name: 'Prefix not absolute', objects: withPath('api', 'Prefix'), want: [badPath(['absolute'])] },
  { name: 'Prefix with a broken percent-encoding', objects: withPath('/a%zz', 'Prefix'), want: [badPath(['%'])] },
  { name: 'neighbour: Prefix "/api/v1.0" and Exact "/c++" (dots and pluses are plain path characters)', objects: [...withPath('/api/v1.0', 'Prefix'), ingress('web2', { paths: [{ path: '/c++', pathType: 'Exact', host: 'b.example.com' }] })], want: [] },
  { name: 'neighbour: Prefix "/" and "/api/"', objects: [...withPath('/', 'Prefix'), ingress('web2', { paths: [{ path: '/api/', pathType: 'Prefix' }] })], want: [] },
  { name: 'neighbour: Prefix with percent-encoding', objects: withPath('/a%20b', 'Prefix'), want: [] },
  // ---- ImplementationSpecific
  { name: 'regex that does not compile', objects: withPath('/~/api/v(1|2', 'ImplementationSpecific'), want: [badPath(["Kong's PCRE2 cannot compile", 'missing closing parenthesis', 'rejects the configuration'])] },
  { name: 'regex with an unterminated class', objects: withPath('/~/api/[a-z', 'ImplementationSpecific'), want: [badPath(['missing terminating ] for character class'])] },
  { name: 'regex with numbers out of order', objects: withPath('/~/a{3,1}', 'ImplementationSpecific'), want: [badPath(['numbers out of order in {} quantifier'])] },
  // PCRE2 syntax, not JavaScript's: escapes PCRE2 refuses (JavaScript's RegExp takes them as the letter)
  { name: 'regex with \\j', objects: withPath('/~/api/\\j+', 'ImplementationSpecific'), want: [badPath(['unrecognized character follows \\'])] },
  { name: 'regex with \\u0041 (PCRE2 does not support \\u)', objects: withPath('/~/api/\\u0041', 'ImplementationSpecific'), want: [badPath(['PCRE2 does not support'])] },
  { name: 'regex with [\\w-.]', objects: withPath('/~/files/[\\w-.]+', 'ImplementationSpecific'), want: [badPath(['invalid range in character class'])] },
  // traditional_compatible (Kong's default): the Rust regex engine of Kong's router must compile it too
  { name: 'look-ahead under traditional_compatible (KIC #5497)', objects: withPath('/~/test-api(?![^/])', 'ImplementationSpecific'), want: [badPath(['Rust regex engine', 'look-around', 'Router Expression failed validation', 'kongRouterFlavor: traditional'])] },
  { name: 'atomic group under traditional_compatible', objects: withPath('/~/(?>x|y)z', 'ImplementationSpecific'), want: [badPath(['Rust regex engine'])] },
  { name: '\\Q..\\E under traditional_compatible', objects: withPath('/~/\\Q(\\E', 'ImplementationSpecific'), want: [badPath(['unrecognized escape sequence'])] },
  { name: 'look-ahead under expressions', config: { kongRouterFlavor: 'expressions' }, objects: withPath('/~/test-api(?![^/])', 'ImplementationSpecific'), want: [badPath(['expressions router', 'look-around'])] },
  {
    name: 'neighbour: PCRE2-only syntax under router_flavor traditional',
    config: { kongRouterFlavor: 'traditional' },
    objects: withPaths(['/~/test-api(?![^/])', '/~/(?>x|y)z', '/~/\\Q(\\E', '/~/(a)\\1']),
    want: [],
  },
  { name: 'neighbour: \\u0041 under expressions (only Rust compiles it)', config: { kongRouterFlavor: 'expressions' }, objects: withPath('/~/api/\\u0041', 'ImplementationSpecific'), want: [] },
  { name: 'neighbour: Exact with regex characters under expressions (matched as a string)', config: { kongRouterFlavor: 'expressions' }, objects: withPath('/wiki/Foo_(bar', 'Exact'), want: [] },
  { name: 'regex without "/" after the prefix', objects: withPath('/~api', 'ImplementationSpecific'), want: [badPath(['does not start with "/"'])] },
  { name: 'regex-looking path without the prefix', objects: withPath('/users/[0-9]+', 'ImplementationSpecific'), want: [badPath(['lacks', '"/~/users/[0-9]+"'])] },
  { name: 'ImplementationSpecific trailing "*" (GCE style)', objects: withPath('/api/*', 'ImplementationSpecific'), want: [badPath(['wildcard'])] },
  { name: 'ImplementationSpecific "//"', objects: withPath('/a//b', 'ImplementationSpecific'), want: [badPath(['empty segment'])] },
  { name: 'custom regex prefix: the default one is then a plain path', objects: withPath('/~/users/\\d+', 'ImplementationSpecific', { annotations: { 'konghq.com/regex-prefix': '##' } }), want: [badPath(['lacks KIC\'s regex prefix "##"'])] },
  {
    name: 'neighbour: valid regexes, including syntax JavaScript refuses and both Kong engines take',
    objects: withPaths(['/~/api/v(1|2)/users/\\d+$', '/~/(?i)admin', '/~/a++b', '/~/(?P<id>\\d+)', '/~/(?<id>\\d+)', '/~/[[:alpha:]]+', '/~/']),
    want: [],
  },
  { name: 'neighbour: custom regex prefix', objects: withPath('##/users/\\d+', 'ImplementationSpecific', { annotations: { 'konghq.com/regex-prefix': '##' } }), want: [] },
  { name: 'neighbour: plain ImplementationSpecific paths, and an empty one', objects: [...withPath('/api/v1', 'ImplementationSpecific'), ingress('web2', { paths: [{ path: '', pathType: 'ImplementationSpecific', host: 'b.example.com' }] })], want: [] },
  // ---- hosts
  { name: 'host with a wildcard in the middle', objects: withHost('api.*.example.com'), want: [badHost(['leading "*."'])] },
  { name: 'host with upper case', objects: withHost('App.example.com'), want: [badHost(['lower case'])] },
  { name: 'host that is an IP address', objects: withHost('10.0.0.1'), want: [badHost(['IP address', 'Kubernetes refuses'])] },
  { name: 'host that is an IP address with leading zeros (Go parses it)', objects: withHost('010.0.0.1'), want: [badHost(['IP address'])] },
  { name: 'host with an underscore', objects: withHost('my_app.example.com'), want: [badHost(['"my_app"'])] },
  { name: 'neighbour: a leading wildcard host', objects: withHost('*.example.com'), want: [] },
  {
    name: 'TLS host that is not a DNS name',
    objects: [...world(), ingress('web', { tls: [{ hosts: ['app.example.com', 'App.example.com'], secretName: 'app-tls' }] })],
    want: [{ rule: 'invalid-ingress-path', field: 'spec.tls[0].hosts[1]', mentions: ['lower case', 'Kubernetes refuses such a TLS host'] }],
  },
  // Go's net.ParseIP refuses 999, so Kubernetes takes the host; Kong refuses it as a route host (kong-entity-invalid).
  { name: 'neighbour: a rule host of digits and dots that is no IP address', objects: withHost('999.1.1.1'), want: [] },
  // Kubernetes checks TLS hosts only as DNS-1123 subdomains: an IP address passes, and Kong refuses the SNI (kong-entity-invalid).
  { name: 'neighbour: a TLS host that is an IP address', objects: [...world(), ingress('web', { tls: [{ hosts: ['10.0.0.1'], secretName: 'app-tls' }] })], want: [] },
  // ---- TLS hosts without a route
  {
    name: 'TLS host no rule serves',
    objects: [...world(), ingress('web', { tls: [{ hosts: ['api.example.com'], secretName: 'app-tls' }] })],
    want: [{ rule: 'tls-host-not-routed', field: 'spec.tls[0].hosts[0]', mentions: ['"api.example.com"', '"app.example.com"', '404'] }],
  },
  { name: 'neighbour: TLS host served by the Ingress itself', objects: [...world(), ingress('web', { tls: [{ hosts: ['app.example.com'] }] })], want: [] },
  { name: 'neighbour: TLS host under a wildcard rule', objects: [...world(), ingress('web', { paths: [{ path: '/', pathType: 'Prefix', host: '*.example.com' }], tls: [{ hosts: ['api.example.com'] }] })], want: [] },
  { name: 'neighbour: wildcard TLS host with a concrete rule under it', objects: [...world(), ingress('web', { tls: [{ hosts: ['*.example.com'] }] })], want: [] },
  { name: 'neighbour: a hostless rule serves every TLS host', objects: [...world(), ingress('web', { paths: [{ path: '/', pathType: 'Prefix' }], tls: [{ hosts: ['api.example.com'] }] })], want: [] },
  {
    name: 'neighbour: TLS host routed by another Ingress of the class',
    objects: [...world(), ingress('certs', { tls: [{ hosts: ['api.example.com'] }] }), ingress('api', { paths: [{ path: '/', pathType: 'Prefix', host: 'api.example.com' }] })],
    want: [],
  },
  {
    name: 'neighbour: TLS host routed by a managed HTTPRoute',
    objects: [...world(), ingress('certs', { tls: [{ hosts: ['api.example.com'] }] }), httpRoute('api', { hostnames: ['api.example.com'] })],
    want: [],
  },
  {
    name: 'TLS host routed only by an nginx Ingress still warns',
    objects: [...world(), ingress('certs', { tls: [{ hosts: ['api.example.com'] }] }), ingress('api', { className: 'nginx', paths: [{ path: '/', pathType: 'Prefix', host: 'api.example.com' }] })],
    want: [{ rule: 'tls-host-not-routed', field: 'spec.tls[0].hosts[0]' }],
  },
  // ---- classes
  {
    name: 'neighbour: an nginx Ingress is never judged',
    objects: [...world(), ingress('web', { className: 'nginx', paths: [{ path: '/api/*', pathType: 'Prefix', host: 'Bad_Host' }], tls: [{ hosts: ['other.example.com'] }] })],
    want: [],
  },
];

for (const c of cases) {
  test(`ingress paths: ${c.name}`, () => {
    const findings = run(c.objects, INGRESS_PATH_RULES, c.config);
    const got = findings.map((f) => `${f.rule} ${f.field}`).sort();
    const want = c.want.map((w) => `${w.rule} ${w.field}`).sort();
    assert.deepEqual(got, want, findings.map((f) => f.message).join('\n'));
    for (const w of c.want) {
      const f = findings.find((x) => x.rule === w.rule && x.field === w.field)!;
      assert.ok(describeRef(f.object).startsWith('Ingress default/'));
      for (const m of w.mentions ?? []) assert.ok(f.message.includes(m), `"${m}" not in: ${f.message}`);
      assert.match(f.fix, /^[a-z"].*[.)]$/, `a fix is a lower-case sentence: ${f.fix}`);
    }
  });
}

test('ingress paths: severities', () => {
  const findings = run([...world(), ingress('web', { paths: [{ path: '/api/*', pathType: 'Prefix', host: 'app.example.com' }], tls: [{ hosts: ['x.example.com'] }] })], INGRESS_PATH_RULES);
  assert.deepEqual(findings.map((f) => [f.rule, f.severity]).sort(), [['invalid-ingress-path', 'deny'], ['tls-host-not-routed', 'warn']]);
});


test('ingress paths: hostCovers', () => {
  assert.ok(hostCovers('', 'a.example.com'));
  assert.ok(hostCovers('*.example.com', 'a.example.com'));
  assert.ok(hostCovers('a.example.com', '*.example.com'));
  assert.ok(hostCovers('A.example.com', 'a.example.com'));
  assert.ok(!hostCovers('*.example.com', 'example.com'));
  assert.ok(!hostCovers('b.example.com', 'a.example.com'));
});

test('ingress paths: every fixture and example cluster manifest is clean', async () => {
  for (const set of await fixtureSets()) {
    assert.deepEqual(run(set.objects, INGRESS_PATH_RULES).map((f) => f.message), [], set.name);
  }
});

for (const rule of INGRESS_PATH_RULES) {
  test(`ingress paths: ${rule.id} examples (bad finds it, good finds nothing)`, () => {
    assert.ok(rule.examples, 'the rule has examples');
    const bad = run(yamlObjects(rule.examples.bad), [rule]);
    assert.ok(bad.length > 0 && bad.every((f) => f.rule === rule.id), 'bad example yields the rule');
    assert.deepEqual(run(yamlObjects(rule.examples.good), INGRESS_PATH_RULES).map((f) => f.message), []);
  });
}

// ---------------------------------------------------------------- HTTPRoute paths (invalid-httproute-path)

const routeWith = (type: string, value: string, opts: { gateway?: string } = {}): K8sObject[] => [
  ...world(),
  httpRoute('api', { ...opts, rules: [{ matches: [{ path: { type, value } }], backendRefs: [{ name: 'echo', port: 80 }] }] }),
];
const ROUTE_PATH = 'spec.rules[0].matches[0].path.value';
const ROUTE_HEADER = 'spec.rules[0].matches[0].headers[0].value';
const withHeader = (value: string): K8sObject[] => [
  ...world(),
  httpRoute('api', { rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'RegularExpression', name: 'x-version', value }] }], backendRefs: [{ name: 'echo', port: 80 }] }] }),
];

const routeCases: { name: string; config?: Partial<TranslateConfig>; objects: K8sObject[]; want: string[]; field?: string }[] = [
  // RegularExpression: KIC sends "~<value>"
  { name: 'RegularExpression with \\j (JavaScript takes it, PCRE2 does not)', objects: routeWith('RegularExpression', '/api/\\j+'), want: ['reaches Kong as the regex path "~/api/\\j+"', "Kong's PCRE2 cannot compile it (unrecognized character follows \\)", "invalid regex: '/api/\\j+'"] },
  { name: 'RegularExpression with an unbalanced parenthesis', objects: routeWith('RegularExpression', '/api/(v1|v2'), want: ['missing closing parenthesis', 'this HTTPRoute is dropped'] },
  { name: 'RegularExpression with look-ahead under traditional_compatible (KIC #5497)', objects: routeWith('RegularExpression', '/test-api(?![^/])'), want: ['Rust regex engine', 'look-around', 'Router Expression failed validation'] },
  { name: 'RegularExpression with a back reference under traditional_compatible', objects: routeWith('RegularExpression', '/(a)/\\1'), want: ['backreferences are not supported'] },
  { name: 'RegularExpression starting with "^": Kong refuses a regex path not starting with "/"', objects: routeWith('RegularExpression', '^/api/v[0-9]+'), want: ['should start with: / (fixed path) or ~/ (regex path)', 'drop a leading "^"'] },
  { name: 'RegularExpression ".*"', objects: routeWith('RegularExpression', '.*'), want: ['should start with'] },
  { name: 'RegularExpression with "//"', objects: routeWith('RegularExpression', '/a//b'), want: ['must not have empty segments'] },
  // Exact and PathPrefix: KIC sends "~<value>$", unescaped
  { name: 'PathPrefix "/v1/**": the regex "~/v1/**$" does not compile', objects: routeWith('PathPrefix', '/v1/**'), want: ['"~/v1/**$"', 'quantifier does not follow a repeatable item'] },
  { name: 'Exact with an unbalanced parenthesis', objects: routeWith('Exact', '/wiki/Foo_(bar'), want: ['"~/wiki/Foo_(bar$"', 'missing closing parenthesis'] },
  // expressions: KIC writes http.path ~ "^<value>", Rust only; Exact and PathPrefix are strings
  { name: 'RegularExpression with look-ahead under expressions', config: { kongRouterFlavor: 'expressions' }, objects: routeWith('RegularExpression', '/test-api(?![^/])'), want: ['http.path ~ "^/test-api(?![^/])"', "expressions router", 'look-around'] },
  // RegularExpression header matches: KIC sends "~*<value>", compiled by the router's Rust regex (compatible: lower-cased)
  { name: 'header regex with look-ahead under traditional_compatible', field: ROUTE_HEADER, objects: withHeader('v(?!1)'), want: ['RegularExpression header match', 'lower-cases', 'look-around'] },
  { name: 'header regex with look-ahead under expressions', field: ROUTE_HEADER, config: { kongRouterFlavor: 'expressions' }, objects: withHeader('v(?!1)'), want: ['look-around'] },
  { name: 'neighbour: header regex with look-ahead under router_flavor traditional (compiled by the router, not validated)', config: { kongRouterFlavor: 'traditional' }, objects: withHeader('v(?!1)'), want: [] },
  { name: 'neighbour: header regex \\D+ (lower-cased to \\d+: still compiles)', objects: withHeader('\\D+'), want: [] },
  { name: 'header regex [Z-a]: lower-cased by Kong to [z-a], a range out of order', field: ROUTE_HEADER, objects: withHeader('[Z-a]'), want: ['invalid character class range'] },
  { name: 'neighbour: header regex [Z-a] under expressions (not lower-cased)', config: { kongRouterFlavor: 'expressions' }, objects: withHeader('[Z-a]'), want: [] },
  // neighbours
  { name: 'neighbour: RegularExpression with PCRE2 and Rust syntax JavaScript refuses', objects: routeWith('RegularExpression', '/(?i)api/(?P<v>v[0-9]+)/[[:alnum:]]+'), want: [] },
  { name: 'neighbour: RegularExpression with (?<name>...) (Kong rewrites it (?P<name>...) for Rust)', objects: routeWith('RegularExpression', '/users/(?<id>[0-9]+)'), want: [] },
  { name: 'neighbour: RegularExpression with look-ahead under router_flavor traditional', config: { kongRouterFlavor: 'traditional' }, objects: routeWith('RegularExpression', '/test-api(?![^/])'), want: [] },
  { name: 'neighbour: RegularExpression "^/api" under expressions (KIC keeps the "^")', config: { kongRouterFlavor: 'expressions' }, objects: routeWith('RegularExpression', '^/api/v[0-9]+'), want: [] },
  { name: 'neighbour: Exact "/wiki/Foo_(bar" under expressions (matched as a string)', config: { kongRouterFlavor: 'expressions' }, objects: routeWith('Exact', '/wiki/Foo_(bar'), want: [] },
  { name: 'neighbour: PathPrefix "/c++" ("~/c++$" compiles in both engines)', objects: routeWith('PathPrefix', '/c++'), want: [] },
  { name: 'neighbour: a broken regex on a Gateway of another controller', objects: routeWith('RegularExpression', '/api/\\j+', { gateway: 'other' }), want: [] },
];

for (const c of routeCases) {
  test(`httproute paths: ${c.name}`, () => {
    const findings = run(c.objects, HTTPROUTE_PATH_RULES, c.config);
    assert.deepEqual(findings.map((f) => `${f.rule} ${describeRef(f.object)} ${f.field}`), c.want.length ? [`invalid-httproute-path HTTPRoute default/api ${c.field ?? ROUTE_PATH}`] : [], findings.map((f) => f.message).join('\n'));
    for (const m of c.want) assert.ok(findings[0]!.message.includes(m) || findings[0]!.fix.includes(m), `"${m}" not in: ${findings[0]!.message} Fix: ${findings[0]!.fix}`);
    for (const f of findings) assert.equal(f.severity, 'deny');
  });
}

test('httproute paths: the same regex checker judges Ingress and HTTPRoute paths', () => {
  const ingressFinding = run(withPath('/~/api/\\j+', 'ImplementationSpecific'), INGRESS_PATH_RULES)[0]!;
  const routeFinding = run(routeWith('RegularExpression', '/api/\\j+'), HTTPROUTE_PATH_RULES)[0]!;
  const kongSays = (m: string): string => m.slice(m.indexOf('Kong says:'), m.indexOf('". ') + 1);
  assert.equal(kongSays(ingressFinding.message), kongSays(routeFinding.message));
});

test('httproute paths: invalid-httproute-path examples (bad finds it, good finds nothing)', () => {
  const rule = HTTPROUTE_PATH_RULES[0]!;
  assert.ok(run(yamlObjects(rule.examples!.bad), [rule]).length > 0);
  assert.deepEqual(run(yamlObjects(rule.examples!.good), HTTPROUTE_PATH_RULES).map((f) => f.message), []);
});
