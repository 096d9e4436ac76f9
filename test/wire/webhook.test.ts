// Wire tests: the real HTTPS webhook, real TLS verification, the bodies a real kube-apiserver sent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { buildDiagnostics } from '../../src/server/diagnostics.ts';
import { createMetrics, type Metrics } from '../../src/server/metrics.ts';
import { buildWebhook, type WebhookApp } from '../../src/server/webhook.ts';
import { Store } from '../../src/state/store.ts';
import { objectsFrom, REVIEWS, SEED_002_SETUP } from '../helpers.ts';
import { makeCa, makeServing, type TestCa } from './certs.ts';
import { get, post } from './client.ts';

const SETUP = SEED_002_SETUP;

function captured(file: string): string {
  return readFileSync(join(REVIEWS, file), 'utf8');
}

function uidOf(body: string): string {
  return JSON.parse(body).request.uid;
}

class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

describe('webhook over HTTPS', () => {
  let ca: TestCa;
  let app: WebhookApp;
  let port: number;
  let metrics: Metrics;
  const logs = new LogCapture();
  let ready = false;
  let diagnostics: ReturnType<typeof buildDiagnostics>;
  let diagPort: number;

  before(async () => {
    ca = await makeCa();
    const serving = await makeServing(ca);
    const store = new Store(await objectsFrom(...SETUP));
    metrics = createMetrics();
    const logger = pino({ level: 'info' }, logs);
    app = buildWebhook({ getView: () => store, policy: DEFAULT_POLICY, tls: serving, logger, metrics });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    diagnostics = buildDiagnostics({ metrics, isReady: () => ready });
    await diagnostics.listen({ port: 0, host: '127.0.0.1' });
    diagPort = (diagnostics.server.address() as { port: number }).port;
  });

  after(async () => {
    await app.close();
    await diagnostics.close();
  });

  for (const file of ['13-update-kongconsumer-bob.json', '12-update-kongconsumer-bob-dryrun.json']) {
    test(`${file}: removing konghq.com/plugins from bob is denied, naming route-b`, async () => {
      const body = captured(file);
      const res = await post(port, ca.cert, body);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.apiVersion, 'admission.k8s.io/v1');
      assert.equal(res.json.kind, 'AdmissionReview');
      const r = res.json.response;
      assert.equal(r.uid, uidOf(body));
      assert.equal(r.allowed, false);
      assert.equal(r.status.code, 403);
      assert.equal(r.status.reason, 'Forbidden');
      assert.match(r.status.message, /^duplicate-plugin-scope: /);
      assert.match(r.status.message, /HTTPRoute default\/route-b/);
      assert.equal(r.auditAnnotations['denied-rules'], 'duplicate-plugin-scope');
    });
  }

  for (const file of ['05-create-httproute-route-a.json', '06-create-httproute-route-b.json', '07-create-kongplugin-key-auth.json', '11-create-kongconsumer-bob.json', '14-update-kongconsumer-bob.json', '15-update-httproute-route-a.json', '30-update-kongplugin-rate-limit-base.json', '33-update-kongplugin-rate-limit-base.json']) {
    test(`${file}: a valid change is allowed`, async () => {
      const body = captured(file);
      const res = await post(port, ca.cert, body);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.response.uid, uidOf(body));
      assert.equal(res.json.response.allowed, true, JSON.stringify(res.json.response));
      assert.equal(res.json.response.status, undefined);
    });
  }

  test('27: deleting KongPlugin key-auth is allowed with a warning about route-b', async () => {
    const body = captured('27-delete-kongplugin-key-auth.json');
    const res = await post(port, ca.cert, body);
    const r = res.json.response;
    assert.equal(r.uid, uidOf(body));
    assert.equal(r.allowed, true);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /^missing-plugin: .*route-b/);
    assert.ok(r.warnings[0].length < 500);
    assert.equal(r.auditAnnotations['warned-rules'], 'missing-plugin');
  });

  test('29: deleting the Secret never echoes its value, in the answer or the logs', async () => {
    const body = captured('29-delete-secret-bob-key-auth.json');
    assert.match(body, /Ym9iLXBhc3N3b3Jk/);
    assert.match(body, /bob-password/);
    const res = await post(port, ca.cert, body);
    assert.equal(res.status, 200);
    assert.equal(res.json.response.allowed, true);
    assert.match(res.json.response.warnings.join('\n'), /missing-credential-secret/);
    const logText = logs.lines.join('\n');
    assert.ok(logText.includes(uidOf(body)), 'the review is logged');
    for (const text of [res.text, logText]) {
      assert.doesNotMatch(text, /bob-password|Ym9iLXBhc3N3b3Jk/);
    }
  });

  test('one log line per review with uid, kind, object, verdict, rule ids and duration; no object contents', async () => {
    const review = JSON.parse(captured('13-update-kongconsumer-bob.json'));
    const uid = 'log-line-test-uid';
    review.request.uid = uid;
    await post(port, ca.cert, JSON.stringify(review));
    const lines = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.uid === uid);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line.kind, 'KongConsumer');
    assert.equal(line.namespace, 'default');
    assert.equal(line.name, 'bob');
    assert.equal(line.operation, 'UPDATE');
    assert.equal(line.dryRun, false);
    assert.equal(line.allowed, false);
    assert.deepEqual(line.denied, ['duplicate-plugin-scope']);
    assert.equal(typeof line.durationMs, 'number');
    assert.equal(line.object, undefined);
    assert.doesNotMatch(JSON.stringify(line), /managedFields|last-applied/);
  });

  test('malformed JSON is a clear 400, and the server keeps serving', async () => {
    const res = await post(port, ca.cert, '{"kind":"AdmissionReview", "bob-password');
    assert.equal(res.status, 400);
    assert.match(res.json.error, /not valid JSON/);
    assert.doesNotMatch(res.text + logs.lines.join('\n'), /bob-password/);
    const ok = await post(port, ca.cert, captured('14-update-kongconsumer-bob.json'));
    assert.equal(ok.status, 200);
  });

  test('empty body, wrong apiVersion or kind, missing request or uid, unknown operation, missing objects: 400', async () => {
    const good = JSON.parse(captured('13-update-kongconsumer-bob.json'));
    const cases: [unknown, RegExp][] = [
      [[1, 2], /JSON object/],
      [{ ...good, apiVersion: 'admission.k8s.io/v1beta1' }, /apiVersion must be "admission.k8s.io\/v1"/],
      [{ ...good, kind: 'AdmissionRequest' }, /kind must be "AdmissionReview"/],
      [{ apiVersion: good.apiVersion, kind: good.kind }, /no "request"/],
      [{ ...good, request: { ...good.request, uid: undefined } }, /request\.uid/],
      [{ ...good, request: { ...good.request, uid: '' } }, /request\.uid/],
      [{ ...good, request: { ...good.request, operation: 'PATCH' } }, /request\.operation/],
      [{ ...good, request: { ...good.request, object: null } }, /UPDATE request needs request\.object/],
      [{ ...good, request: { ...good.request, operation: 'DELETE', oldObject: null } }, /DELETE request needs request\.oldObject/],
    ];
    for (const [body, message] of cases) {
      const res = await post(port, ca.cert, JSON.stringify(body));
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 100));
      assert.match(res.json.error, message);
    }
    const empty = await post(port, ca.cert, '');
    assert.equal(empty.status, 400);
  });

  test('an unknown path is a 404 naming what was asked and where reviews are served; diagnostics name their paths', async () => {
    const res = await post(port, ca.cert, captured('13-update-kongconsumer-bob.json'), { path: '/validte?timeout=5s' });
    assert.equal(res.status, 404);
    assert.equal(res.json.error, 'not found: POST /validte; reviews are served at POST /validate');
    const diag = await get(diagPort, '/ready');
    assert.equal(diag.status, 404);
    assert.match(JSON.parse(diag.text).error, /^not found: GET \/ready; this port serves GET \/healthz, \/readyz, \/metrics/);
  });

  test('a body over 8 MiB is refused with 413', async () => {
    const big = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', pad: 'x'.repeat(9 * 1024 * 1024) });
    const res = await post(port, ca.cert, big);
    assert.equal(res.status, 413);
    assert.match(res.json.error, /larger than/);
  });

  test('a resource the engine does not read (apps/v1 deployments) and CONNECT are allowed without judging', async () => {
    const base = JSON.parse(captured('04-create-service-echo.json'));
    const deployment = {
      ...base,
      request: {
        ...base.request,
        uid: 'f3c6c1d4-0000-4000-8000-000000000001',
        kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
        resource: { group: 'apps', version: 'v1', resource: 'deployments' },
        requestKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
        requestResource: { group: 'apps', version: 'v1', resource: 'deployments' },
        object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'echo', namespace: 'default' }, spec: {} },
      },
    };
    const res = await post(port, ca.cert, JSON.stringify(deployment));
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.response, { uid: 'f3c6c1d4-0000-4000-8000-000000000001', allowed: true });
    const connect = { ...base, request: { ...base.request, uid: 'u-connect', operation: 'CONNECT', object: null } };
    const res2 = await post(port, ca.cert, JSON.stringify(connect));
    assert.deepEqual(res2.json.response, { uid: 'u-connect', allowed: true });
  });

  test('a wrong Content-Type is refused, not parsed', async () => {
    const res = await post(port, ca.cert, captured('13-update-kongconsumer-bob.json'), { contentType: 'text/plain' });
    assert.equal(res.status, 415);
  });

  test('an internal error answers 500 and logs the uid (the failurePolicy decides)', async () => {
    const broken = buildWebhook({
      getView: () => {
        throw new Error('state unavailable');
      },
      policy: DEFAULT_POLICY,
      tls: await makeServing(ca),
      logger: pino({ level: 'info' }, logs),
      metrics: createMetrics(),
    });
    await broken.listen({ port: 0, host: '127.0.0.1' });
    try {
      const body = captured('13-update-kongconsumer-bob.json');
      const res = await post((broken.server.address() as { port: number }).port, ca.cert, body);
      assert.equal(res.status, 500);
      assert.ok(logs.lines.some((l) => l.includes(uidOf(body)) && l.includes('state unavailable')));
    } finally {
      await broken.close();
    }
  });

  test('TLS: the server refuses TLS 1.1 and a client that does not trust the CA', async () => {
    await assert.rejects(post(port, (await makeCa()).cert, '{}'));
    const { connect } = await import('node:tls');
    await assert.rejects(
      new Promise<void>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port, ca: ca.cert, servername: 'localhost', maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, () => {
          s.end();
          resolve();
        });
        s.on('error', reject);
      }),
    );
  });

  test('diagnostics: /healthz, /readyz follows isReady, /metrics counts reviews', async () => {
    assert.equal((await get(diagPort, '/healthz')).status, 200);
    ready = false;
    const notReady = await get(diagPort, '/readyz');
    assert.equal(notReady.status, 503);
    assert.ok(JSON.parse(notReady.text).reason);
    ready = true;
    assert.equal((await get(diagPort, '/readyz')).status, 200);
    await post(port, ca.cert, captured('13-update-kongconsumer-bob.json'));
    const text = (await get(diagPort, '/metrics')).text;
    assert.match(text, /ingress_guard_reviews_total\{kind="KongConsumer",operation="UPDATE",verdict="denied"\} \d+/);
    assert.match(text, /ingress_guard_review_duration_seconds_bucket\{le="0.0001"\}/);
    assert.match(text, /ingress_guard_findings_total\{rule="duplicate-plugin-scope",severity="deny"\}/);
  });

  test('keep-alive: several reviews on one connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: ca.cert });
    try {
      const a = await post(port, ca.cert, captured('14-update-kongconsumer-bob.json'), { agent });
      const b = await post(port, ca.cert, captured('13-update-kongconsumer-bob.json'), { agent });
      assert.equal(a.status, 200);
      assert.equal(b.status, 200);
      assert.equal(b.reusedSocket, true);
    } finally {
      agent.destroy();
    }
  });
});
