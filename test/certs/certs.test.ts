// `ingress-guard certs`: the certificates must be what the API server and `serve` accept.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { generateCertificates, runCerts } from '../../src/cli/certs.ts';
import { WEBHOOK_NAME } from '../../src/deploy/webhook-config.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

function capture(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), env }, stdout: () => out.join(''), stderr: () => err.join('') };
}

function sans(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '').split(', ');
}

const certs = await generateCertificates({ service: 'guard', namespace: 'ops' });

test('the serving certificate is issued and signed by the CA', () => {
  const ca = new X509Certificate(certs.caCert);
  const cert = new X509Certificate(certs.cert);
  assert.equal(ca.ca, true);
  assert.equal(cert.ca, false);
  assert.ok(cert.checkIssued(ca), 'issuer matches the CA subject');
  assert.ok(cert.verify(ca.publicKey), 'signature verifies with the CA key');
  assert.ok(ca.verify(ca.publicKey), 'the CA is self-signed');
  assert.ok(!cert.verify(createPublicKey(certs.key)), 'the serving certificate is not self-signed');
});

test('SANs cover every name the API server may use, localhost and 127.0.0.1', () => {
  const names = sans(new X509Certificate(certs.cert));
  for (const dns of ['guard', 'guard.ops', 'guard.ops.svc', 'guard.ops.svc.cluster.local', 'localhost']) assert.ok(names.includes(`DNS:${dns}`), `${dns} in ${names.join(', ')}`);
  assert.ok(names.includes('IP Address:127.0.0.1'), names.join(', '));
});

test('extra hosts become DNS or IP SANs', async () => {
  const c = await generateCertificates({ service: 'guard', namespace: 'ops', extraHosts: ['guard.example.com', '10.1.2.3', '::1'] });
  const names = sans(new X509Certificate(c.cert));
  assert.ok(names.includes('DNS:guard.example.com'));
  assert.ok(names.includes('IP Address:10.1.2.3'));
  assert.ok(names.some((n) => n.startsWith('IP Address:0:0:0:0:0:0:0:1') || n === 'IP Address:::1'), names.join(', '));
});

test('the key matches the certificate, and the certificate is for server auth', () => {
  const cert = new X509Certificate(certs.cert);
  assert.ok(cert.checkPrivateKey(createPrivateKey(certs.key)));
  assert.ok(!cert.checkPrivateKey(createPrivateKey(certs.caKey)));
  assert.equal(createPrivateKey(certs.key).asymmetricKeyType, 'ec');
  assert.equal(createPrivateKey(certs.key).asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']); // extended key usage: serverAuth
});

test('validity defaults to 365 days and follows --days', async () => {
  const days = (pem: string) => (Date.parse(new X509Certificate(pem).validTo) - Date.now()) / 86_400_000;
  assert.ok(Math.abs(days(certs.cert) - 365) < 0.01, String(days(certs.cert)));
  const c = await generateCertificates({ service: 'guard', namespace: 'ops', days: 30 });
  assert.ok(Math.abs(days(c.cert) - 30) < 0.01);
  assert.ok(Date.parse(new X509Certificate(c.cert).validFrom) < Date.now(), 'valid now, with clock-skew slack');
});

test('a TLS client trusting only the CA accepts the server under its Service name', async () => {
  const server = createServer({ cert: certs.cert, key: certs.key }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const get = (servername: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, servername, ca: certs.caCert, path: '/' }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await get('guard.ops.svc'), 'ok');
    await assert.rejects(get('other.ops.svc'), /altnames|Hostname/);
  } finally {
    server.close();
  }
});

test('runCerts writes ca.crt, tls.crt, tls.key (0600) and prints the caBundle', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'ig-certs-')), 'nested', 'dir');
  const c = capture();
  assert.equal(await runCerts(['--service', 'guard', '--namespace', 'ops', '--out', out, '--days', '10'], c.io), 0, c.stderr());
  const caPem = readFileSync(join(out, 'ca.crt'), 'utf8');
  assert.equal(statSync(join(out, 'tls.key')).mode & 0o777, 0o600);
  const bundle = c.stdout().trim();
  assert.match(bundle, /^[A-Za-z0-9+/]+=*$/);
  assert.equal(Buffer.from(bundle, 'base64').toString('utf8'), caPem);
  const cert = new X509Certificate(readFileSync(join(out, 'tls.crt')));
  assert.ok(cert.verify(new X509Certificate(caPem).publicKey));
  assert.ok(cert.checkPrivateKey(createPrivateKey(readFileSync(join(out, 'tls.key')))));
  assert.ok(sans(cert).includes('DNS:guard.ops.svc'));
});

test('runCerts keeps a complete, matching set (same caBundle, says so) and --force writes a new one, key at 0600', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ig-certs-'));
  const first = capture();
  assert.equal(await runCerts(['--out', out], first.io), 0);
  assert.match(first.stderr(), /^wrote .*ca\.crt, .*tls\.crt, .*tls\.key/);
  const key = readFileSync(join(out, 'tls.key'), 'utf8');
  // The deploy guide run a second time: same files, same caBundle on stdout, never an empty one.
  const again = capture();
  assert.equal(await runCerts(['--out', out], again.io), 0, again.stderr());
  assert.equal(again.stdout(), first.stdout());
  assert.match(again.stderr(), /^kept .*ca\.crt, .*tls\.crt, .*tls\.key \(valid until .*\); --force writes a new set/);
  assert.equal(readFileSync(join(out, 'tls.key'), 'utf8'), key);
  assert.ok(!again.stderr().includes('PRIVATE KEY') && !first.stderr().includes('PRIVATE KEY'), 'the key never reaches a log');

  const forced = capture();
  assert.equal(await runCerts(['--out', out, '--force'], forced.io), 0);
  assert.notEqual(forced.stdout(), first.stdout(), 'a new CA');
  assert.notEqual(readFileSync(join(out, 'tls.key'), 'utf8'), key);
  assert.equal(statSync(join(out, 'tls.key')).mode & 0o777, 0o600);
});

test('runCerts refuses to keep half a set, a set for other names or a key that does not match (exit 1), until --force', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ig-certs-'));
  writeFileSync(join(out, 'tls.key'), 'old', { mode: 0o644 });
  const half = capture();
  assert.equal(await runCerts(['--out', out], half.io), 1);
  assert.match(half.stderr(), /tls\.key exists but not .*ca\.crt, .*tls\.crt: use --force/);
  assert.equal(half.stdout(), '', 'no caBundle to capture');
  assert.equal(readFileSync(join(out, 'tls.key'), 'utf8'), 'old');
  assert.equal(await runCerts(['--out', out, '--force'], capture().io), 0);
  assert.equal(statSync(join(out, 'tls.key')).mode & 0o777, 0o600);
  assert.match(readFileSync(join(out, 'tls.key'), 'utf8'), /BEGIN PRIVATE KEY/);

  const otherNames = capture();
  assert.equal(await runCerts(['--out', out, '--namespace', 'elsewhere'], otherNames.io), 1);
  assert.match(otherNames.stderr(), /cannot keep the certificates in .*: .*tls\.crt does not cover ingress-guard\.elsewhere, .*--force/);
  const extraHost = capture();
  assert.equal(await runCerts(['--out', out, '--host', '10.0.0.7'], extraHost.io), 1);
  assert.match(extraHost.stderr(), /does not cover 10\.0\.0\.7/);

  writeFileSync(join(out, 'tls.key'), (await generateCertificates({ service: 'x', namespace: 'y' })).key);
  const mismatch = capture();
  assert.equal(await runCerts(['--out', out], mismatch.io), 1);
  assert.match(mismatch.stderr(), /tls\.key does not match .*tls\.crt/);
});

test('--host takes DNS names and IP addresses only, with a clear error', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ig-certs-'));
  for (const bad of ['bad host', 'under_score.example.com', 'http://x', 'trail-.example.com', 'a..b', '1.2.3.4.5:80']) {
    await assert.rejects(runCerts(['--out', out, '--host', bad], capture().io), (err: Error) => err.message === `--host "${bad}" is neither a DNS name (RFC 1123, e.g. webhook.example.com) nor an IP address`, bad);
  }
  const c = capture();
  assert.equal(await runCerts(['--out', out, '--host', 'Webhook.Example.com', '--host', '*.svc.example.com', '--host', '10.1.2.3', '--host', '::1'], c.io), 0, c.stderr());
  const names = sans(new X509Certificate(readFileSync(join(out, 'tls.crt'))));
  for (const n of ['DNS:Webhook.Example.com', 'DNS:*.svc.example.com', 'IP Address:10.1.2.3']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  // The same hosts again: the set covers them and is kept.
  const again = capture();
  assert.equal(await runCerts(['--out', out, '--host', 'webhook.example.com', '--host', '10.1.2.3'], again.io), 0, again.stderr());
  assert.match(again.stderr(), /^kept /);
});

test('--print-webhook-config prints the ValidatingWebhookConfiguration with the caBundle filled', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ig-certs-'));
  const c = capture();
  assert.equal(await runCerts(['--service', 'guard', '--namespace', 'ops', '--out', out, '--print-webhook-config', '--failure-policy', 'Fail'], c.io), 0);
  const vwc = parse(c.stdout());
  assert.equal(vwc.kind, 'ValidatingWebhookConfiguration');
  const [hook] = vwc.webhooks;
  assert.equal(hook.name, WEBHOOK_NAME);
  assert.equal(Buffer.from(hook.clientConfig.caBundle, 'base64').toString('utf8'), readFileSync(join(out, 'ca.crt'), 'utf8'));
  assert.deepEqual(hook.clientConfig.service, { name: 'guard', namespace: 'ops', path: '/validate', port: 443 });
  assert.deepEqual(hook.namespaceSelector.matchExpressions[0].values, ['kube-system', 'ops']);
  assert.equal(hook.failurePolicy, 'Fail');
});

test('options come from INGRESS_GUARD_* when no flag is given; flags win', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ig-certs-'));
  const c = capture({ INGRESS_GUARD_SERVICE: 'envsvc', INGRESS_GUARD_NAMESPACE: 'envns', INGRESS_GUARD_OUT: out, INGRESS_GUARD_PRINT_WEBHOOK_CONFIG: 'true' });
  assert.equal(await runCerts(['--namespace', 'flagns'], c.io), 0, c.stderr());
  const hook = parse(c.stdout()).webhooks[0];
  assert.deepEqual(hook.clientConfig.service, { name: 'envsvc', namespace: 'flagns', path: '/validate', port: 443 });
  assert.ok(sans(new X509Certificate(readFileSync(join(out, 'tls.crt')))).includes('DNS:envsvc.flagns.svc'));
});

test('usage errors: bad --days, bad names, bad failure policy', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ig-certs-'));
  await assert.rejects(runCerts(['--out', out, '--days', '0'], capture().io), /--days/);
  await assert.rejects(runCerts(['--out', out, '--service', 'Bad_Name'], capture().io), /--service/);
  await assert.rejects(runCerts(['--out', out, '--failure-policy', 'Maybe'], capture().io), /--failure-policy/);
  await assert.rejects(runCerts(['--out', out, 'extra'], capture().io), /positional/);
});

test('the CLI dispatches `certs` and `certs --help`', () => {
  const help = spawnSync(process.execPath, [MAIN, 'certs', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /Usage: ingress-guard certs/);
  const out = mkdtempSync(join(tmpdir(), 'ig-certs-'));
  const r = spawnSync(process.execPath, [MAIN, 'certs', '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(Buffer.from(r.stdout.trim(), 'base64').toString('utf8'), readFileSync(join(out, 'ca.crt'), 'utf8'));
  const bad = spawnSync(process.execPath, [MAIN, 'certs', '--days', 'x', '--out', out], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--days/);
});
