// Secret values never leave the process (issue 7). Credential Secrets (key-auth key, basic-auth password,
// hmac-auth secret, jwt rsa_public_key, oauth2 client_secret) and TLS Secrets carry recognisable canaries,
// base64 in `data`, clear in `stringData`, and clear again in kubectl's last-applied-configuration
// annotation. They go through every path: HTTPS reviews that deny, warn and allow (responses, warnings,
// audit annotations), the logs at debug level, /metrics, the problems report, and the CLI (`check` human
// and JSON, whole state and changes, `problems`, `translate` (json, deck, deck-json), `trace`, a manifest that does not parse). No canary
// appears anywhere: not whole, not base64 (at any alignment), not as any 8-character piece.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { ProblemTracker } from '../../src/engine/problems.ts';
import { CREDENTIAL_LABEL, LAST_APPLIED_ANNOTATION } from '../../src/model/annotations.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { ruleById } from '../../src/rules/index.ts';
import { APP_CERT, APP_KEY } from '../../src/rules/tls-example-certs.ts';
import { buildDiagnostics } from '../../src/server/diagnostics.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { buildWebhook, type WebhookApp } from '../../src/server/webhook.ts';
import { kindInfo } from '../../src/model/kinds.ts';
import { startInformers } from '../../src/state/informers.ts';
import { Store } from '../../src/state/store.ts';
import { FakeApiServer, kubeConfigFor, waitFor } from '../informers/fake-apiserver.ts';
import { makeCa, makeServing, tempDir, type TestCa } from '../wire/certs.ts';
import { get, post } from '../wire/client.ts';
import { ROOT } from '../wire/spawn.ts';

// ---- canaries and how to look for them ----

const CANARY = Array.from({ length: 12 }, (_, i) => `LEAK-CANARY-${i}-${randomBytes(6).toString('hex')}`);

/** Every form a canary could take in output: whole, any 8-character piece, base64 at each byte alignment. */
function needles(canary: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 8 <= canary.length; i++) out.add(canary.slice(i, i + 8));
  for (let k = 0; k < 3; k++) {
    // Inside a longer base64 text the canary starts at some offset mod 3; drop the edge characters that
    // depend on its neighbours.
    const b64 = Buffer.from(canary.slice(k)).toString('base64').replace(/=+$/, '');
    out.add(b64.slice(0, b64.length - 4));
    out.add(Buffer.from(canary.slice(k)).toString('base64url').replace(/=+$/, '').slice(0, b64.length - 4));
  }
  out.add(Buffer.from(canary).toString('hex'));
  return [...out].filter((n) => n.length >= 8);
}

const NEEDLES = CANARY.flatMap((c) => needles(c).map((n) => [c, n] as const));

function assertClean(where: string, text: string): void {
  assert.ok(text.length > 0, `${where}: nothing to look at`);
  for (const [canary, needle] of NEEDLES) {
    const at = text.indexOf(needle);
    assert.ok(at < 0, `${where} leaks ${canary} as "${needle}": …${text.slice(Math.max(0, at - 80), at + 80)}…`);
  }
}

/** The TLS rules are being wired in (src/rules/tls.ts): expect their findings once they are registered. */
const TLS_RULES = ruleById('invalid-tls-secret') !== undefined;

// ---- the objects ----

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A Secret as `kubectl apply` leaves it: values in data (or stringData) and in clear in last-applied. */
function secret(name: string, fields: Record<string, string>, opts: { type?: string; label?: string; labels?: Record<string, string>; clear?: boolean } = {}): K8sObject {
  const labels = opts.label ? { [CREDENTIAL_LABEL]: opts.label } : opts.labels;
  const applied = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, stringData: fields, ...(opts.type ? { type: opts.type } : {}) };
  const obj: K8sObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', ...(labels ? { labels } : {}), annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(applied) + '\n' } },
    ...(opts.type ? { type: opts.type } : {}),
  };
  if (opts.clear) obj.stringData = fields;
  else obj.data = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, b64(v)]));
  return obj;
}

function consumer(name: string, credentials: string[], created = '2026-01-01T00:00:00Z'): K8sObject {
  return {
    apiVersion: 'configuration.konghq.com/v1',
    kind: 'KongConsumer',
    metadata: { name, namespace: 'default', creationTimestamp: created, annotations: { 'kubernetes.io/ingress.class': 'kong' } },
    username: name,
    credentials,
  };
}

function tlsIngress(name: string, secretName: string): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      ingressClassName: 'kong',
      tls: [{ hosts: ['app.example.com'], secretName }],
      rules: [{ host: 'app.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'echo', port: { number: 80 } } } }] } }],
    },
  };
}

const RSA_PUBLIC_KEY_WITH_CANARY = `-----BEGIN PUBLIC KEY-----\n${b64(CANARY[3]!)}\n${CANARY[3]}\n-----END PUBLIC KEY-----\n`;

/** The state: every credential type, a duplicate key-auth key (bob and alice), a good and a broken TLS Secret. */
function state(): K8sObject[] {
  return [
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'kong', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'ingress-controllers.konghq.com/kong' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    secret('bob-key', { key: CANARY[0]! }, { label: 'key-auth' }),
    secret('alice-key', { key: CANARY[0]! }, { label: 'key-auth', clear: true }),
    secret('carol-basic', { username: 'carol', password: CANARY[1]! }, { label: 'basic-auth' }),
    secret('dave-hmac', { username: 'dave', secret: CANARY[2]! }, { label: 'hmac-auth', clear: true }),
    secret('erin-jwt', { key: 'erin-issuer', algorithm: 'RS256', rsa_public_key: RSA_PUBLIC_KEY_WITH_CANARY }, { label: 'jwt' }),
    secret('frank-oauth', { name: 'frank-app', client_id: 'frank-client', client_secret: CANARY[4]!, redirect_uris: 'https://frank.example.com/cb' }, { label: 'oauth2' }),
    secret('gina-key', { key: CANARY[7]! }, { label: 'key-auth' }),
    consumer('bob', ['bob-key'], '2025-01-01T00:00:00Z'),
    consumer('alice', ['alice-key']),
    consumer('carol', ['carol-basic']),
    consumer('dave', ['dave-hmac']),
    consumer('erin', ['erin-jwt']),
    consumer('frank', ['frank-oauth']),
    consumer('gina', ['gina-key']),
    secret('web-tls', { 'tls.crt': APP_CERT, 'tls.key': APP_KEY }, { type: 'kubernetes.io/tls' }),
    secret('junk-tls', { 'tls.crt': CANARY[6]!, 'tls.key': CANARY[6]! }, { type: 'kubernetes.io/tls' }),
    tlsIngress('web', 'web-tls'),
    tlsIngress('junk', 'junk-tls'),
    // Read although no label names them (src/model/secret-selection.ts): a plugin's configuration, an app's Secret.
    secret('rate-limit-config', { config: `{"minute": 5, "redis_password": "${CANARY[10]}"}` }),
    { apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name: 'rate-limit', namespace: 'default' }, plugin: 'rate-limiting', configFrom: { secretKeyRef: { name: 'rate-limit-config', key: 'config' } } },
    secret('app-db', { password: CANARY[11]! }),
  ];
}

function review(uid: string, operation: 'CREATE' | 'UPDATE' | 'DELETE', object: K8sObject | null, oldObject: K8sObject | null): string {
  const subject = (object ?? oldObject)!;
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: '', version: 'v1', kind: 'Secret' },
      resource: { group: '', version: 'v1', resource: 'secrets' },
      requestKind: { group: '', version: 'v1', kind: 'Secret' },
      requestResource: { group: '', version: 'v1', resource: 'secrets' },
      name: subject.metadata.name,
      namespace: 'default',
      operation,
      userInfo: { username: 'kubernetes-admin', groups: ['system:masters'] },
      object,
      oldObject,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: operation === 'DELETE' ? 'DeleteOptions' : `${operation[0]}${operation.slice(1).toLowerCase()}Options` },
    },
  });
}

class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** The reviews, and what each must produce (so the test proves each path was really taken). */
const REVIEWS: { name: string; body: () => string; expect: (r: any) => void }[] = [
  {
    name: 'UPDATE gina-key to bob\'s key: denied (duplicate-credential, caused by the Secret change)',
    body: () => review('u-deny-dup', 'UPDATE', secret('gina-key', { key: CANARY[0]! }, { label: 'key-auth' }), secret('gina-key', { key: CANARY[7]! }, { label: 'key-auth' })),
    expect: (r) => {
      assert.equal(r.allowed, false);
      assert.match(r.status.message, /^duplicate-credential: .*Caused by this change to Secret default\/gina-key/);
      assert.equal(r.auditAnnotations['denied-rules'], 'duplicate-credential');
    },
  },
  {
    name: 'UPDATE carol-basic without its username: denied (credential-invalid)',
    body: () => review('u-deny-invalid', 'UPDATE', secret('carol-basic', { password: CANARY[8]! }, { label: 'basic-auth', clear: true }), secret('carol-basic', { username: 'carol', password: CANARY[1]! }, { label: 'basic-auth' })),
    expect: (r) => {
      assert.equal(r.allowed, false);
      assert.match(r.status.message, /^credential-invalid: /);
      assert.match(r.status.message, /Caused by|username/);
    },
  },
  {
    name: 'DELETE carol-basic while carol lists it: allowed with a warning',
    body: () => review('u-warn', 'DELETE', null, secret('carol-basic', { username: 'carol', password: CANARY[1]! }, { label: 'basic-auth' })),
    expect: (r) => {
      assert.equal(r.allowed, true);
      assert.match(r.warnings.join('\n'), /missing-credential-secret/);
      assert.equal(r.auditAnnotations['warned-rules'], 'missing-credential-secret');
    },
  },
  {
    name: 'UPDATE frank-oauth\'s client_secret: allowed',
    body: () =>
      review('u-allow', 'UPDATE', secret('frank-oauth', { name: 'frank-app', client_id: 'frank-client', client_secret: CANARY[9]!, redirect_uris: 'https://frank.example.com/cb' }, { label: 'oauth2' }), state().find((o) => o.metadata.name === 'frank-oauth')!),
    expect: (r) => {
      assert.equal(r.allowed, true);
      assert.equal(r.warnings, undefined);
    },
  },
  {
    name: 'CREATE a jwt Secret with the canary public key: judged',
    body: () => review('u-jwt', 'CREATE', secret('ivan-jwt', { key: 'ivan-issuer', algorithm: 'RS256', rsa_public_key: RSA_PUBLIC_KEY_WITH_CANARY }, { label: 'jwt' }), null),
    expect: (r) => assert.equal(typeof r.allowed, 'boolean'),
  },
  {
    name: 'UPDATE web-tls to a broken key (the canary in tls.key): invalid-tls-secret on Ingress web',
    body: () =>
      review(
        'u-tls',
        'UPDATE',
        secret('web-tls', { 'tls.crt': APP_CERT, 'tls.key': `-----BEGIN PRIVATE KEY-----\n${b64(CANARY[5]!)}\n-----END PRIVATE KEY-----\n` }, { type: 'kubernetes.io/tls', clear: true }),
        secret('web-tls', { 'tls.crt': APP_CERT, 'tls.key': APP_KEY }, { type: 'kubernetes.io/tls' }),
      ),
    expect: (r) => {
      const all = [r.status?.message ?? '', ...(r.warnings ?? [])].join('\n');
      if (TLS_RULES) assert.match(all, /invalid-tls-secret/);
    },
  },
  {
    name: 'UPDATE rate-limit-config (labelled konghq.com/validate) without the key the plugin reads: a warning, never the value',
    body: () =>
      review(
        'u-plugin-config',
        'UPDATE',
        secret('rate-limit-config', { other: CANARY[10]! }, { labels: { 'konghq.com/validate': 'plugin' }, clear: true }),
        secret('rate-limit-config', { config: `{"minute": 5, "redis_password": "${CANARY[10]}"}` }, { labels: { 'konghq.com/validate': 'plugin' } }),
      ),
    expect: (r) => {
      assert.equal(r.allowed, true);
      assert.match(r.warnings.join('\n'), /plugin-config-secret-missing: .*key "config" of Secret default\/rate-limit-config/);
    },
  },
  {
    name: 'CREATE a TLS Secret whose tls.crt is the canary: a finding, never the value',
    body: () => review('u-tls-junk', 'CREATE', secret('junk2-tls', { 'tls.crt': CANARY[6]!, 'tls.key': CANARY[6]! }, { type: 'kubernetes.io/tls' }), null),
    expect: (r) => assert.equal(typeof r.allowed, 'boolean'),
  },
];

describe('Secret values never leave the process', () => {
  let ca: TestCa;
  let app: WebhookApp;
  let diagnostics: ReturnType<typeof buildDiagnostics>;
  let port: number;
  let diagPort: number;
  let tracker: ProblemTracker;
  const logs = new LogCapture();
  const answers: { name: string; text: string }[] = [];

  before(async () => {
    ca = await makeCa();
    const store = new Store(state());
    tracker = new ProblemTracker(store, DEFAULT_POLICY);
    store.subscribe((b, a) => tracker.observe(b, a));
    const metrics = createMetrics({ defaultMetrics: true, stateObjects: () => store.size, problems: () => tracker.report() });
    const logger = pino({ level: 'debug' }, logs);
    app = buildWebhook({ getView: () => store, policy: DEFAULT_POLICY, tls: await makeServing(ca), logger, metrics });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    diagnostics = buildDiagnostics({ metrics, isReady: () => true, problems: () => tracker.report(), logger });
    await diagnostics.listen({ port: 0, host: '127.0.0.1' });
    diagPort = (diagnostics.server.address() as { port: number }).port;
  });

  after(async () => {
    await app.close();
    await diagnostics.close();
  });

  test('the canaries are really in the inputs (the test would see a leak)', () => {
    const input = JSON.stringify(state());
    for (const c of [CANARY[0]!, CANARY[1]!, CANARY[2]!, CANARY[3]!, CANARY[4]!, CANARY[6]!, CANARY[10]!, CANARY[11]!]) assert.ok(input.includes(c) && input.includes(b64(c).slice(0, 12)), c);
    assert.throws(() => assertClean('self-check', `x ${b64(`ab${CANARY[1]}`)} y`), /leaks/);
    assert.throws(() => assertClean('self-check', `x ${CANARY[2]!.slice(3, 12)} y`), /leaks/);
  });

  for (const r of REVIEWS) {
    test(`HTTPS review: ${r.name}; the answer and its audit annotations hold no canary`, async () => {
      const body = r.body();
      const res = await post(port, ca.cert, body);
      assert.equal(res.status, 200, res.text);
      r.expect(res.json.response);
      answers.push({ name: r.name, text: res.text });
      assertClean(`the answer to "${r.name}"`, res.text);
      assertClean(`the audit annotations of "${r.name}"`, JSON.stringify(res.json.response.auditAnnotations ?? { none: true }));
    });
  }

  test('malformed reviews that carry the canaries: the 4xx answers hold none', async () => {
    const good = JSON.parse(REVIEWS[0]!.body());
    const bodies = [
      JSON.stringify({ ...good, apiVersion: CANARY[0] }),
      JSON.stringify({ ...good, kind: CANARY[1] }),
      JSON.stringify({ ...good, request: { ...good.request, operation: CANARY[2] } }),
      JSON.stringify({ ...good, request: { ...good.request, object: { ...good.request.object, metadata: { ...good.request.object.metadata, annotations: { [LAST_APPLIED_ANNOTATION]: { v: CANARY[3] } } } } } }),
      `{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"password":"${CANARY[4]}`,
      `{"x": "${CANARY[5]}" "y"}`,
    ];
    for (const body of bodies) {
      const res = await post(port, ca.cert, body);
      assert.equal(res.status, 400, res.text);
      assertClean(`the 400 for ${body.slice(0, 60)}`, res.text);
    }
  });

  test('the logs, at debug level, hold no canary', () => {
    assert.ok(logs.text.includes('u-deny-dup') && logs.text.includes('u-tls'), 'the reviews were logged');
    assertClean('the logs', logs.text);
  });

  test('/metrics holds no canary', async () => {
    const res = await get(diagPort, '/metrics');
    assert.equal(res.status, 200);
    // A duplicate credential is a translation failure (KIC drops the consumers): denied, no fallback.
    assert.match(res.text, /ingress_guard_denied_objects\{rule="duplicate-credential",kind="KongConsumer"\} 1/);
    assertClean('/metrics', res.text);
  });

  test('the problems report (/debug/config/problems and ProblemTracker.report) holds no canary', async () => {
    const res = await get(diagPort, '/debug/config/problems');
    assert.equal(res.status, 200);
    const report = JSON.parse(res.text);
    const rules = [...(report.brokenObjects ?? []), ...(report.deniedObjects ?? [])].flatMap((o: { findings: { rule: string }[] }) => o.findings.map((f) => f.rule));
    assert.ok(rules.includes('duplicate-credential'), rules.join());
    if (TLS_RULES) assert.ok(rules.includes('invalid-tls-secret'), rules.join());
    assertClean('/debug/config/problems', res.text);
    assertClean('ProblemTracker.report()', JSON.stringify(tracker.report()));
    assertClean('ProblemTracker.allFindings()', JSON.stringify(tracker.allFindings()));
  });

  describe('the command line', () => {
    let dir: string;
    let stateDir: string;
    let changesDir: string;

    before(() => {
      dir = tempDir('ingress-guard-secrets-');
      stateDir = join(dir, 'state');
      changesDir = join(dir, 'changes');
      mkdirSync(stateDir);
      mkdirSync(changesDir);
      // JSON is YAML: one document per object.
      writeFileSync(join(stateDir, 'state.yaml'), state().map((o) => JSON.stringify(o)).join('\n---\n') + '\n');
      const changes = [
        secret('gina-key', { key: CANARY[0]! }, { label: 'key-auth' }),
        secret('hank-basic', { password: CANARY[8]! }, { label: 'basic-auth', clear: true }),
        secret('frank-oauth', { name: 'frank-app', client_id: 'frank-client', client_secret: CANARY[9]!, redirect_uris: 'https://frank.example.com/cb' }, { label: 'oauth2' }),
      ];
      writeFileSync(join(changesDir, 'changes.yaml'), changes.map((o) => JSON.stringify(o)).join('\n---\n') + '\n');
      // A manifest that does not parse, with the canary on the offending line.
      writeFileSync(join(dir, 'broken.yaml'), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: broken\nstringData:\n  password: ${CANARY[1]}: [\n`);
    });

    function cli(args: readonly string[]): Promise<{ code: number | null; out: string }> {
      return new Promise((resolve) => {
        const child = spawn(join(ROOT, 'node_modules', '.bin', 'node'), [join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('close', (code) => resolve({ code, out }));
      });
    }

    const RUNS = [
      ['check (human), whole state', () => ['check', stateDir], /duplicate-credential/],
      ['check --output json, whole state', () => ['check', '--output', 'json', stateDir], TLS_RULES ? /"rule": "invalid-tls-secret"/ : /"rule": "duplicate-credential"/],
      ['check --state (human), changes', () => ['check', '--state', stateDir, changesDir], /^(?=[\s\S]*credential-invalid)(?=[\s\S]*Caused by this change to Secret default\/gina-key \(data\.key changed\))/],
      ['check --state --output json, changes', () => ['check', '--state', stateDir, '--output', 'json', changesDir], /"rule": "duplicate-credential"/],
      ['check --state --delete', () => ['check', '--state', stateDir, '--delete', '--output', 'json', changesDir], /missing-credential-secret|"allowed"/],
      ['problems (human)', () => ['problems', '--state', stateDir], /duplicate-credential/],
      ['problems --output json', () => ['problems', '--state', stateDir, '--output', 'json'], /deniedObjects/],
      ['translate', () => ['translate', stateDir], /"credentials"|key-auth/],
      // The deck file names credential and certificate fields, each with the one redaction marker as its value.
      ['translate --output deck', () => ['translate', '--output', 'deck', stateDir], /^(?=[\s\S]*keyauth_credentials)(?=[\s\S]*key: <redacted by ingress-guard>)/],
      ['translate --output deck-json', () => ['translate', '--output', 'deck-json', stateDir], /"key": "<redacted by ingress-guard>"/],
      ['trace (text, https)', () => ['trace', '--state', stateDir, 'https://example.com/'], /^Request: GET https:/m],
      ['trace --output json', () => ['trace', '--state', stateDir, '--output', 'json', 'http://example.com/'], /"outcome"/],
      ['check on a manifest that does not parse', () => ['check', join(dir, 'broken.yaml')], /invalid YAML/],
    ] as const;
    // The commands run in parallel (each is a process start-up); each test looks at its own output.
    let results: Promise<{ code: number | null; out: string }[]>;
    before(() => {
      results = Promise.all(RUNS.map(([, args]) => cli(args())));
    });

    RUNS.forEach(([what, , expect], i) => {
      test(`${what}: no canary in stdout or stderr`, async () => {
        const r = (await results)[i]!;
        // 0 or 1 is a verdict; 2 is the input error a manifest that does not parse must give. Never a crash (3).
        assert.ok(r.code === 0 || r.code === 1 || (r.code === 2 && what.includes('does not parse')), `exit ${r.code}: ${r.out.slice(0, 500)}`);
        assert.match(r.out, expect);
        assertClean(what, r.out);
      });
    });
  });

  test('the informers: every Secret listed and watched from an API server (credentials, TLS, plugin configuration, an app\'s) keeps no canary in the store, the logs or /metrics', async () => {
    const fake = new FakeApiServer();
    fake.notFound = () => false;
    for (const o of state()) {
      const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
      const info = kindInfo(group, o.kind)!;
      fake.seed(group ? `/apis/${group}/${info.versions[0]}/${info.resource}` : `/api/${info.versions[0]}/${info.resource}`, [o as never]);
    }
    await fake.listen();
    const store = new Store();
    const capture = new LogCapture();
    const informers = await startInformers({ kubeConfig: kubeConfigFor(fake.url), store, logger: pino({ level: 'debug' }, capture), relistBackoffMs: 20, missingKindRetryMs: 100 });
    try {
      await waitFor(() => informers.status().every((s) => s.synced), 'every kind synced');
      // Something to log: the Secret watch fails once and reconnects.
      fake.failWatches.add('/api/v1/secrets');
      fake.dropWatches('/api/v1/secrets');
      await waitFor(() => capture.text.includes('watch failed'), 'a logged watch failure');
      fake.failWatches.delete('/api/v1/secrets');
      // A watch event too: the plugin configuration changes, its canary in clear stringData.
      fake.emit('/api/v1/secrets', 'MODIFIED', secret('rate-limit-config', { config: `{"minute": 6, "redis_password": "${CANARY[10]}"}` }, { clear: true }) as never);
      await waitFor(() => Number(store.get('core/Secret:default/rate-limit-config')?.metadata.resourceVersion) > Number(store.get('core/Secret:default/app-db')?.metadata.resourceVersion), 'the MODIFIED event applied');
      const held = [...store.all()];
      for (const name of ['rate-limit-config', 'app-db', 'bob-key', 'web-tls', 'junk-tls']) assert.ok(held.some((o) => o.kind === 'Secret' && o.metadata.name === name), name);
      assertClean('the store built by the informers', JSON.stringify(held));
      assertClean('the informers\' logs', capture.text);
      assertClean('/metrics of the informers', await createMetrics({ informers: () => informers.status(), stateObjects: () => store.size }).registry.metrics());
    } finally {
      await informers.stop();
      await fake.close();
    }
  });

  test('every answer was looked at', () => {
    assert.equal(answers.length, REVIEWS.length);
  });
});
