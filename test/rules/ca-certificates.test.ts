// invalid-ca-certificate: KIC 3.5 translator/translate_cacerts.go (getCACerts, toKongCACertificate), with real
// certificates. Each case sits next to its valid neighbour.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { K8sObject } from '../../src/model/object.ts';
import { redactSecret } from '../../src/model/secret.ts';
import { invalidCaCertificate } from '../../src/rules/ca-certificates.ts';
import { parseManifests } from '../../src/state/manifests.ts';
import { run, world } from './support.ts';
import { makeCert, type TestCert } from './tls-certs.ts';

const UUID_A = '4f3a8c1e-2b7d-4c5e-9a0f-1d2e3f4a5b6c';
const UUID_B = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
let ca: TestCert;
let leaf: TestCert;
let expired: TestCert;

before(async () => {
  ca = await makeCert({ names: [], cn: 'test-ca', ca: true });
  leaf = await makeCert({ names: ['app.example.com'] });
  expired = await makeCert({ names: [], cn: 'old-ca', ca: true, notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') });
});

function secret(name: string, data: Record<string, string>, created = '2026-01-01T00:00:00Z', labelled = true): K8sObject {
  return redactSecret({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default', creationTimestamp: created, ...(labelled ? { labels: { 'konghq.com/ca-cert': 'true' } } : {}) },
    stringData: data,
  });
}

function configMap(name: string, data: Record<string, string>, created = '2026-02-01T00:00:00Z'): K8sObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', creationTimestamp: created, labels: { 'konghq.com/ca-cert': 'true' } }, data };
}

const judge = (objects: K8sObject[]) => run([...world(), ...objects], [invalidCaCertificate]);

const CASES: { name: string; objects: () => K8sObject[]; says?: RegExp; breaks?: boolean }[] = [
  { name: 'a CA certificate with a UUID id (Secret, "cert")', objects: () => [secret('ca', { id: UUID_A, cert: ca.cert })] },
  { name: 'a CA certificate in a ConfigMap ("ca.crt")', objects: () => [configMap('ca', { id: UUID_A, 'ca.crt': ca.cert })] },
  { name: 'an unlabelled Secret is not a CA certificate', objects: () => [secret('ca', { cert: 'junk' }, undefined, false)] },
  { name: 'no id', objects: () => [secret('ca', { cert: ca.cert })], says: /no "id" entry\. KIC skips it.*\("invalid secret CA certificate: missing 'id' field in data"\)/ },
  { name: 'an id that is not a UUID: Kong rejects the configuration', objects: () => [secret('ca', { id: 'internal-ca', cert: ca.cert })], says: /Kong rejects the configuration \("id: expected a valid UUID"\)/, breaks: true },
  { name: 'a certificate that is not a CA', objects: () => [secret('ca', { id: UUID_A, cert: leaf.cert })], says: /\(certificate is missing the 'CA' basic constraint\)/ },
  { name: 'two PEM certificates', objects: () => [secret('ca', { id: UUID_A, cert: `${ca.cert}\n${ca.cert}` })], says: /\(multiple PEM certificates found\)/ },
  { name: 'a private key instead of a certificate', objects: () => [secret('ca', { id: UUID_A, cert: ca.key })], says: /\(invalid PEM block type\)/ },
  { name: 'not PEM at all', objects: () => [configMap('ca', { id: UUID_A, cert: 'not a certificate' })], says: /\(invalid PEM block\)\. .*"invalid configmap CA certificate: invalid PEM block"/ },
  { name: 'neither "cert" nor "ca.crt"', objects: () => [secret('ca', { id: UUID_A, 'tls.crt': ca.cert })], says: /neither "cert" nor "ca\.crt" key exist/ },
  { name: 'an expired CA', objects: () => [secret('ca', { id: UUID_A, cert: expired.cert })], says: /\(expired\)/ },
  { name: 'the same id twice: the newer one is skipped', objects: () => [secret('ca-1', { id: UUID_A, cert: ca.cert }, '2026-01-01T00:00:00Z'), configMap('ca-2', { id: UUID_A, cert: ca.cert })], says: /ConfigMap default\/ca-2 has the same CA certificate "id" as Secret default\/ca-1\. KIC keeps the older/ },
  { name: 'neighbour: two ids', objects: () => [secret('ca-1', { id: UUID_A, cert: ca.cert }), configMap('ca-2', { id: UUID_B, cert: ca.cert })] },
];

for (const c of CASES) {
  test(`invalid-ca-certificate: ${c.name}`, () => {
    const found = judge(c.objects());
    if (!c.says) return assert.deepEqual(found, []);
    assert.equal(found.length, 1, found.map((f) => f.message).join('\n'));
    assert.match(found[0]!.message, c.says);
    assert.equal(found[0]!.breaks, c.breaks ?? false);
    assert.doesNotMatch(found[0]!.message, new RegExp(UUID_A));
  });
}

test('the loader reads only labelled ConfigMaps, as the live view lists them', () => {
  const text = ['apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-settings}\ndata: {a: b}\n', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ca, labels: {konghq.com/ca-cert: "true"}}\ndata: {id: x}\n'].join('---\n');
  const result = parseManifests(text, 'c.yaml');
  assert.deepEqual(result.objects.map((o) => o.object.metadata.name), ['ca']);
  assert.equal(result.ignored, 1);
});
