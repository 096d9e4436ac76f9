// Test PKI: a CA and serving certificates for 127.0.0.1/localhost, written to a temp dir.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TestCa {
  cert: string;
  key: string;
}

export interface ServingPair {
  cert: string;
  key: string;
  serialNumber: string;
}

export async function makeCa(): Promise<TestCa> {
  const ca = await generate([{ name: 'commonName', value: 'ingress-guard test CA' }], {
    algorithm: 'sha256',
    keyType: 'ec',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: ca.cert, key: ca.private };
}

export async function makeServing(ca: TestCa): Promise<ServingPair> {
  const { X509Certificate } = await import('node:crypto');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    algorithm: 'sha256',
    keyType: 'ec',
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { cert: pems.cert, key: pems.private, serialNumber: new X509Certificate(pems.cert).serialNumber };
}

export function tempDir(prefix = 'ingress-guard-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writePair(dir: string, pair: { cert: string; key: string }): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  writeFileSync(keyFile, pair.key);
  writeFileSync(certFile, pair.cert);
  return { certFile, keyFile };
}
