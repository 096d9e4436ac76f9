// Caller authentication (issue 7): a client certificate from a configured CA (--client-ca) and an
// unguessable path token (--path-token-file), over real TLS, in process and through `serve`.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { generate } from 'selfsigned';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { loadPathToken, MIN_TOKEN_LENGTH, parseClientCa, tokenMatches } from '../../src/server/auth.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { buildWebhook, type WebhookApp } from '../../src/server/webhook.ts';
import { Store } from '../../src/state/store.ts';
import { INPUTS, objectsFrom, REVIEWS, SEED_002_SETUP } from '../helpers.ts';
import { makeCa, makeServing, tempDir, writePair, type TestCa } from '../wire/certs.ts';
import { serve } from '../wire/spawn.ts';
import { readFileSync } from 'node:fs';

const BODY = readFileSync(join(REVIEWS, '13-update-kongconsumer-bob.json'), 'utf8');
const UID = JSON.parse(BODY).request.uid as string;
const TOKEN = 'k3Jq9vX2-mT8_wL5.pR7~nB4yH6zC1dF0gA'; // 35 characters

/** A CA with its own subject: OpenSSL looks issuers up by subject, so two CAs in one bundle must differ. */
async function namedCa(name: string): Promise<TestCa> {
  const ca = await generate([{ name: 'commonName', value: name }], {
    algorithm: 'sha256',
    keyType: 'ec',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: ca.cert, key: ca.private };
}

async function makeClient(ca: TestCa): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: 'kube-apiserver' }], {
    algorithm: 'sha256',
    keyType: 'ec',
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

interface Answer {
  status: number;
  json: any;
}

function call(port: number, serverCa: string, options: { path?: string; client?: { cert: string; key: string }; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? BODY;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: options.path ?? '/validate?timeout=5s',
        ca: serverCa,
        servername: 'localhost',
        agent: false,
        ...(options.client ? { cert: options.client.cert, key: options.client.key } : {}),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
      },
    );
    req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('path token and client certificates, in process', () => {
  let serverCa: TestCa;
  let clientCa: TestCa;
  let otherCa: TestCa;
  let store: Store;
  const apps: WebhookApp[] = [];

  before(async () => {
    [serverCa, clientCa, otherCa] = await Promise.all([makeCa(), namedCa('client CA'), namedCa('another CA')]);
    store = new Store(await objectsFrom(...SEED_002_SETUP));
  });
  after(async () => {
    for (const app of apps) await app.close();
  });

  async function start(extra: { clientCa?: string; pathToken?: string }): Promise<{ app: WebhookApp; port: number }> {
    const app = buildWebhook({ getView: () => store, policy: DEFAULT_POLICY, tls: await makeServing(serverCa), logger: pino({ level: 'silent' }), metrics: createMetrics(), ...extra });
    await app.listen({ port: 0, host: '127.0.0.1' });
    apps.push(app);
    return { app, port: (app.server.address() as { port: number }).port };
  }

  test('path token: the right token is answered, a wrong one, none, or a prefix is a 404 (before the body is read)', async () => {
    const { port } = await start({ pathToken: TOKEN });
    const ok = await call(port, serverCa.cert, { path: `/validate/${TOKEN}?timeout=5s` });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.response.uid, UID);
    for (const path of ['/validate', '/validate?timeout=5s', `/validate/${TOKEN.slice(0, -1)}`, `/validate/${TOKEN}x`, `/validate/${TOKEN.toUpperCase()}`, '/validate/', `/${TOKEN}`, `/validate/${TOKEN}/x`]) {
      const res = await call(port, serverCa.cert, { path });
      assert.equal(res.status, 404, path);
      // It names what was asked, never where reviews are served.
      assert.deepEqual(res.json, { error: `not found: POST ${path.split('?')[0]}` }, path);
    }
    // A wrong token with a body that is not JSON: still 404, the body is never parsed.
    assert.equal((await call(port, serverCa.cert, { path: '/validate/wrong-token-0123456789abcdefghijklmnop', body: '{not json' })).status, 404);
  });

  test('client CA: no client certificate fails the handshake; one from another CA too; the right one is answered', async () => {
    const { port } = await start({ clientCa: clientCa.cert });
    await assert.rejects(call(port, serverCa.cert), (err: NodeJS.ErrnoException) => /certificate|ECONNRESET|socket hang up|alert/i.test(`${err.code} ${err.message}`));
    await assert.rejects(call(port, serverCa.cert, { client: await makeClient(otherCa) }), (err: NodeJS.ErrnoException) => /certificate|ECONNRESET|socket hang up|alert|unknown ca/i.test(`${err.code} ${err.message}`));
    const ok = await call(port, serverCa.cert, { client: await makeClient(clientCa) });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.response.uid, UID);
  });

  test('both together: the right certificate and the right token are needed', async () => {
    const { port } = await start({ clientCa: clientCa.cert, pathToken: TOKEN });
    const client = await makeClient(clientCa);
    assert.equal((await call(port, serverCa.cert, { client, path: `/validate/${TOKEN}` })).status, 200);
    assert.equal((await call(port, serverCa.cert, { client, path: '/validate' })).status, 404);
    await assert.rejects(call(port, serverCa.cert, { path: `/validate/${TOKEN}` }));
  });

  test('rotation: a new client CA is trusted for new connections, and a serving-certificate reload keeps client authentication', async () => {
    const { app, port } = await start({ clientCa: clientCa.cert });
    const nextCa = await namedCa('next client CA');
    app.setClientCa(`${clientCa.cert}\n${nextCa.cert}`);
    assert.equal((await call(port, serverCa.cert, { client: await makeClient(nextCa) })).status, 200);
    assert.equal((await call(port, serverCa.cert, { client: await makeClient(clientCa) })).status, 200);
    app.setTls(await makeServing(serverCa));
    await assert.rejects(call(port, serverCa.cert), 'still requires a client certificate after setTls');
    assert.equal((await call(port, serverCa.cert, { client: await makeClient(nextCa) })).status, 200);
    app.setClientCa(nextCa.cert);
    await assert.rejects(call(port, serverCa.cert, { client: await makeClient(clientCa) }), 'the dropped CA is no longer trusted');
  });

  test('tokenMatches: equal strings only, whatever the lengths', () => {
    assert.equal(tokenMatches(TOKEN, TOKEN), true);
    assert.equal(tokenMatches(TOKEN, TOKEN.slice(1)), false);
    assert.equal(tokenMatches(TOKEN, ''), false);
    assert.equal(tokenMatches(TOKEN, `${TOKEN}${TOKEN}`), false);
  });

  test('loadPathToken: trims the newline, refuses short tokens and URL-unsafe characters without quoting them', async () => {
    const dir = tempDir();
    const file = join(dir, 'token');
    writeFileSync(file, `${TOKEN}\n`);
    assert.equal(await loadPathToken(file), TOKEN);
    const short = 'S3cr3t-but-too-short';
    writeFileSync(file, short);
    await assert.rejects(loadPathToken(file), (err: Error) => err.message.includes(`at least ${MIN_TOKEN_LENGTH}`) && !err.message.includes(short));
    const unsafe = `${TOKEN}/../%2e`;
    writeFileSync(file, unsafe);
    await assert.rejects(loadPathToken(file), (err: Error) => /may hold only/.test(err.message) && !err.message.includes(TOKEN));
    await assert.rejects(loadPathToken(join(dir, 'absent')), /cannot read the path token file .*ENOENT/);
  });

  test('parseClientCa: every PEM certificate must parse; a key or nothing is refused', () => {
    assert.equal(parseClientCa(`${clientCa.cert}\n${otherCa.cert}`).subjects.length, 2);
    assert.throws(() => parseClientCa(clientCa.key), /holds no PEM certificate/);
    assert.throws(() => parseClientCa('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), /certificate 1 in .* does not parse/);
  });
});

describe('serve --client-ca --path-token-file', () => {
  test('answers only the right certificate at the right path; a short token refuses to start', async () => {
    const [serverCa, clientCa] = await Promise.all([makeCa(), makeCa()]);
    const dir = tempDir();
    const { certFile, keyFile } = writePair(dir, await makeServing(serverCa));
    const caFile = join(dir, 'client-ca.crt');
    writeFileSync(caFile, clientCa.cert);
    const tokenFile = join(dir, 'path-token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const state = SEED_002_SETUP.map((f) => join(INPUTS, f));
    const args = ['--port', '0', '--diagnostics-port', '0', '--host', '127.0.0.1', '--tls-cert', certFile, '--tls-key', keyFile, ...state.flatMap((s) => ['--state', s])];

    const proc = serve([...args, '--client-ca', caFile], { INGRESS_GUARD_PATH_TOKEN_FILE: tokenFile });
    try {
      const listening = await proc.waitFor('listening');
      assert.equal(listening.pathToken, 'required');
      assert.deepEqual(listening.clientCertificates, ['CN=ingress-guard test CA']);
      assert.ok(!JSON.stringify(proc.lines).includes(TOKEN), 'the token is never logged');
      const port = listening.port as number;
      const client = await makeClient(clientCa);
      const ok = await call(port, serverCa.cert, { client, path: `/validate/${TOKEN}?timeout=5s` });
      assert.equal(ok.status, 200);
      assert.equal(ok.json.response.allowed, false);
      assert.equal((await call(port, serverCa.cert, { client })).status, 404);
      await assert.rejects(call(port, serverCa.cert, { path: `/validate/${TOKEN}` }));
    } finally {
      proc.kill('SIGTERM');
      await proc.exit;
    }

    writeFileSync(tokenFile, 'short\n');
    const bad = serve([...args, '--path-token-file', tokenFile]);
    assert.equal(await bad.exit, 2);
    assert.match(bad.stderr(), /the path token in .* is 5 characters long; it needs at least 32/);
  });
});
