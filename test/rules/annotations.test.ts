import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe as describeRef, type K8sObject } from '../../src/model/object.ts';
import { ANNOTATION_RULES } from '../../src/rules/annotations.ts';
import type { KicVersion } from '../../src/translate/config.ts';
import { yamlObjects } from '../helpers.ts';
import { fixtureSets, httpRoute, ingress, run, service, world } from './support.ts';

const onIngress = (annotations: Record<string, string>, className = 'kong'): K8sObject[] => [...world(), ingress('web', { annotations, className })];
const onService = (annotations: Record<string, string>): K8sObject[] => [...world().filter((o) => o.kind !== 'Service'), service('echo', annotations), ingress('web')];
const onRoute = (annotations: Record<string, string>, gateway = 'kong'): K8sObject[] => [...world(), httpRoute('api', { annotations, gateway })];

interface Case {
  name: string;
  /** The KIC release judged by (default 3.5). */
  kic?: KicVersion;
  /** The Kong edition judged by (default oss). */
  edition?: 'oss' | 'enterprise';
  objects: K8sObject[];
  /** Findings as `rule on-object key`, plus words the message must contain. */
  want: { rule: string; on: string; key: string; mentions?: string[] }[];
}

const invalid = (on: string, key: string, mentions?: string[]) => ({ rule: 'invalid-kong-annotation', on, key, ...(mentions ? { mentions } : {}) });
const unknown = (on: string, key: string, mentions?: string[]) => ({ rule: 'unknown-kong-annotation', on, key, ...(mentions ? { mentions } : {}) });
const ING = 'Ingress default/web';
const SVC = 'Service default/echo';
const RT = 'HTTPRoute default/api';

const cases: Case[] = [
  // ---- booleans
  { name: 'strip-path "yes"', objects: onIngress({ 'konghq.com/strip-path': 'yes' }), want: [invalid(ING, 'konghq.com/strip-path', ['"true" or "false"', 'ignores'])] },
  { name: 'neighbour: strip-path "True" (KIC lower-cases)', objects: onIngress({ 'konghq.com/strip-path': 'True' }), want: [] },
  { name: 'preserve-host "1" (strip-path and preserve-host take only true/false)', objects: onIngress({ 'konghq.com/preserve-host': '1' }), want: [invalid(ING, 'konghq.com/preserve-host')] },
  { name: 'neighbour: request-buffering "0" (ParseBool)', objects: onIngress({ 'konghq.com/request-buffering': '0', 'konghq.com/response-buffering': 'TRUE' }), want: [] },
  { name: 'response-buffering "off"', objects: onIngress({ 'konghq.com/response-buffering': 'off' }), want: [invalid(ING, 'konghq.com/response-buffering')] },
  // ---- integers and enums
  { name: 'regex-priority "high"', objects: onIngress({ 'konghq.com/regex-priority': 'high' }), want: [invalid(ING, 'konghq.com/regex-priority')] },
  { name: 'neighbour: regex-priority "-5"', objects: onIngress({ 'konghq.com/regex-priority': '-5' }), want: [] },
  { name: 'https-redirect-status-code 303', objects: onIngress({ 'konghq.com/https-redirect-status-code': '303' }), want: [invalid(ING, 'konghq.com/https-redirect-status-code', ['301, 302, 307, 308, 426'])] },
  { name: 'neighbour: https-redirect-status-code 308 and 426', objects: [...onIngress({ 'konghq.com/https-redirect-status-code': '308' }), ingress('web2', { annotations: { 'konghq.com/https-redirect-status-code': '426' } })], want: [] },
  { name: 'path-handling "v2" passes KIC and Kong rejects it', objects: onIngress({ 'konghq.com/path-handling': 'v2' }), want: [invalid(ING, 'konghq.com/path-handling', ['rejects'])] },
  { name: 'path-handling "new" is ignored', objects: onIngress({ 'konghq.com/path-handling': 'new' }), want: [invalid(ING, 'konghq.com/path-handling', ['ignores'])] },
  { name: 'neighbour: path-handling "v1"', objects: onIngress({ 'konghq.com/path-handling': 'v1' }), want: [] },
  // ---- lists: KIC 3.4+ trims every entry, skips empty ones and upper-cases methods (annotations.go, #6729)
  { name: 'neighbour: protocols "https, http" (3.4+ trims)', objects: onIngress({ 'konghq.com/protocols': 'https, http' }), want: [] },
  { name: 'protocols "https, http" under KIC 3.3: " http" is ignored', kic: '3.3', objects: onIngress({ 'konghq.com/protocols': 'https, http' }), want: [invalid(ING, 'konghq.com/protocols', ['" http"', 'before 3.4 does not trim', 'keeps protocols http and https'])] },
  { name: 'neighbour: protocols "https,http" under KIC 3.3', kic: '3.3', objects: onIngress({ 'konghq.com/protocols': 'https,http' }), want: [] },
  { name: 'protocols "HTTPS" (KIC does not lower-case)', objects: onIngress({ 'konghq.com/protocols': 'HTTPS' }), want: [invalid(ING, 'konghq.com/protocols', ['lower case'])] },
  { name: 'protocols "udp" (not a route protocol KIC accepts)', objects: onIngress({ 'konghq.com/protocols': 'udp' }), want: [invalid(ING, 'konghq.com/protocols')] },
  { name: 'neighbour: protocols "https," (3.4+ skips the empty entry)', objects: onIngress({ 'konghq.com/protocols': 'https,' }), want: [] },
  { name: 'protocols "https," under KIC 3.3: KIC passes "" and Kong rejects it', kic: '3.3', objects: onIngress({ 'konghq.com/protocols': 'https,' }), want: [invalid(ING, 'konghq.com/protocols', ['stray comma', 'rejects'])] },
  { name: 'protocols "https," under KIC 3.2: "" fails KIC\'s check and is ignored', kic: '3.2', objects: onIngress({ 'konghq.com/protocols': 'https,' }), want: [invalid(ING, 'konghq.com/protocols', ['stray comma', 'ignores'])] },
  { name: 'protocols "tcpx" under KIC 3.2 passes KIC\'s unanchored check and Kong rejects it', kic: '3.2', objects: onIngress({ 'konghq.com/protocols': 'tcpx' }), want: [invalid(ING, 'konghq.com/protocols', ['"tcpx"', 'rejects'])] },
  { name: 'protocols "ws" under KIC 3.0 (ws came in 3.1)', kic: '3.0', objects: onIngress({ 'konghq.com/protocols': 'ws' }), want: [invalid(ING, 'konghq.com/protocols', ['ignores'])] },
  // ---- ws and wss: Kong Enterprise protocols (Kong OSS 3.9.3 constants.lua PROTOCOLS has neither)
  { name: 'protocols "ws" on Kong OSS: KIC passes it on, Kong rejects it', objects: onIngress({ 'konghq.com/protocols': 'ws' }), want: [invalid(ING, 'konghq.com/protocols', ['"ws" (a Kong Enterprise protocol', '"unknown type: <protocol>" for the first protocol', 'expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp', 'rejects', 'kongEdition: enterprise'])] },
  { name: 'protocols "https,wss" on Kong OSS', objects: onIngress({ 'konghq.com/protocols': 'https,wss' }), want: [invalid(ING, 'konghq.com/protocols', ['"wss"'])] },
  { name: 'neighbour: protocols "ws,wss" on Kong Enterprise', edition: 'enterprise', objects: onIngress({ 'konghq.com/protocols': 'ws,wss' }), want: [] },
  { name: 'protocols "tcpx" under KIC 3.2 is refused by Enterprise too', kic: '3.2', edition: 'enterprise', objects: onIngress({ 'konghq.com/protocols': 'tcpx' }), want: [invalid(ING, 'konghq.com/protocols', ['not a Kong protocol', 'Kong knows only grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss'])] },
  { name: 'Service protocol "wss" on Kong OSS', objects: onService({ 'konghq.com/protocol': 'wss' }), want: [invalid(SVC, 'konghq.com/protocol', ['Kong Enterprise protocol', 'Kong OSS says "expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp"', 'rejects', 'one of http, https'])] },
  { name: 'neighbour: Service protocol "wss" on Kong Enterprise', edition: 'enterprise', objects: onService({ 'konghq.com/protocol': 'wss' }), want: [] },
  { name: 'neighbour: Service protocol "grpcs" on Kong OSS', objects: onService({ 'konghq.com/protocol': 'grpcs' }), want: [] },
  { name: 'neighbour: protocols "http,https"', objects: onIngress({ 'konghq.com/protocols': 'http,https' }), want: [] },
  { name: 'neighbour: methods "get, post" (KIC trims and upper-cases)', objects: onIngress({ 'konghq.com/methods': 'get, post' }), want: [] },
  { name: 'neighbour: methods "get, post" under KIC 3.0 (route.go trimmed and upper-cased methods already)', kic: '3.0', objects: onIngress({ 'konghq.com/methods': 'get, post' }), want: [] },
  { name: 'methods "GET;POST" drops every method', objects: onIngress({ 'konghq.com/methods': 'GET;POST' }), want: [invalid(ING, 'konghq.com/methods', ['"GET;POST"', 'matches all methods'])] },
  { name: 'methods "GET,,POST" under KIC 3.3: the empty entry drops every method', kic: '3.3', objects: onIngress({ 'konghq.com/methods': 'GET,,POST' }), want: [invalid(ING, 'konghq.com/methods', ['stray comma', 'matches all methods'])] },
  { name: 'neighbour: methods "GET,,POST" (3.4+ skips the empty entry)', objects: onIngress({ 'konghq.com/methods': 'GET,,POST' }), want: [] },
  { name: 'neighbour: methods "GET,POST,PURGE"', objects: onIngress({ 'konghq.com/methods': 'GET,POST,PURGE' }), want: [] },
  { name: 'snis with a wildcard', objects: onIngress({ 'konghq.com/snis': '*.example.com' }), want: [invalid(ING, 'konghq.com/snis')] },
  { name: 'neighbour: snis empty (no SNI criteria), plain names, spaces', objects: [...onIngress({ 'konghq.com/snis': '' }), ingress('web2', { annotations: { 'konghq.com/snis': 'a.example.com, b.example.com' } })], want: [] },
  { name: 'snis "a.example.com," under KIC 3.3: the empty entry drops all SNIs', kic: '3.3', objects: onIngress({ 'konghq.com/snis': 'a.example.com,' }), want: [invalid(ING, 'konghq.com/snis', ['stray comma'])] },
  { name: 'host-aliases with a URL', objects: onIngress({ 'konghq.com/host-aliases': 'https://b.example.com' }), want: [invalid(ING, 'konghq.com/host-aliases', ['404'])] },
  { name: 'neighbour: host-aliases with a wildcard and a space', objects: onIngress({ 'konghq.com/host-aliases': '*.example.com, b.example.com' }), want: [] },
  // ---- headers.*
  { name: 'headers.x-env with an empty value', objects: onIngress({ 'konghq.com/headers.x-env': '' }), want: [invalid(ING, 'konghq.com/headers.x-env', ['empty'])] },
  { name: 'headers.host (Kong refuses Host in route headers)', objects: onIngress({ 'konghq.com/headers.host': 'a.example.com' }), want: [invalid(ING, 'konghq.com/headers.host', ['Host'])] },
  { name: 'headers with a bad header name', objects: onIngress({ 'konghq.com/headers.x env': 'a' }), want: [invalid(ING, 'konghq.com/headers.x env')] },
  { name: 'neighbour: headers.x-env "prod,staging"', objects: onIngress({ 'konghq.com/headers.x-env': 'prod,staging', 'konghq.com/headers-separator': ';' }), want: [] },
  { name: 'neighbour: headers.x-env "prod, staging" (KIC 3.2+ trims header values)', objects: onIngress({ 'konghq.com/headers.x-env': 'prod, staging' }), want: [] },
  { name: 'headers.x-env "prod, staging" under KIC 3.1: " staging" reaches Kong with its space', kic: '3.1', objects: onIngress({ 'konghq.com/headers.x-env': 'prod, staging' }), want: [invalid(ING, 'konghq.com/headers.x-env', ['" staging"', 'before 3.2'])] },
  { name: 'headers-separator under KIC 3.1 is not read', kic: '3.1', objects: onIngress({ 'konghq.com/headers.x-env': 'prod;staging', 'konghq.com/headers-separator': ';' }), want: [unknown(ING, 'konghq.com/headers-separator', ['from 3.2'])] },
  // ---- Services
  { name: 'Service read-timeout "60s"', objects: onService({ 'konghq.com/read-timeout': '60s' }), want: [invalid(SVC, 'konghq.com/read-timeout', ['without a unit'])] },
  { name: 'Service connect-timeout "-1" (Kong rejects)', objects: onService({ 'konghq.com/connect-timeout': '-1' }), want: [invalid(SVC, 'konghq.com/connect-timeout', ['rejects'])] },
  { name: 'Service retries "lots"', objects: onService({ 'konghq.com/retries': 'lots' }), want: [invalid(SVC, 'konghq.com/retries')] },
  { name: 'Service protocol "HTTPS"', objects: onService({ 'konghq.com/protocol': 'HTTPS' }), want: [invalid(SVC, 'konghq.com/protocol', ['lower case'])] },
  { name: 'Service protocol " https" (KIC never trims this single value)', objects: onService({ 'konghq.com/protocol': ' https' }), want: [invalid(SVC, 'konghq.com/protocol', ['does not trim'])] },
  { name: 'Service protocol "tcpx" under KIC 3.2 passes KIC and Kong rejects it', kic: '3.2', objects: onService({ 'konghq.com/protocol': 'tcpx' }), want: [invalid(SVC, 'konghq.com/protocol', ['rejects'])] },
  { name: 'Service protocol "wss" under KIC 3.0', kic: '3.0', objects: onService({ 'konghq.com/protocol': 'wss' }), want: [invalid(SVC, 'konghq.com/protocol', ['KIC 3.0 accepts'])] },
  { name: 'Service path "api"', objects: onService({ 'konghq.com/path': 'api' }), want: [invalid(SVC, 'konghq.com/path', ['"/"'])] },
  { name: 'Service host-header with a scheme', objects: onService({ 'konghq.com/host-header': 'http://internal.example.com' }), want: [invalid(SVC, 'konghq.com/host-header')] },
  {
    name: 'neighbour: a Service with every value right',
    objects: onService({ 'konghq.com/read-timeout': '60000', 'konghq.com/write-timeout': '0', 'konghq.com/connect-timeout': '5000', 'konghq.com/retries': '3', 'konghq.com/protocol': 'https', 'konghq.com/path': '/api', 'konghq.com/host-header': 'internal.example.com' }),
    want: [],
  },
  { name: 'neighbour: a Service no managed route uses is not judged', objects: [...world().filter((o) => o.kind !== 'Service'), service('echo', { 'konghq.com/read-timeout': '60s', 'konghq.com/strip_path': 'x' })], want: [] },
  // ---- HTTPRoutes
  { name: 'HTTPRoute methods "get post"', objects: onRoute({ 'konghq.com/methods': 'get post' }), want: [invalid(RT, 'konghq.com/methods')] },
  { name: 'neighbour: HTTPRoute methods "get"', objects: onRoute({ 'konghq.com/methods': 'get' }), want: [] },
  { name: 'neighbour: an HTTPRoute of another controller is not judged', objects: onRoute({ 'konghq.com/methods': 'get', 'konghq.com/strp-path': 'true' }, 'other'), want: [] },
  // ---- unknown and misplaced keys
  { name: 'strip_path typo', objects: onIngress({ 'konghq.com/strip_path': 'true' }), want: [unknown(ING, 'konghq.com/strip_path', ['did you mean "konghq.com/strip-path"'])] },
  { name: 'plugin (singular)', objects: onIngress({ 'konghq.com/plugin': 'rl' }), want: [unknown(ING, 'konghq.com/plugin', ['"konghq.com/plugins"'])] },
  { name: 'header.x-env means headers.x-env', objects: onIngress({ 'konghq.com/header.x-env': 'a' }), want: [unknown(ING, 'konghq.com/header.x-env', ['"konghq.com/headers.x-env"'])] },
  { name: 'something unrelated: no suggestion', objects: onIngress({ 'konghq.com/frobnicate-everything': 'a' }), want: [unknown(ING, 'konghq.com/frobnicate-everything')] },
  { name: 'read-timeout on an Ingress has no effect', objects: onIngress({ 'konghq.com/read-timeout': '60000' }), want: [unknown(ING, 'konghq.com/read-timeout', ['only from Services'])] },
  { name: 'strip-path on a Service has no effect', objects: onService({ 'konghq.com/strip-path': 'true' }), want: [unknown(SVC, 'konghq.com/strip-path', ['only from Ingresses and HTTPRoutes'])] },
  { name: 'regex-prefix on an HTTPRoute has no effect', objects: onRoute({ 'konghq.com/regex-prefix': '##' }), want: [unknown(RT, 'konghq.com/regex-prefix', ['only from Ingresses'])] },
  {
    name: 'neighbour: known keys in their places, including ones read elsewhere',
    objects: [
      ...world().filter((o) => o.kind !== 'Service'),
      service('echo', { 'konghq.com/plugins': 'a', 'konghq.com/tags': 'x', 'konghq.com/upstream-policy': 'p', 'konghq.com/client-cert': 'c', 'konghq.com/tls-verify': 'true' }),
      ingress('web', { annotations: { 'konghq.com/plugins': 'a', 'konghq.com/override': 'k', 'konghq.com/rewrite': '/x/$1', 'konghq.com/regex-prefix': '/~', 'konghq.com/headers.x-a': 'b', 'konghq.com/tags': 't' } }),
    ],
    want: [],
  },
  // ---- classes
  { name: 'neighbour: an nginx Ingress is never judged', objects: onIngress({ 'konghq.com/strip-path': 'yes', 'konghq.com/strip_path': 'x' }, 'nginx'), want: [] },
];

for (const c of cases) {
  test(`annotations: ${c.name}`, () => {
    const findings = run(c.objects, ANNOTATION_RULES, { ...(c.kic ? { kicVersion: c.kic } : {}), ...(c.edition ? { kongEdition: c.edition } : {}) });
    const got = findings.map((f) => `${f.rule} ${describeRef(f.object)} ${f.field}`).sort();
    const want = c.want.map((w) => `${w.rule} ${w.on} metadata.annotations["${w.key}"]`).sort();
    assert.deepEqual(got, want, findings.map((f) => f.message).join('\n'));
    for (const w of c.want) {
      const f = findings.find((x) => x.rule === w.rule && x.field === `metadata.annotations["${w.key}"]`)!;
      for (const m of w.mentions ?? []) assert.ok(f.message.includes(m), `"${m}" not in: ${f.message}`);
      assert.match(f.fix, /^[a-z].*\.$/, 'a fix is a lower-case sentence');
    }
  });
}

// The fix must say where KIC reads the annotation: rewrite is read from Ingresses only, so an HTTPRoute's has no
// "Ingress or HTTPRoute" to move to (KIC #5576); a Service's konghq.com/protocols is the singular one misspelt (KIC #2116).
for (const [what, objects, key, fix] of [
  ['rewrite on an HTTPRoute points at a URLRewrite filter', onRoute({ 'konghq.com/rewrite': '/users/$1' }), 'konghq.com/rewrite', /URLRewrite filter/],
  ['regex-prefix on an HTTPRoute points at a RegularExpression match', onRoute({ 'konghq.com/regex-prefix': '##' }), 'konghq.com/regex-prefix', /RegularExpression path match/],
  ['rewrite on a Service moves to the Ingress only', onService({ 'konghq.com/rewrite': '/x' }), 'konghq.com/rewrite', /^move konghq\.com\/rewrite to the Ingress that routes to this Service\.$/],
  ['protocols on a Service suggests protocol', onService({ 'konghq.com/protocols': 'grpc' }), 'konghq.com/protocols', /use konghq\.com\/protocol \(singular\)/],
] as const) {
  test(`annotations: misplaced ${what}`, () => {
    const f = run(objects, ANNOTATION_RULES).find((x) => x.field === `metadata.annotations["${key}"]`);
    assert.ok(f, `no finding for ${key}`);
    assert.equal(f.rule, 'unknown-kong-annotation');
    assert.match(f.fix, fix);
    if (!key.endsWith('protocols')) assert.doesNotMatch(f.fix, /Ingress or HTTPRoute/);
  });
}

test('annotations: severities are deny for invalid values and warn for unknown keys', () => {
  const findings = run(onIngress({ 'konghq.com/strip-path': 'yes', 'konghq.com/strip_path': 'true' }), ANNOTATION_RULES);
  assert.deepEqual(findings.map((f) => [f.rule, f.severity]).sort(), [['invalid-kong-annotation', 'deny'], ['unknown-kong-annotation', 'warn']]);
});

test('annotations: every fixture and example cluster manifest is clean', async () => {
  for (const set of await fixtureSets()) {
    assert.deepEqual(run(set.objects, ANNOTATION_RULES).map((f) => f.message), [], set.name);
  }
});

for (const rule of ANNOTATION_RULES) {
  test(`annotations: ${rule.id} examples (bad finds it, good finds nothing)`, () => {
    assert.ok(rule.examples, 'the rule has examples');
    const bad = run(yamlObjects(rule.examples.bad), [rule]);
    assert.ok(bad.length > 0 && bad.every((f) => f.rule === rule.id), 'bad example yields the rule');
    assert.deepEqual(run(yamlObjects(rule.examples.good), ANNOTATION_RULES).map((f) => f.message), []);
  });
}
