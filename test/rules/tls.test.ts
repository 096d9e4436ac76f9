// TLS rules with real certificates made in the test (selfsigned) and a fixed clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonFinding } from '../../src/cli/output.ts';
import { everything, judge } from '../../src/engine/judge.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { dependencies } from '../../src/model/dependencies.ts';
import { Judgements } from '../../src/engine/judgements.ts';
import { touchedReads } from '../../src/state/reads.ts';
import { describe, keyOf, refKey, refOf, type K8sObject } from '../../src/model/object.ts';
import type { Finding, Rule } from '../../src/rules/rule.ts';
import { sanCovers, TLS_RULES } from '../../src/rules/tls.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { yamlObjects } from '../helpers.ts';
import { b64, gateway, gatewayClass, ingress, ingressClass, secret, service } from '../unit/builders.ts';
import { makeCert, pemBody } from './tls-certs.ts';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2030-06-01T12:00:00Z');

// ---- certificates, made once

const longAgo = new Date('2025-01-01T00:00:00Z');
const app = await makeCert({ names: ['app.example.com'], notBefore: longAgo });
const other = await makeCert({ names: ['app.example.com'], notBefore: longAgo });
const wildcard = await makeCert({ names: ['*.example.com'], notBefore: longAgo });
const expired = await makeCert({ names: ['app.example.com'], notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z'), keyPair: app });
const expiring = await makeCert({ names: ['app.example.com'], notBefore: longAgo, notAfter: new Date(NOW.getTime() + 5 * DAY), keyPair: app });
const lastDay = await makeCert({ names: ['app.example.com'], notBefore: longAgo, notAfter: new Date(NOW.getTime() + 14 * DAY), keyPair: app });
const month = await makeCert({ names: ['app.example.com'], notBefore: longAgo, notAfter: new Date(NOW.getTime() + 30 * DAY), keyPair: app });
const future = await makeCert({ names: ['app.example.com'], notBefore: new Date(NOW.getTime() + 10 * DAY), keyPair: app });

// ---- objects

const tlsSecret = (name: string, data: Record<string, string>, type = 'kubernetes.io/tls'): K8sObject => ({ ...secret(name, { stringData: data }), type });
const pair = (name: string, c: { cert: string }, k: { key: string }) => tlsSecret(name, { 'tls.crt': c.cert, 'tls.key': k.key });

function tlsIngress(name: string, hosts: string[], secretName: string, className = 'kong'): K8sObject {
  return ingress(name, {
    className,
    paths: hosts.map((host) => ({ host, path: '/', service: 'echo', port: 80 })),
    spec: { tls: [{ hosts, secretName }] },
  });
}

function httpsGateway(hostname: string | undefined, secretName: string): K8sObject {
  return gateway('kong', {
    spec: { listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, ...(hostname ? { hostname } : {}), tls: { certificateRefs: [{ kind: 'Secret', name: secretName }] } }] },
  });
}

const base = (): K8sObject[] => [ingressClass('kong', { isDefault: true }), gatewayClass('kong'), service('echo')];

function findings(objects: K8sObject[], rules: readonly Rule[] = TLS_RULES): Finding[] {
  const store = new Store(objects);
  return judge(new Translator(store, DEFAULT_TRANSLATE_CONFIG), DEFAULT_POLICY, everything([...store.all()].map(keyOf)), { rules, now: NOW });
}

interface Case {
  rule: string;
  name: string;
  objects: K8sObject[];
  want: { on: string; field?: string; mentions?: string[]; related?: string[] }[];
}

const cases: Case[] = [
  // ---- missing-tls-secret
  {
    rule: 'missing-tls-secret',
    name: 'Ingress tls names a Secret that does not exist',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls')],
    want: [{ on: 'Ingress default/web', field: 'spec.tls[0].secretName', related: ['Secret default/app-tls'], mentions: ['does not exist', '"app.example.com"', 'default certificate'] }],
  },
  {
    rule: 'missing-tls-secret',
    name: 'neighbour: the Secret exists',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), pair('app-tls', app, app)],
    want: [],
  },
  {
    rule: 'missing-tls-secret',
    name: 'Gateway listener certificateRef names a Secret that does not exist',
    objects: [...base(), httpsGateway('app.example.com', 'gw-tls')],
    want: [{ on: 'Gateway default/kong', field: 'spec.listeners[0].tls.certificateRefs[0]', related: ['Secret default/gw-tls'] }],
  },
  {
    rule: 'missing-tls-secret',
    name: 'a Secret with empty tls.crt and tls.key holds no certificate yet (cert-manager before issuing)',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), tlsSecret('app-tls', { 'tls.crt': '', 'tls.key': '' })],
    want: [{ on: 'Ingress default/web', mentions: ['holds no certificate yet'] }],
  },
  {
    rule: 'missing-tls-secret',
    name: 'neighbour: an Ingress of another class is not KIC\'s business',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls', 'nginx')],
    want: [],
  },
  {
    rule: 'missing-tls-secret',
    name: 'two tls entries naming one missing Secret give one finding with both hosts',
    objects: [
      ...base(),
      ingress('web', { className: 'kong', paths: [{ host: 'a.example.com', service: 'echo', port: 80 }], spec: { tls: [{ hosts: ['a.example.com'], secretName: 's' }, { hosts: ['b.example.com'], secretName: 's' }] } }),
    ],
    want: [{ on: 'Ingress default/web', mentions: ['"a.example.com" and "b.example.com"'] }],
  },
  // ---- invalid-tls-secret
  {
    rule: 'invalid-tls-secret',
    name: 'tls.key belongs to another certificate',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), pair('app-tls', app, other)],
    want: [{ on: 'Ingress default/web', field: 'spec.tls[0].secretName', related: ['Secret default/app-tls'], mentions: ['tls.key does not match the certificate', 'failed to construct certificate from secret'] }],
  },
  {
    rule: 'invalid-tls-secret',
    name: 'no tls.key (an Opaque Secret with only tls.crt)',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), tlsSecret('app-tls', { 'tls.crt': app.cert }, 'Opaque')],
    want: [{ on: 'Ingress default/web', mentions: ['tls.key is missing'] }],
  },
  {
    rule: 'invalid-tls-secret',
    name: 'tls.crt is not PEM',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), tlsSecret('app-tls', { 'tls.crt': 'not a certificate', 'tls.key': app.key })],
    want: [{ on: 'Ingress default/web', mentions: ['tls.crt is not a PEM certificate'] }],
  },
  {
    rule: 'invalid-tls-secret',
    name: 'an Opaque Secret without tls.crt',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), secret('app-tls', { stringData: { key: 'k' } })],
    want: [{ on: 'Ingress default/web', mentions: ['it has no tls.crt'] }],
  },
  {
    rule: 'invalid-tls-secret',
    name: 'Gateway listener with a mismatched key',
    objects: [...base(), httpsGateway('app.example.com', 'gw-tls'), pair('gw-tls', app, other)],
    want: [{ on: 'Gateway default/kong', field: 'spec.listeners[0].tls.certificateRefs[0]' }],
  },
  {
    rule: 'invalid-tls-secret',
    name: 'neighbour: certificate and its own key (also through base64 data)',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), { ...secret('app-tls', { data: { 'tls.crt': b64(app.cert), 'tls.key': b64(app.key) } }), type: 'kubernetes.io/tls' }],
    want: [],
  },
  {
    rule: 'invalid-tls-secret',
    name: 'neighbour: an empty Secret is missing-tls-secret\'s (a warning), not a denial',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), tlsSecret('app-tls', { 'tls.crt': '', 'tls.key': '' })],
    want: [],
  },
  // ---- tls-certificate-expiry
  {
    rule: 'tls-certificate-expiry',
    name: 'expired',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), pair('app-tls', expired, app)],
    want: [{ on: 'Ingress default/web', field: 'spec.tls[0].secretName', mentions: ['expired on 2021-01-01', 'days ago'] }],
  },
  {
    rule: 'tls-certificate-expiry',
    name: 'expires in 5 days',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), pair('app-tls', expiring, app)],
    want: [{ on: 'Ingress default/web', mentions: ['in 5 days'] }],
  },
  {
    rule: 'tls-certificate-expiry',
    name: 'expires in exactly 14 days',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), pair('app-tls', lastDay, app)],
    want: [{ on: 'Ingress default/web', mentions: ['in 14 days'] }],
  },
  {
    rule: 'tls-certificate-expiry',
    name: 'neighbour: expires in 30 days',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), pair('app-tls', month, app)],
    want: [],
  },
  {
    rule: 'tls-certificate-expiry',
    name: 'not valid yet',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), pair('app-tls', future, app)],
    want: [{ on: 'Ingress default/web', mentions: ['is not valid before'] }],
  },
  {
    rule: 'tls-certificate-expiry',
    name: 'Gateway listener with an expired certificate',
    objects: [...base(), httpsGateway('app.example.com', 'gw-tls'), pair('gw-tls', expired, app)],
    want: [{ on: 'Gateway default/kong', field: 'spec.listeners[0].tls.certificateRefs[0]' }],
  },
  {
    rule: 'tls-certificate-expiry',
    name: 'neighbour: an expired certificate with the wrong key is only invalid-tls-secret\'s',
    objects: [...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), pair('app-tls', expired, other)],
    want: [],
  },
  // ---- tls-host-not-covered
  {
    rule: 'tls-host-not-covered',
    name: 'host outside the certificate\'s names',
    objects: [...base(), tlsIngress('web', ['www.example.com'], 'app-tls'), pair('app-tls', app, app)],
    want: [{ on: 'Ingress default/web', field: 'spec.tls[0].hosts[0]', related: ['Secret default/app-tls'], mentions: ['"www.example.com"', 'valid only for "app.example.com"', 'hostname mismatch', '"*.example.com"'] }],
  },
  {
    rule: 'tls-host-not-covered',
    name: 'neighbour: a wildcard covers one label',
    objects: [...base(), tlsIngress('web', ['www.example.com'], 'wild-tls'), pair('wild-tls', wildcard, wildcard)],
    want: [],
  },
  {
    rule: 'tls-host-not-covered',
    name: 'a wildcard does not cover two labels, nor the bare domain',
    objects: [...base(), tlsIngress('web', ['a.b.example.com', 'example.com', 'ok.example.com'], 'wild-tls'), pair('wild-tls', wildcard, wildcard)],
    want: [
      { on: 'Ingress default/web', field: 'spec.tls[0].hosts[0]', mentions: ['"a.b.example.com"'] },
      { on: 'Ingress default/web', field: 'spec.tls[0].hosts[1]', mentions: ['"example.com"'] },
    ],
  },
  {
    rule: 'tls-host-not-covered',
    name: 'a wildcard host needs a wildcard name',
    objects: [...base(), tlsIngress('web', ['*.example.com'], 'app-tls'), pair('app-tls', app, app)],
    want: [{ on: 'Ingress default/web', mentions: ['"*.example.com"'] }],
  },
  {
    rule: 'tls-host-not-covered',
    name: 'neighbour: a wildcard host with the same wildcard name, and host case does not matter',
    objects: [...base(), tlsIngress('web', ['*.example.com'], 'wild-tls'), pair('wild-tls', wildcard, wildcard), tlsIngress('web2', ['APP.example.com'], 'app-tls'), pair('app-tls', app, app)],
    want: [],
  },
  {
    rule: 'tls-host-not-covered',
    name: 'Gateway listener hostname not covered',
    objects: [...base(), httpsGateway('api.example.org', 'gw-tls'), pair('gw-tls', app, app)],
    want: [{ on: 'Gateway default/kong', field: 'spec.listeners[0].hostname', mentions: ['"api.example.org"'] }],
  },
  {
    rule: 'tls-host-not-covered',
    name: 'neighbour: a Gateway listener without hostname has no SNI to check',
    objects: [...base(), httpsGateway(undefined, 'gw-tls'), pair('gw-tls', app, app)],
    want: [],
  },
  {
    rule: 'tls-host-not-covered',
    name: 'neighbour: an unusable Secret is invalid-tls-secret\'s',
    objects: [...base(), tlsIngress('web', ['www.example.com'], 'app-tls'), pair('app-tls', app, other)],
    want: [],
  },
];

for (const c of cases) {
  test(`${c.rule}: ${c.name}`, () => {
    const got = findings(c.objects).filter((f) => f.rule === c.rule);
    assert.equal(got.length, c.want.length, got.map((f) => f.message).join('\n') || '(no findings)');
    c.want.forEach((w, i) => {
      const f = got[i]!;
      assert.equal(describe(f.object), w.on);
      if (w.field) assert.equal(f.field, w.field);
      if (w.related) assert.deepEqual(f.related.map(describe), w.related);
      for (const m of w.mentions ?? []) assert.ok(f.message.includes(m), `"${m}" not in: ${f.message}`);
      assert.equal(f.severity, TLS_RULES.find((r) => r.id === c.rule)!.severity);
    });
  });
}

test('sanCovers: exact names and one-label wildcards, case-insensitive', () => {
  const table: [string, string, boolean][] = [
    ['app.example.com', 'app.example.com', true],
    ['app.example.com', 'APP.Example.com', true],
    ['app.example.com', 'app.example.com.', true],
    ['*.example.com', 'www.example.com', true],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', 'example.com', false],
    ['*.example.com', '*.example.com', true],
    ['*.example.com', '*.a.example.com', false],
    ['app.example.com', '*.example.com', false],
    ['example.com', 'www.example.com', false],
  ];
  for (const [san, host, want] of table) assert.equal(sanCovers(san, host), want, `${san} vs ${host}`);
});

test('without a clock in the options the rules see the real one: a certificate valid for 100 years gives no expiry warning, one expired in 2021 does', () => {
  const realClock = (objects: K8sObject[]) => {
    const store = new Store(objects);
    return judge(new Translator(store, DEFAULT_TRANSLATE_CONFIG), DEFAULT_POLICY, everything([...store.all()].map(keyOf)), { rules: TLS_RULES });
  };
  assert.deepEqual(realClock([...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), pair('app-tls', app, app)]), []);
  const got = realClock([...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), pair('app-tls', expired, app)]);
  assert.deepEqual(got.map((f) => f.rule), ['tls-certificate-expiry']);
});

// ---- examples

for (const rule of TLS_RULES) {
  test(`${rule.id}: the bad example yields it, the good one yields no TLS finding`, () => {
    assert.ok(rule.examples, 'has examples');
    const bad = findings(yamlObjects(rule.examples.bad), TLS_RULES);
    assert.ok(bad.some((f) => f.rule === rule.id), bad.map((f) => f.rule).join(', ') || '(none)');
    assert.deepEqual(findings(yamlObjects(rule.examples.good), TLS_RULES).map((f) => f.message), []);
  });
}

// ---- never leak

test('no certificate or key bytes reach findings, their JSON output or the stored Secret', async () => {
  const marked = await makeCert({ names: ['leak.example.com'], notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') });
  const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak-tls' }, stringData: { 'tls.crt': marked.cert, 'tls.key': other.key } });
  const leaking: K8sObject = {
    ...secret('leak-tls', { data: { 'tls.crt': b64(marked.cert) }, stringData: { 'tls.key': other.key }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } }),
    type: 'kubernetes.io/tls',
  };
  // Certificate parses, key does not match, host not covered, expired: every rule that reads the Secret has a say.
  const objects = [...base(), tlsIngress('web', ['www.example.com'], 'leak-tls'), leaking, tlsIngress('web2', ['www.example.com'], 'leak2-tls'), pair('leak2-tls', marked, marked)];
  const store = new Store(objects);
  const got = judge(new Translator(store, DEFAULT_TRANSLATE_CONFIG), DEFAULT_POLICY, everything([...store.all()].map(keyOf)), { rules: TLS_RULES, now: NOW });
  assert.deepEqual(new Set(got.map((f) => f.rule)), new Set(['invalid-tls-secret', 'tls-certificate-expiry', 'tls-host-not-covered']));
  const texts = [
    JSON.stringify(got),
    JSON.stringify(got.map((f) => jsonFinding(f, (k) => store.get(k)))),
    JSON.stringify(store.get(refKey({ group: '', kind: 'Secret', namespace: 'default', name: 'leak-tls' }))),
    JSON.stringify(store.get(refKey({ group: '', kind: 'Secret', namespace: 'default', name: 'leak2-tls' }))),
  ];
  const needles = [...pemBody(marked.cert), ...pemBody(marked.key), ...pemBody(other.key), b64(marked.cert).slice(60, 120), b64(other.key).slice(60, 120)];
  for (const text of texts) {
    assert.ok(!text.includes('-----BEGIN'), 'PEM armour');
    for (const n of needles) assert.ok(!text.includes(n), `leaked "${n}"`);
  }
});

// ---- graph: TLS Secret changes reach their Ingresses

test('dependencies: Ingress spec.tls[].secretName is an edge to the Secret in the Ingress namespace', () => {
  const ing = ingress('web', { ns: 'team-a', className: 'kong', spec: { tls: [{ hosts: ['a.example.com'], secretName: 'a-tls' }, { hosts: ['b.example.com'] }] } });
  const secrets = dependencies(ing).filter((d) => d.ref.kind === 'Secret');
  assert.deepEqual(secrets, [{ ref: { group: '', kind: 'Secret', namespace: 'team-a', name: 'a-tls' }, field: 'spec.tls[0].secretName', inKicGraph: false }]);
});

test('scope: a TLS Secret change brings the Ingresses and Gateways serving it into scope', () => {
  const store = new Store([...base(), tlsIngress('web', ['app.example.com'], 'app-tls'), httpsGateway('app.example.com', 'app-tls'), tlsIngress('other', ['x.example.com'], 'x-tls'), pair('app-tls', app, app)]);
  const key = refKey({ group: '', kind: 'Secret', namespace: 'default', name: 'app-tls' });
  // The scope is derived from what the rules read: every judgement that read the Secret.
  const keys = Judgements.of(store, DEFAULT_POLICY).scopeOf(touchedReads(store.get(key), store.get(key)), key).keys();
  const names = [...keys].flatMap((k) => store.get(k) ?? []).filter((o) => o.kind !== 'Secret').map((o) => describe(refOf(o))).sort();
  assert.deepEqual(names, ['Gateway default/kong', 'Ingress default/web']);
});
