// kong-entity-invalid: Kong 3.9.3's own validation of the entities KIC builds, judged with every rule so that a
// problem another rule reports (tcp Service behind an Ingress, dot segments in a path) is reported once. Each bad
// state has its valid neighbour. The five entity constraints of research §5 that bite KIC users are among them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { K8sObject } from '../../src/model/object.ts';
import { RULES } from '../../src/rules/index.ts';
import type { TranslateConfig } from '../../src/translate/config.ts';
import { ingress, run, service, world, type IngressOpts } from './support.ts';
import { makeCert } from './tls-certs.ts';

const echo = (annotations: Record<string, string>) => [...world().filter((o) => !(o.kind === 'Service' && o.metadata.name === 'echo')), service('echo', annotations)];
const web = (opts: IngressOpts = {}) => ingress('web', opts);
const policy = (cookiePath: string): K8sObject => ({
  apiVersion: 'configuration.konghq.com/v1beta1',
  kind: 'KongUpstreamPolicy',
  metadata: { name: 'sticky', namespace: 'default' },
  spec: { algorithm: 'consistent-hashing', hashOn: { cookie: 'session-id', cookiePath } },
});
const vault = (backend: string, prefix = 'my-env'): K8sObject => ({
  apiVersion: 'configuration.konghq.com/v1alpha1',
  kind: 'KongVault',
  metadata: { name: 'secrets', annotations: { 'kubernetes.io/ingress.class': 'kong' } },
  spec: { backend, prefix },
});

const cert = await makeCert({ names: ['app.example.com'] });
const tlsSecret: K8sObject = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'app-tls', namespace: 'default' }, stringData: { 'tls.crt': cert.cert, 'tls.key': cert.key } } as K8sObject;
const tlsHosts = (hosts: string[]) => [...world(), tlsSecret, web({ tls: [{ hosts, secretName: 'app-tls' }] })];
const tcpIngress = (hosts: string[]): K8sObject => ({
  apiVersion: 'configuration.konghq.com/v1beta1',
  kind: 'TCPIngress',
  metadata: { name: 'tcp', namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'kong' } },
  spec: { rules: [{ host: 'app.example.com', port: 9443, backend: { serviceName: 'echo', servicePort: 80 } }], ...(hosts.length ? { tls: [{ hosts, secretName: 'app-tls' }] } : {}) },
});

interface Case {
  name: string;
  objects: K8sObject[];
  /** The denials expected: rule, subject kind, and a piece of the message (Kong's words). */
  denies: { rule: string; kind: string; says?: string }[];
  settings?: Partial<TranslateConfig>;
}

const CASES: Case[] = [
  {
    name: 'a tcp Service behind an Ingress keeps path "/": reported once, by service-protocol-rejected',
    objects: [...echo({ 'konghq.com/protocol': 'tcp' }), web()],
    denies: [{ rule: 'service-protocol-rejected', kind: 'Service', says: 'path: value must be null' }],
  },
  { name: 'neighbour: an https Service behind an Ingress', objects: [...echo({ 'konghq.com/protocol': 'https' }), web()], denies: [] },
  {
    name: 'a tcp Service with konghq.com/path behind a TCPIngress',
    objects: [...echo({ 'konghq.com/protocol': 'tcp', 'konghq.com/path': '/x' }), tcpIngress([])],
    denies: [{ rule: 'kong-entity-invalid', kind: 'Service', says: `path: "value must be null"; "failed conditional validation given value of field 'protocol'"` }],
  },
  { name: 'neighbour: the same without konghq.com/path', objects: [...echo({ 'konghq.com/protocol': 'tcp' }), tcpIngress([])], denies: [] },
  {
    name: 'konghq.com/tls-verify on a plain-http Service',
    objects: [...echo({ 'konghq.com/tls-verify': 'true' }), web()],
    denies: [{ rule: 'kong-entity-invalid', kind: 'Service', says: `tls_verify: "value must be null"; "failed conditional validation given value of field 'protocol'"` }],
  },
  { name: 'neighbour: konghq.com/tls-verify with protocol https', objects: [...echo({ 'konghq.com/tls-verify': 'true', 'konghq.com/protocol': 'https' }), web()], denies: [] },
  {
    name: 'konghq.com/tls-verify-depth on a grpc Service',
    objects: [...echo({ 'konghq.com/tls-verify-depth': '2', 'konghq.com/protocol': 'grpc' }), web()],
    denies: [{ rule: 'kong-entity-invalid', kind: 'Service', says: 'tls_verify_depth: "value must be null"' }],
  },
  { name: 'neighbour: konghq.com/tls-verify-depth on an https Service', objects: [...echo({ 'konghq.com/tls-verify-depth': '2', 'konghq.com/protocol': 'https' }), web()], denies: [] },
  {
    name: 'a plain path with lower-case percent-encoding',
    objects: [...world(), web({ paths: [{ path: '/a%2fb', pathType: 'ImplementationSpecific', host: 'app.example.com' }] })],
    denies: [{ rule: 'kong-entity-invalid', kind: 'Ingress', says: `paths.1: "non-normalized path, consider use '/a%2Fb' instead"` }],
  },
  { name: 'neighbour: the same path upper-case', objects: [...world(), web({ paths: [{ path: '/a%2Fb', pathType: 'ImplementationSpecific', host: 'app.example.com' }] })], denies: [] },
  {
    name: 'a plain path with an encoded unreserved character',
    objects: [...world(), web({ paths: [{ path: '/%61pi', pathType: 'Prefix', host: 'app.example.com' }] })],
    denies: [{ rule: 'kong-entity-invalid', kind: 'Ingress', says: `consider use '/api/' instead` }],
  },
  { name: 'neighbour: the character written as it is', objects: [...world(), web({ paths: [{ path: '/api', pathType: 'Prefix', host: 'app.example.com' }] })], denies: [] },
  {
    name: 'a dot segment: reported once, by invalid-ingress-path',
    objects: [...world(), web({ paths: [{ path: '/a/./b', pathType: 'Exact', host: 'app.example.com' }] })],
    denies: [{ rule: 'invalid-ingress-path', kind: 'Ingress' }],
  },
  {
    name: 'route protocols http with tcp',
    objects: [...world(), web({ annotations: { 'konghq.com/protocols': 'http,tcp' } })],
    denies: [{ rule: 'kong-entity-invalid', kind: 'Ingress', says: `protocols: "these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp')"` }],
  },
  { name: 'neighbour: protocols http and https', objects: [...world(), web({ annotations: { 'konghq.com/protocols': 'http,https' } })], denies: [] },
  {
    name: 'snis on a route without https or tls',
    objects: [...world(), web({ annotations: { 'konghq.com/protocols': 'http', 'konghq.com/snis': 'app.example.com' } })],
    denies: [{ rule: 'kong-entity-invalid', kind: 'Ingress', says: `snis: "length must be 0"; "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'"` }],
  },
  { name: 'neighbour: snis on an https route', objects: [...world(), web({ annotations: { 'konghq.com/protocols': 'https', 'konghq.com/snis': 'app.example.com' } })], denies: [] },
  {
    name: 'a konghq.com/tags tag with "/"',
    objects: [...world(), web({ annotations: { 'konghq.com/tags': 'team/payments' } })],
    denies: [{ rule: 'kong-entity-invalid', kind: 'Ingress', says: 'invalid tag \'team/payments\'' }],
  },
  { name: 'neighbour: the tag with "-"', objects: [...world(), web({ annotations: { 'konghq.com/tags': 'team-payments' } })], denies: [] },
  {
    name: 'a connect timeout of 0',
    objects: [...echo({ 'konghq.com/connect-timeout': '0' }), web()],
    denies: [{ rule: 'kong-entity-invalid', kind: 'Service', says: 'connect_timeout: "value should be between 1 and 2147483646"' }],
  },
  { name: 'neighbour: a connect timeout of 1', objects: [...echo({ 'konghq.com/connect-timeout': '1' }), web()], denies: [] },
  {
    name: 'a KongUpstreamPolicy cookie path without a leading "/" (KIC\'s own upstream-policy examples)',
    objects: [...echo({ 'konghq.com/upstream-policy': 'sticky' }), web(), policy('cookie-path')],
    denies: [{ rule: 'kong-entity-invalid', kind: 'Service', says: `hash_on_cookie_path: "should start with: /"` }],
  },
  { name: 'neighbour: the cookie path "/"', objects: [...echo({ 'konghq.com/upstream-policy': 'sticky' }), web(), policy('/')], denies: [] },
  {
    name: 'a KongVault whose backend Kong OSS does not have',
    objects: [...world(), vault('aws')],
    denies: [{ rule: 'kong-entity-invalid', kind: 'KongVault', says: `name: "vault 'aws' is not installed"` }],
  },
  { name: 'neighbour: the env vault', objects: [...world(), vault('env')], denies: [] },
  { name: 'neighbour: the aws vault on Kong Enterprise is not judged', objects: [...world(), vault('aws')], denies: [], settings: { kongEdition: 'enterprise' } },
  {
    name: 'an IP address in a TCPIngress\'s spec.tls hosts becomes an SNI Kong refuses',
    objects: [...world(), tlsSecret, tcpIngress(['10.0.0.1'])],
    denies: [{ rule: 'kong-entity-invalid', kind: 'TCPIngress', says: 'KIC builds Kong sni "10.0.0.1" from TCPIngress default/tcp, and Kong 3.9.3 rejects it (name: "must not be an IP")' }],
  },
  { name: 'neighbour: a host name', objects: [...world(), tlsSecret, tcpIngress(['app.example.com'])], denies: [] },
  {
    // Kubernetes checks spec.tls hosts only as DNS-1123 subdomains, which an IP address passes; KIC makes it an SNI.
    name: 'the same in an Ingress\'s spec.tls hosts',
    objects: tlsHosts(['app.example.com', '10.0.0.1']),
    denies: [{ rule: 'kong-entity-invalid', kind: 'Ingress', says: 'KIC builds Kong sni "10.0.0.1" from Ingress default/web, and Kong 3.9.3 rejects it (name: "must not be an IP")' }],
  },
  {
    name: 'digits and dots that are no IP address: Kong reads them as one',
    objects: tlsHosts(['app.example.com', '1.2.3']),
    denies: [{ rule: 'kong-entity-invalid', kind: 'Ingress', says: 'name: "invalid value: 1.2.3"' }],
  },
  { name: 'a TLS host Kubernetes refuses is reported once, by invalid-ingress-path', objects: tlsHosts(['app.example.com', 'App.example.com']), denies: [{ rule: 'invalid-ingress-path', kind: 'Ingress' }] },
  { name: 'a Service no managed route uses builds nothing', objects: echo({ 'konghq.com/tls-verify': 'true' }), denies: [] },
];

for (const c of CASES) {
  test(`kong-entity-invalid: ${c.name}`, () => {
    const denied = run(c.objects, RULES, c.settings).filter((f) => f.severity === 'deny');
    assert.deepEqual(
      denied.map((f) => ({ rule: f.rule, kind: f.object.kind })),
      c.denies.map((d) => ({ rule: d.rule, kind: d.kind })),
      denied.map((f) => f.message).join('\n'),
    );
    c.denies.forEach((d, i) => {
      if (d.says) assert.ok(denied[i]!.message.includes(d.says), `${denied[i]!.message}\nshould say: ${d.says}`);
      if (d.rule === 'kong-entity-invalid') assert.equal(denied[i]!.breaks, true);
    });
  });
}

test('kong-entity-invalid names the entity, the object, Kong, the field and the fix', () => {
  const [f] = run([...echo({ 'konghq.com/tls-verify': 'true' }), web()], RULES).filter((x) => x.rule === 'kong-entity-invalid');
  assert.ok(f);
  assert.match(f.message, /^KIC builds Kong service "default\.echo\.(80|http)" from Service default\/echo, and Kong 3\.9\.3 rejects it \(/);
  assert.equal(f.field, 'metadata.annotations["konghq.com/tls-verify"]');
  assert.match(f.fix, /remove konghq\.com\/tls-verify .* or set konghq\.com\/protocol to https/);
});
