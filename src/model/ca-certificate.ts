// CA certificates KIC sends to Kong: Secrets and ConfigMaps labelled konghq.com/ca-cert: "true" (store.ListCACerts,
// with no class filter). Reduced to public facts, with KIC's own checks and words (translator/translate_cacerts.go,
// toKongCACertificate): the certificate is one PEM CERTIFICATE block of a CA, unexpired, under "cert" or "ca.crt", and
// the object's "id" becomes the Kong ca_certificate's id, which Kong requires to be a UUID.
import { X509Certificate } from 'node:crypto';
import { valueDigest } from './digest.ts';
import { asString, isRecord, label, memoizeByObject, type K8sObject } from './object.ts';

export const CA_CERT_LABEL = 'konghq.com/ca-cert';

export interface CaCertificateFacts {
  /** The "id" entry: absent when missing; a keyed digest to compare ids without keeping Secret values. */
  id?: { digest: string; uuid: boolean };
  /** Where the certificate was read from ("cert" first, as KIC reads it). */
  field?: 'cert' | 'ca.crt';
  /** KIC's reason to skip it ("invalid PEM block", ...), or that neither key exists. */
  error?: string;
  /** ISO 8601, when the certificate parsed. */
  notAfter?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PEM_BLOCK = /^-----BEGIN ([^-\r\n]+)-----\r?\n[\s\S]*?\r?\n-----END \1-----/;

/** Whether KIC reads this object as a CA certificate. */
export function isCaCertificateSource(obj: K8sObject): boolean {
  return (obj.kind === 'Secret' || obj.kind === 'ConfigMap') && label(obj, CA_CERT_LABEL) === 'true';
}

/** Facts from the raw values (a Secret's decoded data or a ConfigMap's data); `digest` keys the id. */
export function caCertificateFacts(data: Record<string, string>, digest: (value: string) => string): CaCertificateFacts {
  const facts: CaCertificateFacts = {};
  const id = data.id;
  if (id !== undefined) facts.id = { digest: digest(id), uuid: UUID.test(id) };
  const field = data.cert !== undefined ? 'cert' : data['ca.crt'] !== undefined ? 'ca.crt' : undefined;
  if (!field) return { ...facts, error: 'neither "cert" nor "ca.crt" key exist' };
  facts.field = field;
  // Go's pem.Decode loop over the trimmed value: anything that is not a PEM block is an error.
  let rest = data[field]!.trim();
  const blocks: string[] = [];
  while (rest.length > 0) {
    const m = PEM_BLOCK.exec(rest);
    if (!m) return { ...facts, error: 'invalid PEM block' };
    if (m[1] !== 'CERTIFICATE') return { ...facts, error: 'invalid PEM block type' };
    blocks.push(m[0]);
    rest = rest.slice(m[0].length).trim();
  }
  if (blocks.length === 0) return { ...facts, error: 'invalid PEM block' };
  if (blocks.length > 1) return { ...facts, error: 'multiple PEM certificates found' };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(blocks[0]!);
  } catch {
    return { ...facts, error: 'failed to parse certificate' };
  }
  if (!cert.ca) return { ...facts, error: "certificate is missing the 'CA' basic constraint" };
  const notAfter = cert.validToDate ?? new Date(cert.validTo);
  if (!Number.isNaN(notAfter.getTime())) facts.notAfter = notAfter.toISOString();
  return facts;
}

/** A ConfigMap's facts (its data is not secret, but the engine needs only the facts), once per object version. */
export const configMapCaFacts: (obj: K8sObject) => CaCertificateFacts = memoizeByObject((obj) => {
  const data = isRecord(obj.data) ? Object.fromEntries(Object.entries(obj.data).filter((e): e is [string, string] => asString(e[1]) !== undefined)) : {};
  return caCertificateFacts(data, valueDigest);
});
