import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { K8sObject } from '../../src/model/object.ts';
import { compareCertificateOrder, isRedacted, redactSecret } from '../../src/model/secret.ts';
import { b64, secret } from './builders.ts';
import { makeCert, pemBody } from '../rules/tls-certs.ts';

const CLEAR = 'Sup3r-Secret-Value-0xC0FFEE';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function withLastApplied(obj: K8sObject): K8sObject {
  const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: obj.metadata.name }, stringData: { key: CLEAR } });
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...obj.metadata.annotations, [LAST_APPLIED]: lastApplied, keep: 'me' } } };
}

const leakCases: { name: string; obj: K8sObject }[] = [
  { name: 'data (base64)', obj: secret('s', { credType: 'key-auth', data: { key: b64(CLEAR) } }) },
  { name: 'stringData', obj: secret('s', { credType: 'key-auth', stringData: { key: CLEAR } }) },
  { name: 'data and stringData', obj: secret('s', { data: { password: b64(CLEAR) }, stringData: { username: CLEAR } }) },
  { name: 'last-applied annotation holding stringData', obj: withLastApplied(secret('s', { credType: 'basic-auth', stringData: { username: 'u', password: CLEAR } })) },
  { name: 'value also base64-visible', obj: secret('s', { data: { key: b64(CLEAR), other: b64(`${CLEAR}-2`) } }) },
];

for (const c of leakCases) {
  test(`redactSecret never keeps the clear value: ${c.name}`, () => {
    const r = redactSecret(c.obj);
    const text = JSON.stringify(r);
    assert.ok(!text.includes(CLEAR), text);
    assert.ok(!text.includes(b64(CLEAR)), text);
    assert.equal(r.data, undefined);
    assert.equal(r.stringData, undefined);
    assert.equal(r.metadata.annotations?.[LAST_APPLIED], undefined);
    assert.ok(isRedacted(r));
  });
}

test('redactSecret: data and stringData both produce digests; equal values give equal digests', () => {
  const fromData = redactSecret(secret('a', { data: { key: b64('same') } }));
  const fromString = redactSecret(secret('b', { stringData: { key: 'same' } }));
  const other = redactSecret(secret('c', { stringData: { key: 'different' } }));
  const d1 = fromData.facts.fields.key?.digest;
  const d2 = fromString.facts.fields.key?.digest;
  const d3 = other.facts.fields.key?.digest;
  assert.equal(typeof d1, 'string');
  assert.ok(d1!.length >= 16);
  assert.equal(d1, d2, 'same value through data and stringData');
  assert.notEqual(d1, d3, 'different values');
});

test('redactSecret: digests do not depend on the field name or Secret, only on the value', () => {
  const r = redactSecret(secret('a', { stringData: { key: 'v', username: 'v', password: 'w' } }));
  assert.equal(r.facts.fields.key?.digest, r.facts.fields.username?.digest);
  assert.notEqual(r.facts.fields.key?.digest, r.facts.fields.password?.digest);
});

test('redactSecret: stringData wins over data for the same field', () => {
  const r = redactSecret(secret('a', { data: { key: b64('old') }, stringData: { key: 'new' } }));
  assert.equal(r.facts.fields.key?.digest, redactSecret(secret('b', { stringData: { key: 'new' } })).facts.fields.key?.digest);
});

test('redactSecret: empty values are flagged, non-string values ignored', () => {
  const r = redactSecret({ ...secret('a', { data: { empty: '', key: b64('x') } }), stringData: { blank: '', n: 5 } });
  assert.equal(r.facts.fields.empty?.empty, true);
  assert.equal(r.facts.fields.blank?.empty, true);
  assert.equal(r.facts.fields.key?.empty, false);
  assert.equal(r.facts.fields.n, undefined);
});

const credTypeCases: { name: string; obj: K8sObject; want: string | undefined }[] = [
  { name: 'label konghq.com/credential', obj: secret('s', { credType: 'key-auth', stringData: { key: 'k' } }), want: 'key-auth' },
  { name: 'legacy kongCredType in stringData', obj: secret('s', { stringData: { kongCredType: 'basic-auth', username: 'u' } }), want: 'basic-auth' },
  { name: 'legacy kongCredType in data', obj: secret('s', { data: { kongCredType: b64('jwt'), key: b64('k') } }), want: 'jwt' },
  { name: 'label wins over kongCredType', obj: secret('s', { credType: 'key-auth', stringData: { kongCredType: 'jwt', key: 'k' } }), want: 'key-auth' },
  { name: 'neither', obj: secret('s', { stringData: { key: 'k' } }), want: undefined },
];

for (const c of credTypeCases) {
  test(`redactSecret credential type: ${c.name}`, () => assert.equal(redactSecret(c.obj).facts.credentialType, c.want));
}

test('redactSecret: only never-secret fields keep a clear value', () => {
  const r = redactSecret(secret('s', { stringData: { kongCredType: 'jwt', algorithm: 'RS256', key: 'issuer', rsa_public_key: CLEAR } }));
  assert.equal(r.facts.fields.kongCredType?.clear, 'jwt');
  assert.equal(r.facts.fields.algorithm?.clear, 'RS256');
  assert.equal(r.facts.fields.key?.clear, undefined);
  assert.equal(r.facts.fields.rsa_public_key?.clear, undefined);
});

test('redactSecret keeps identity, labels, other annotations and type; it does not mutate its input', () => {
  const input = withLastApplied(secret('s', { ns: 'team-a', credType: 'key-auth', stringData: { key: CLEAR } }));
  const before = JSON.stringify(input);
  const r = redactSecret(input);
  assert.equal(JSON.stringify(input), before);
  assert.equal(r.apiVersion, 'v1');
  assert.equal(r.kind, 'Secret');
  assert.equal(r.type, 'Opaque');
  assert.equal(r.metadata.name, 's');
  assert.equal(r.metadata.namespace, 'team-a');
  assert.deepEqual(r.metadata.labels, { 'konghq.com/credential': 'key-auth' });
  assert.deepEqual(r.metadata.annotations, { keep: 'me' });
});

test('redactSecret is idempotent', () => {
  const once = redactSecret(withLastApplied(secret('s', { credType: 'key-auth', stringData: { key: CLEAR } })));
  const twice = redactSecret(once);
  assert.equal(twice, once, 'an already redacted Secret is returned as is');
  // A copy is not the redacted object: its self-declared facts are not trusted (a manifest could forge them).
  assert.deepEqual(redactSecret(structuredClone(once)).facts.fields, {});
});

test('isRedacted: raw Secrets are not, redacted ones are, other kinds never', () => {
  const raw = secret('s', { stringData: { key: 'k' } });
  assert.equal(isRedacted(raw), false);
  assert.equal(isRedacted(redactSecret(raw)), true);
  assert.equal(isRedacted(secret('empty')), false, 'no facts yet');
  assert.equal(isRedacted({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, facts: { fields: {} } }), false);
});

test(
  'redactSecret drops the last-applied annotation even from an object that merely looks redacted',
  () => {
    const spoofed = withLastApplied({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, facts: { fields: {} } });
    const r = redactSecret(spoofed);
    assert.ok(!JSON.stringify(r).includes(CLEAR));
  },
);

// ---- TLS Secrets: public certificate facts computed on the way in

const tlsSecret = (name: string, stringData: Record<string, string>, type = 'kubernetes.io/tls'): K8sObject => ({ ...secret(name, { stringData }), type });

test('redactSecret: a kubernetes.io/tls Secret keeps only public facts of its leaf certificate', async () => {
  const c = await makeCert({ names: ['app.example.com', '*.App.example.com'], notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2125-01-01T00:00:00Z') });
  const other = await makeCert({ names: ['ca.example.com'] });
  const r = redactSecret(tlsSecret('web-tls', { 'tls.crt': `${c.cert}\n${other.cert}`, 'tls.key': c.key }));
  assert.deepEqual(r.facts.certificate, {
    parsed: true,
    notAfter: '2125-01-01T00:00:00.000Z',
    notBefore: '2025-01-01T00:00:00.000Z',
    subject: 'CN=app.example.com',
    sans: ['app.example.com', '*.app.example.com'],
    keyMatches: true,
  });
  const text = JSON.stringify(r);
  for (const line of [...pemBody(c.cert), ...pemBody(c.key), ...pemBody(other.cert)]) assert.ok(!text.includes(line), `leaked ${line}`);
  assert.ok(!text.includes('BEGIN'));
});

test('redactSecret: certificate facts from base64 data equal those from stringData', async () => {
  const c = await makeCert({ names: ['a.test'] });
  const fromData = redactSecret({ ...secret('a', { data: { 'tls.crt': b64(c.cert), 'tls.key': b64(c.key) } }), type: 'kubernetes.io/tls' });
  const fromString = redactSecret(tlsSecret('b', { 'tls.crt': c.cert, 'tls.key': c.key }));
  assert.deepEqual(fromData.facts.certificate, fromString.facts.certificate);
  assert.equal(fromData.facts.certificate?.keyMatches, true);
});

test('redactSecret: unusable keys and certificates are fixed phrases, never values', async () => {
  const c = await makeCert({ names: ['a.test'] });
  const d = await makeCert({ names: ['a.test'] });
  const rsa = await makeCert({ names: ['a.test'], keyType: 'rsa' });
  const cases: { name: string; data: Record<string, string>; want: Partial<NonNullable<ReturnType<typeof redactSecret>['facts']['certificate']>> }[] = [
    { name: 'key of another certificate', data: { 'tls.crt': c.cert, 'tls.key': d.key }, want: { parsed: true, keyMatches: false, keyError: 'tls.key does not match the certificate' } },
    { name: 'RSA key for an ECDSA certificate', data: { 'tls.crt': c.cert, 'tls.key': rsa.key }, want: { parsed: true, keyMatches: false, keyError: 'tls.key does not match the certificate' } },
    { name: 'no tls.key', data: { 'tls.crt': c.cert }, want: { parsed: true, keyMatches: false, keyError: 'tls.key is missing' } },
    { name: 'empty tls.key', data: { 'tls.crt': c.cert, 'tls.key': '' }, want: { parsed: true, keyMatches: false, keyError: 'tls.key is empty' } },
    { name: 'tls.key not PEM', data: { 'tls.crt': c.cert, 'tls.key': CLEAR }, want: { parsed: true, keyMatches: false, keyError: 'tls.key is not a PEM private key' } },
    { name: 'tls.key PEM armour around junk', data: { 'tls.crt': c.cert, 'tls.key': `-----BEGIN PRIVATE KEY-----\n${b64(CLEAR)}\n-----END PRIVATE KEY-----\n` }, want: { parsed: true, keyMatches: false, keyError: 'tls.key is not a readable, unencrypted private key' } },
    { name: 'tls.crt not PEM', data: { 'tls.crt': CLEAR, 'tls.key': c.key }, want: { parsed: false, error: 'tls.crt is not a PEM certificate' } },
    { name: 'tls.crt PEM armour around junk', data: { 'tls.crt': `-----BEGIN CERTIFICATE-----\n${b64(CLEAR)}\n-----END CERTIFICATE-----\n`, 'tls.key': c.key }, want: { parsed: false, error: 'tls.crt does not hold a valid X.509 certificate' } },
    { name: 'empty tls.crt', data: { 'tls.crt': '', 'tls.key': '' }, want: { parsed: false, error: 'tls.crt is empty' } },
    { name: 'no tls.crt at all', data: { 'tls.key': c.key }, want: { parsed: false, error: 'tls.crt is missing' } },
  ];
  for (const k of cases) {
    const r = redactSecret(tlsSecret('s', k.data));
    const facts = r.facts.certificate!;
    for (const [field, value] of Object.entries(k.want)) assert.deepEqual(facts[field as keyof typeof facts], value, `${k.name}: ${field}`);
    const text = JSON.stringify(r);
    assert.ok(!text.includes(CLEAR) && !text.includes(b64(CLEAR)), `${k.name}: ${text}`);
  }
});

test('redactSecret: certificate facts for any Secret with tls.crt, none for other Secrets', async () => {
  const c = await makeCert({ names: ['a.test'] });
  assert.equal(redactSecret(tlsSecret('o', { 'tls.crt': c.cert, 'tls.key': c.key }, 'Opaque')).facts.certificate?.keyMatches, true);
  assert.equal(redactSecret(secret('p', { stringData: { key: 'k' } })).facts.certificate, undefined);
  assert.equal(redactSecret(secret('q', { credType: 'key-auth', stringData: { key: 'k' } })).facts.certificate, undefined);
});

test('compareCertificateOrder: deckgen order (tls.crt text, descending), from a key kept off the redacted object', async () => {
  const [c, d] = await Promise.all([makeCert({ names: ['a.test'] }), makeCert({ names: ['b.test'] })]);
  const [first, second] = [c, d].sort((x, y) => (x.cert.trim() > y.cert.trim() ? -1 : 1));
  const a = redactSecret(tlsSecret('a', { 'tls.crt': `\n ${second!.cert}`, 'tls.key': second!.key }));
  const b = redactSecret(tlsSecret('b', { 'tls.crt': first!.cert, 'tls.key': first!.key }));
  assert.ok(compareCertificateOrder(b, a) < 0 && compareCertificateOrder(a, b) > 0);
  assert.equal(compareCertificateOrder(a, redactSecret(tlsSecret('a2', { 'tls.crt': second!.cert, 'tls.key': second!.key }))), 0);
  // Text before the certificate: nothing is kept, and the Secret sorts after every known one.
  const prefixed = redactSecret(tlsSecret('p', { 'tls.crt': `Bag Attributes\n${first!.cert}`, 'tls.key': first!.key }));
  assert.ok(compareCertificateOrder(prefixed, a) > 0);
  for (const r of [a, b, prefixed]) assert.ok(!JSON.stringify(r).includes('BEGIN'), 'the key stays off the object');
});
