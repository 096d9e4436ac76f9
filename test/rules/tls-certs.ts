// Real certificates for the TLS tests, made with selfsigned (ECDSA P-256 unless asked otherwise).
import { generate } from 'selfsigned';

export interface TestCert {
  cert: string;
  key: string;
  /** The public key, to make another certificate with the same key pair. */
  publicKey: string;
}

const DAY = 24 * 60 * 60 * 1000;

export async function makeCert(opts: {
  names: string[];
  cn?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Reuse this key pair (same key, another certificate). */
  keyPair?: TestCert;
  keyType?: 'ec' | 'rsa';
  /** A CA certificate (basicConstraints cA). */
  ca?: boolean;
}): Promise<TestCert> {
  const notBeforeDate = opts.notBefore ?? new Date(Date.now() - DAY);
  const notAfterDate = opts.notAfter ?? new Date(notBeforeDate.getTime() + 100 * 365 * DAY);
  const pems = await generate([{ name: 'commonName', value: opts.cn ?? opts.names[0] ?? 'no-names.test' }], {
    keyType: opts.keyType ?? 'ec',
    ...(opts.keyType === 'rsa' ? { keySize: 2048 } : { curve: 'P-256' as const }),
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ...(opts.keyPair ? { keyPair: { privateKey: opts.keyPair.key, publicKey: opts.keyPair.publicKey } } : {}),
    extensions: [
      { name: 'basicConstraints', cA: opts.ca ?? false },
      ...(opts.names.length ? [{ name: 'subjectAltName' as const, altNames: opts.names.map((value) => ({ type: 2 as const, value })) }] : []),
    ],
  });
  return { cert: pems.cert, key: pems.private, publicKey: pems.public };
}

/** The base64 body lines of a PEM (the bytes that must never leak), without armour. */
export function pemBody(pem: string): string[] {
  return pem.split('\n').filter((l) => l && !l.startsWith('-----'));
}
