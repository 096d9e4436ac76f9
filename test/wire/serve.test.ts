// Certificate rotation on a live server, and the `serve` command as a process (signals, flags, env).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect } from 'node:tls';
import pino from 'pino';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { loadPair, watchPair } from '../../src/server/tls.ts';
import { buildWebhook } from '../../src/server/webhook.ts';
import { Store } from '../../src/state/store.ts';
import { INPUTS, REVIEWS, SEED_002_SETUP } from '../helpers.ts';
import { makeCa, makeServing, tempDir, writePair } from './certs.ts';
import { get, post } from './client.ts';
import { eventually, serve } from './spawn.ts';

const SETUP = SEED_002_SETUP.map((f) => join(INPUTS, f));
const REVIEW_13 = readFileSync(join(REVIEWS, '13-update-kongconsumer-bob.json'), 'utf8');

const sameSerial = (a: string, b: string): boolean => a.replace(/^0+/, '').toUpperCase() === b.replace(/^0+/, '').toUpperCase();

test('certificate rotation: new connections get the new certificate, open keep-alive connections keep working, a broken pair is ignored', async () => {
  const ca = await makeCa();
  const [a, b] = await Promise.all([makeServing(ca), makeServing(ca)]);
  const dir = tempDir();
  const { certFile, keyFile } = writePair(dir, a);
  const tls = await loadPair(certFile, keyFile);
  const errors: string[] = [];
  const app = buildWebhook({ getView: () => new Store(), policy: DEFAULT_POLICY, tls, logger: pino({ level: 'silent' }), metrics: createMetrics() });
  const watcher = watchPair({ certFile, keyFile, current: tls, debounceMs: 50, pollMs: 250, onChange: (pair) => app.setTls(pair), onError: (e) => errors.push(e.message) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1, ca: ca.cert });
  try {
    const first = await post(port, ca.cert, REVIEW_13, { agent: keepAlive });
    assert.ok(sameSerial(first.peerSerial, a.serialNumber));

    writePair(dir, b);
    let seen = '';
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      seen = (await post(port, ca.cert, REVIEW_13)).peerSerial;
      if (sameSerial(seen, b.serialNumber)) break;
    }
    assert.ok(sameSerial(seen, b.serialNumber), `a new connection still sees ${seen}, not ${b.serialNumber}`);

    const again = await post(port, ca.cert, REVIEW_13, { agent: keepAlive });
    assert.equal(again.status, 200);
    assert.equal(again.reusedSocket, true);
    assert.ok(sameSerial(again.peerSerial, a.serialNumber), 'the open connection keeps its handshake');

    // A key that does not match the certificate: logged, ignored, the old pair keeps serving.
    const c = await makeServing(ca);
    writeFileSync(certFile, c.cert);
    writeFileSync(keyFile, a.key);
    await watcher.check();
    assert.ok(errors.some((e) => /does not match/.test(e)), errors.join('; '));
    const still = await post(port, ca.cert, REVIEW_13);
    assert.equal(still.status, 200);
    assert.ok(sameSerial(still.peerSerial, b.serialNumber));
    writeFileSync(certFile, 'not a certificate');
    await watcher.check();
    assert.ok(errors.some((e) => /not a valid PEM X\.509/.test(e)));
    assert.ok(sameSerial((await post(port, ca.cert, REVIEW_13)).peerSerial, b.serialNumber));
    assert.ok(!errors.join('\n').includes('PRIVATE KEY'), 'errors never quote key material');
  } finally {
    keepAlive.destroy();
    watcher.close();
    await app.close();
  }
});

test('serve: TLS files from the environment, prints its port, answers, and exits 0 on SIGTERM', async () => {
  const ca = await makeCa();
  const dir = tempDir();
  const { certFile, keyFile } = writePair(dir, await makeServing(ca));
  const proc = serve(['--host', '127.0.0.1', '--port', '0', '--diagnostics-port', '0', ...SETUP.flatMap((f) => ['--state', f])], {
    INGRESS_GUARD_TLS_CERT: certFile,
    INGRESS_GUARD_TLS_KEY: keyFile,
  });
  try {
    const listening = await proc.waitFor('listening');
    const port = listening.port as number;
    const res = await post(port, ca.cert, REVIEW_13);
    assert.equal(res.json.response.allowed, false);
    assert.equal((await get(listening.diagnosticsPort as number, '/readyz')).status, 200);
    // Once, after the first build (src/server/heap.ts), in a process started without --expose-gc.
    const returned = await proc.waitFor('start-up memory returned');
    assert.ok(typeof returned.rssAfterMiB === 'number' && typeof returned.ms === 'number', JSON.stringify(returned));
    const scraped = (await get(listening.diagnosticsPort as number, '/metrics')).text;
    assert.match(scraped, /ingress_guard_reviews_total\{kind="KongConsumer",operation="UPDATE",verdict="denied"\} 1/);
    assert.match(scraped, /^ingress_guard_state_objects [1-9]\d*$/m, 'the --state snapshot is counted');
    assert.doesNotMatch(scraped, /ingress_guard_informer_/, 'no informers in --state mode');
    assert.match(scraped, /^ingress_guard_excluded_objects 0$/m);
    assert.deepEqual(JSON.parse((await get(listening.diagnosticsPort as number, '/debug/config/problems')).text), { status: 'not-triggered' });
    proc.kill('SIGTERM');
    assert.equal(await proc.exit, 0, proc.stderr());
    assert.ok(proc.lines.some((l) => l.msg === 'stopped'));
    assert.ok(proc.lines.some((l) => l.msg === 'review' && l.allowed === false));
  } finally {
    proc.kill('SIGKILL');
  }
});

test('serve: --state and --kubeconfig together are a usage error (exit 2)', async () => {
  const proc = serve(['--state', SETUP[0]!, '--kubeconfig', '/nonexistent/kubeconfig']);
  assert.equal(await proc.exit, 2);
  assert.match(proc.stderr(), /--state or --kubeconfig, not both/);
});

test('serve: a missing certificate is a clear usage error', async () => {
  const proc = serve(['--state', SETUP[0]!, '--tls-cert', '/nonexistent/tls.crt', '--tls-key', '/nonexistent/tls.key']);
  assert.equal(await proc.exit, 2);
  assert.match(proc.stderr(), /cannot use the TLS pair \/nonexistent\/tls\.crt/);
  assert.match(proc.stderr(), /ingress-guard certs/);
});

test('serve --help', async () => {
  const proc = serve(['--help']);
  assert.equal(await proc.exit, 0);
  assert.ok(proc.lines.some((l) => String(l.msg).includes('INGRESS_GUARD_')));
});

test('serve: SIGTERM while a review is in flight (body half sent) answers it, then exits 0', async () => {
  const ca = await makeCa();
  const dir = tempDir();
  const { certFile, keyFile } = writePair(dir, await makeServing(ca));
  const proc = serve(['--host', '127.0.0.1', '--port', '0', '--diagnostics-port', '0', '--tls-cert', certFile, '--tls-key', keyFile, ...SETUP.flatMap((f) => ['--state', f])]);
  try {
    const port = (await proc.waitFor('listening')).port as number;
    const body = Buffer.from(REVIEW_13);
    const half = Math.floor(body.length / 2);
    const tls = connect({ host: '127.0.0.1', port, ca: ca.cert, servername: 'localhost' });
    let received = '';
    tls.on('data', (c: Buffer) => (received += c.toString('utf8')));
    const closed = new Promise<void>((resolve) => tls.on('close', () => resolve()));
    let socketError: Error | undefined;
    tls.on('error', (err) => (socketError = err));
    await eventually(async () => (tls.authorized ? true : undefined), 'TLS handshake', 5000, 10);
    // Expect: 100-continue makes the server say when it has parsed the headers: from then on the request
    // is in flight (Node's HTTP server has routed it; the handler waits for the body).
    tls.write(
      `POST /validate?timeout=5s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: keep-alive\r\n\r\n`,
    );
    tls.write(body.subarray(0, half));
    await eventually(async () => (received.startsWith('HTTP/1.1 100 Continue\r\n') ? true : undefined), '100 Continue');

    proc.kill('SIGTERM');
    await proc.waitFor('shutting down: finishing in-flight reviews');
    // The listener is closed (new connections are refused) while our request is still open.
    await eventually(
      () =>
        new Promise<true | undefined>((resolve) => {
          const probe = netConnect({ host: '127.0.0.1', port });
          probe.once('connect', () => {
            probe.destroy();
            resolve(undefined);
          });
          probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' ? true : undefined));
        }),
      'the webhook port refuses new connections',
    );
    assert.equal(await Promise.race([proc.exit.then(() => 'exited'), new Promise((r) => setImmediate(() => r('running')))]), 'running', 'waits for the review');

    tls.write(body.subarray(half));
    const response = await eventually(async () => {
      const at = received.indexOf('\r\n\r\n', received.indexOf('HTTP/1.1 200'));
      if (received.indexOf('HTTP/1.1 200') < 0 || at < 0) return undefined;
      const head = received.slice(received.indexOf('HTTP/1.1 200'), at);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
      const rest = received.slice(at + 4);
      return Buffer.byteLength(rest) >= length ? { head, json: JSON.parse(rest) } : undefined;
    }, 'the answer to the in-flight review');
    assert.equal(response.json.response.allowed, false);
    assert.match(response.json.response.status.message, /HTTPRoute default\/route-b/);
    assert.match(response.head, /^connection: close$/im, 'no keep-alive on a server that is stopping');
    // Neither side needs to hang up first for the process to exit: the server ends the connection itself.
    // The server hangs up by itself: a keep-alive connection would hold the process for keepAliveTimeout.
    await closed;
    assert.equal(socketError, undefined);
    assert.equal(await proc.exit, 0, proc.stderr());
    assert.ok(proc.lines.some((l) => l.msg === 'review' && l.allowed === false));
  } finally {
    proc.kill('SIGKILL');
  }
});

test('serve: on SIGTERM it stays up through --shutdown-delay (not ready, still answering), then closes and exits 0', async () => {
  const ca = await makeCa();
  const dir = tempDir();
  const { certFile, keyFile } = writePair(dir, await makeServing(ca));
  // A delay far longer than the test: SIGINT ends it once the checks are done (no clock in the assertions).
  const proc = serve(['--host', '127.0.0.1', '--port', '0', '--diagnostics-port', '0', '--tls-cert', certFile, '--tls-key', keyFile, '--shutdown-delay', '600', ...SETUP.flatMap((f) => ['--state', f])]);
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1, ca: ca.cert });
  try {
    const listening = await proc.waitFor('listening');
    const port = listening.port as number;
    const diagnosticsPort = listening.diagnosticsPort as number;
    assert.equal((await post(port, ca.cert, REVIEW_13, { agent: keepAlive })).status, 200);
    assert.equal((await get(diagnosticsPort, '/readyz')).status, 200);

    proc.kill('SIGTERM');
    const delaying = await proc.waitFor('shutting down: not ready, still answering until the delay ends');
    assert.equal(delaying.delaySeconds, 600);
    const readyz = await get(diagnosticsPort, '/readyz');
    assert.equal(readyz.status, 503);
    assert.match(readyz.text, /shutting down/);
    // A review on a new connection and one on the pooled connection are both judged during the delay.
    const fresh = await post(port, ca.cert, REVIEW_13);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.json.response.allowed, false);
    assert.match(fresh.json.response.status.message, /HTTPRoute default\/route-b/);
    const pooled = await post(port, ca.cert, REVIEW_13, { agent: keepAlive });
    assert.equal(pooled.status, 200);
    assert.equal(pooled.reusedSocket, true);
    assert.equal(pooled.json.response.allowed, false);
    assert.ok(!proc.lines.some((l) => l.msg === 'shutting down: finishing in-flight reviews'), 'the listener is not closed yet');

    proc.kill('SIGINT');
    assert.equal(await proc.exit, 0, proc.stderr());
    const at = (msg: string) => proc.lines.findIndex((l) => l.msg === msg);
    const reviews = proc.lines.flatMap((l, i) => (l.msg === 'review' ? [i] : []));
    assert.equal(reviews.length, 3);
    assert.ok(at('shutting down: not ready, still answering until the delay ends') < reviews[1]!, 'two reviews answered during the delay');
    assert.ok(reviews[2]! < at('shutting down: finishing in-flight reviews'));
    assert.ok(at('shutting down: finishing in-flight reviews') < at('stopped'));
  } finally {
    keepAlive.destroy();
    proc.kill('SIGKILL');
  }
});

test('serve: the shutdown delay (INGRESS_GUARD_SHUTDOWN_DELAY) ends by itself and the process exits 0', async () => {
  const ca = await makeCa();
  const dir = tempDir();
  const { certFile, keyFile } = writePair(dir, await makeServing(ca));
  const proc = serve(['--host', '127.0.0.1', '--port', '0', '--diagnostics-port', '0', '--tls-cert', certFile, '--tls-key', keyFile, '--state', SETUP[0]!], { INGRESS_GUARD_SHUTDOWN_DELAY: '1' });
  try {
    await proc.waitFor('listening');
    proc.kill('SIGTERM');
    assert.equal((await proc.waitFor('shutting down: not ready, still answering until the delay ends')).delaySeconds, 1);
    assert.equal(await proc.exit, 0, proc.stderr());
    assert.ok(proc.lines.some((l) => l.msg === 'stopped'));
  } finally {
    proc.kill('SIGKILL');
  }
});

test('serve: --shutdown-delay must be 0-600 seconds', async () => {
  const proc = serve(['--state', SETUP[0]!, '--shutdown-delay', '1.5']);
  assert.equal(await proc.exit, 2);
  assert.match(proc.stderr(), /--shutdown-delay must be a whole number of seconds/);
});
