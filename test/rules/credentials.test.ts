// credential-invalid and duplicate-credential as KIC 3.x's translator (kongstate/credentials.go, util/credential.go)
// and Kong 3.9.3's credential schemas take a Secret: real manifests from YAML, the real judge.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { K8sObject } from '../../src/model/object.ts';
import { CONSUMER_RULES } from '../../src/rules/consumers.ts';
import { CREDENTIAL_RULES } from '../../src/rules/credentials.ts';
import type { KicVersion } from '../../src/translate/config.ts';
import { yamlObjects } from '../helpers.ts';
import { run } from './support.ts';

/** A credential Secret `cred` typed by the label (or only by the legacy kongCredType field), from YAML. */
function credential(type: string, stringData: Record<string, string>, opts: { legacy?: boolean; name?: string } = {}): K8sObject {
  const data = { ...stringData, ...(opts.legacy ? { kongCredType: type } : {}) };
  const lines = Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
  return yamlObjects(`apiVersion: v1
kind: Secret
metadata:
  name: ${opts.name ?? 'cred'}
  namespace: default
${opts.legacy ? '' : `  labels:\n    konghq.com/credential: ${type}\n`}type: Opaque
stringData:
${lines.length ? lines.join('\n') : '  {}'}
`)[0]!;
}

const consumer = (name: string, credentials: string[]): K8sObject =>
  yamlObjects(`apiVersion: configuration.konghq.com/v1
kind: KongConsumer
metadata:
  name: ${name}
  namespace: default
  annotations:
    kubernetes.io/ingress.class: kong
username: ${name}
credentials: [${credentials.join(', ')}]
`)[0]!;

interface Case {
  name: string;
  objects: K8sObject[];
  kic?: KicVersion;
  /** The field of the one credential-invalid finding, or undefined for none. */
  field?: string;
  mentions?: string[];
}

const CASES: Case[] = [
  // ---- the type: the label only, since KIC 3.2
  { name: 'only the legacy kongCredType field: KIC 3.2+ skips it', objects: [credential('key-auth', { key: 'k' }, { legacy: true }), consumer('bob', ['cred'])], field: 'metadata.labels["konghq.com/credential"]', mentions: ['legacy kongCredType', '"key-auth"', 'lacks konghq.com/credential label', 'KongConsumer default/bob stays without it and, having no other credential, cannot authenticate at all', '401', 'konghq.com/credential=key-auth'] },
  { name: 'neighbour: legacy kongCredType under KIC 3.1 still counts', kic: '3.1', objects: [credential('key-auth', { key: 'k' }, { legacy: true }), consumer('bob', ['cred'])] },
  { name: 'neighbour: the label and the legacy field together', objects: [{ ...credential('key-auth', { key: 'k', kongCredType: 'key-auth' }) }] },
  { name: 'unknown legacy kongCredType under KIC 3.1', kic: '3.1', objects: [credential('basicauth', { username: 'u', password: 'p' }, { legacy: true })], field: 'data.kongCredType', mentions: ['"basic-auth"'] },
  // Regression (found by the hardening property test): a type that names a member of Object.prototype.
  { name: 'type "toString" is an unknown type, not a crash', objects: [credential('toString', { key: 'k' }), consumer('bob', ['cred'])], field: 'metadata.labels["konghq.com/credential"]', mentions: ['unsupported credential type'] },
  { name: 'type "constructor" is an unknown type, not a crash', objects: [credential('constructor', { key: 'k' })], field: 'metadata.labels["konghq.com/credential"]', mentions: ['unsupported credential type'] },
  { name: 'unknown type, with a suggestion', objects: [credential('keyauth', { key: 'k' })], field: 'metadata.labels["konghq.com/credential"]', mentions: ['did you mean "key-auth"', 'unsupported credential type'] },
  { name: 'neighbour: konnect (accepted, not KIC\'s)', objects: [credential('konnect', {})] },
  { name: 'neighbour: a Secret that is no credential', objects: [yamlObjects('apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\nstringData:\n  key: ""\n')[0]!] },
  // ---- what KIC's translator insists on: the credential is skipped, the consumer stays
  { name: 'key-auth without key', objects: [credential('key-auth', { apikey: 'k' }), consumer('bob', ['cred'])], field: 'data.key', mentions: ['without field key', 'key-auth is invalid: no key', 'KongConsumer default/bob stays without it'] },
  { name: 'key-auth without key, the consumer has another credential', objects: [credential('key-auth', { apikey: 'k' }), credential('basic-auth', { username: 'u', password: 'p' }, { name: 'other' }), consumer('bob', ['cred', 'other'])], field: 'data.key', mentions: ['KongConsumer default/bob stays without it, so'] },
  { name: 'hmac-auth without username', objects: [credential('hmac-auth', { secret: 's' })], field: 'data.username', mentions: ['no username'] },
  { name: 'oauth2 without client_id', objects: [credential('oauth2', { name: 'app' })], field: 'data.client_id' },
  { name: 'acl without group', objects: [credential('acl', {})], field: 'data.group' },
  { name: 'mtls-auth without subject_name', objects: [credential('mtls-auth', {})], field: 'data.subject_name' },
  { name: 'jwt without key', objects: [credential('jwt', { algorithm: 'HS256', secret: 's' })], field: 'data.key' },
  // ---- what Kong generates or defaults is not required
  { name: 'neighbour: hmac-auth without secret (Kong generates it)', objects: [credential('hmac-auth', { username: 'u' })] },
  { name: 'neighbour: jwt without algorithm (HS256) and without secret (Kong generates it)', objects: [credential('jwt', { key: 'iss' })] },
  { name: 'neighbour: jwt ES256 without rsa_public_key (Kong requires it for RS*, PS*, EdDSA only)', objects: [credential('jwt', { key: 'iss', algorithm: 'ES256' })] },
  { name: 'neighbour: oauth2 without client_secret and redirect_uris', objects: [credential('oauth2', { name: 'app', client_id: 'id' })] },
  // ---- what Kong requires beyond KIC, or refuses: KIC passes it on, Kong rejects the configuration
  { name: 'basic-auth without password', objects: [credential('basic-auth', { username: 'bob' }), consumer('bob', ['cred'])], field: 'data.password', mentions: ['password: required field missing', 'rejects the configuration', 'Secret default/cred and KongConsumer default/bob, which lists it'] },
  { name: 'jwt RS256 without rsa_public_key', objects: [credential('jwt', { key: 'iss', algorithm: 'RS256' })], field: 'data.rsa_public_key', mentions: ['RS256 needs a public key'] },
  { name: 'jwt with an empty algorithm is HS256: neighbour', objects: [credential('jwt', { key: 'iss', algorithm: '' })] },
  { name: 'jwt with an unknown algorithm', objects: [credential('jwt', { key: 'iss', algorithm: 'RS257', rsa_public_key: 'x' })], field: 'data.algorithm', mentions: ['"RS257"', '"ES256"', '"EdDSA"'] },
  { name: 'key-auth with an empty key', objects: [credential('key-auth', { key: '' })], field: 'data.key', mentions: ['an empty field key', 'length must be at least 1'] },
  { name: 'hmac-auth with an empty secret', objects: [credential('hmac-auth', { username: 'u', secret: '' })], field: 'data.secret', mentions: ['Kong generates what is left out'] },
  // ---- valid
  { name: 'neighbour: key-auth', objects: [credential('key-auth', { key: 'k' }), consumer('bob', ['cred'])] },
  { name: 'neighbour: basic-auth', objects: [credential('basic-auth', { username: 'u', password: 'p' })] },
  { name: 'neighbour: jwt RS256 with rsa_public_key', objects: [credential('jwt', { key: 'iss', algorithm: 'RS256', rsa_public_key: '-----BEGIN PUBLIC KEY-----' })] },
  { name: 'neighbour: acl, mtls-auth', objects: [credential('acl', { group: 'admins' }, { name: 'a' }), credential('mtls-auth', { subject_name: 'CN=bob' }, { name: 'm' })] },
];

for (const c of CASES) {
  test(`credential-invalid: ${c.name}`, () => {
    const found = run(c.objects, CREDENTIAL_RULES, c.kic);
    assert.deepEqual(found.map((f) => f.field), c.field ? [c.field] : [], found.map((f) => f.message).join('\n'));
    for (const f of found) {
      assert.equal(f.severity, 'deny');
      for (const m of c.mentions ?? []) assert.ok(f.message.includes(m), `"${m}" missing from: ${f.message}`);
      assert.match(f.fix, /^[a-z].*\.$/, 'a fix is a lower-case sentence');
    }
  });
}

test('duplicate-credential: a legacy-only Secret (KIC 3.2+ skips it) conflicts with nothing; under KIC 3.1 it does', () => {
  const objects = [
    credential('key-auth', { key: 'same' }, { name: 'bob-key' }),
    credential('key-auth', { key: 'same' }, { name: 'alice-key', legacy: true }),
    consumer('bob', ['bob-key']),
    consumer('alice', ['alice-key']),
  ];
  const dup = (kic?: KicVersion) => run(objects, CONSUMER_RULES, kic).filter((f) => f.rule === 'duplicate-credential');
  assert.deepEqual(dup().map((f) => f.message), []);
  assert.equal(dup('3.1').length, 1);
});

test('no message ever contains a credential value', () => {
  const VALUE = 'Zq9-SECRET-VALUE-do-not-echo-7781';
  const secrets = [
    credential('key-auth', { apikey: VALUE }),
    credential('keyauth', { key: VALUE }),
    credential('jwt', { key: VALUE, algorithm: 'RS256', secret: VALUE }),
    credential('jwt', { key: VALUE, algorithm: 'XX999', rsa_public_key: VALUE }),
    credential('basic-auth', { username: VALUE, password: '' }),
    credential('oauth2', { name: VALUE }),
    credential('key-auth', { key: VALUE }, { legacy: true }),
  ].map((s, i) => ({ ...s, metadata: { ...s.metadata, name: `cred-${i}` } }));
  const found = run(secrets, CREDENTIAL_RULES);
  assert.ok(found.length >= secrets.length, 'every Secret has a finding');
  for (const f of found) assert.ok(!JSON.stringify(f).includes(VALUE), `value leaked: ${f.message}`);
  const b64 = { ...credential('key-auth', {}), data: { apikey: Buffer.from(VALUE).toString('base64') } };
  for (const f of run([b64], CREDENTIAL_RULES)) assert.ok(!JSON.stringify(f).includes(VALUE) && !JSON.stringify(f).includes(Buffer.from(VALUE).toString('base64')));
});
