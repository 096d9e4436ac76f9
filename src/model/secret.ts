// Secrets are reduced to facts on the way in: which fields exist, whether they are empty, and a keyed
// digest of each value (enough to compare credentials for uniqueness). TLS Secrets also get the public facts
// of their certificate, computed once here. Raw values never enter the state.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { caCertificateFacts, configMapCaFacts, isCaCertificateSource, type CaCertificateFacts } from './ca-certificate.ts';
import { valueDigest } from './digest.ts';
import { CREDENTIAL_LABEL, LAST_APPLIED_ANNOTATION } from './annotations.ts';
import { isRecord, label, setOwn, type K8sObject } from './object.ts';
import { remembered } from './bounded-cache.ts';

export interface SecretField {
  /** Keyed digest of the value; the key is per process, so digests mean nothing outside it. */
  digest: string;
  empty: boolean;
  /** Clear text, only for fields that are never secret (credential type, jwt algorithm). */
  clear?: string;
}

/**
 * Public facts about the leaf (first) certificate of `tls.crt`, for `kubernetes.io/tls` Secrets and any
 * Secret with a `tls.crt`. Errors are fixed phrases: nothing from the Secret's values is ever kept.
 */
export interface CertificateFacts {
  parsed: boolean;
  /** ISO 8601. */
  notAfter?: string;
  notBefore?: string;
  /** The certificate's subject, e.g. `CN=app.example.com` (a certificate is public). */
  subject?: string;
  /** DNS subject alternative names, lower-cased. */
  sans: string[];
  /** `tls.key` is present, parses, and is the leaf certificate's private key (absent when tls.crt did not parse). */
  keyMatches?: boolean;
  /** Why tls.crt is unusable, as a fixed phrase: `tls.crt is not a PEM certificate`. */
  error?: string;
  /** Why tls.key is unusable, as a fixed phrase: `tls.key does not match the certificate`. */
  keyError?: string;
}

export interface SecretFacts {
  credentialType?: string;
  fields: Record<string, SecretField>;
  certificate?: CertificateFacts;
  /** For Secrets labelled konghq.com/ca-cert: "true" (model/ca-certificate.ts). */
  caCertificate?: CaCertificateFacts;
}

export interface RedactedSecret extends K8sObject {
  kind: 'Secret';
  type?: string;
  facts: SecretFacts;
}

const CLEAR_FIELDS = new Set(['kongCredType', 'algorithm']);

function fieldOf(name: string, value: Buffer): SecretField {
  const field: SecretField = { digest: valueDigest(value), empty: value.length === 0 };
  if (CLEAR_FIELDS.has(name)) field.clear = value.toString('utf8');
  return field;
}

const TLS_TYPE = 'kubernetes.io/tls';
// The first block of each kind, as Go's tls.X509KeyPair (which KIC uses) picks them: other blocks are skipped.
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/;
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/;

/** DNS names of `X509Certificate.subjectAltName` (`DNS:a, DNS:"b,c", IP Address:1.2.3.4`). */
function dnsNames(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  const names: string[] = [];
  // Node quotes a value that holds a comma or a quote as a JSON string.
  for (const m of subjectAltName.matchAll(/(?:^|, )([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)/g)) {
    if (m[1] !== 'DNS') continue;
    let value = m[2]!;
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        continue;
      }
    }
    names.push(value.toLowerCase());
  }
  return names;
}

function iso(date: Date | undefined, text: string): string | undefined {
  const d = date ?? new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function matches(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false; // e.g. an RSA key for an ECDSA certificate
  }
}

/** Parses the leaf certificate and checks the key; values are read here and dropped with the raw Secret. */
function certificateFacts(crt: Buffer | undefined, key: Buffer | undefined): CertificateFacts {
  const facts: CertificateFacts = { parsed: false, sans: [] };
  if (!crt) return { ...facts, error: 'tls.crt is missing' };
  if (crt.length === 0) return { ...facts, error: 'tls.crt is empty' };
  const pem = PEM_CERTIFICATE.exec(crt.toString('latin1'))?.[0];
  if (!pem) return { ...facts, error: 'tls.crt is not a PEM certificate' };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return { ...facts, error: 'tls.crt does not hold a valid X.509 certificate' };
  }
  facts.parsed = true;
  const notAfter = iso(cert.validToDate, cert.validTo);
  const notBefore = iso(cert.validFromDate, cert.validFrom);
  if (notAfter) facts.notAfter = notAfter;
  if (notBefore) facts.notBefore = notBefore;
  facts.subject = cert.subject.replace(/\n/g, ', ');
  facts.sans = dnsNames(cert.subjectAltName);
  facts.keyMatches = false;
  if (!key) facts.keyError = 'tls.key is missing';
  else if (key.length === 0) facts.keyError = 'tls.key is empty';
  else {
    const keyPem = PEM_PRIVATE_KEY.exec(key.toString('latin1'))?.[0];
    let privateKey: KeyObject | undefined;
    try {
      if (keyPem) privateKey = createPrivateKey({ key: keyPem, format: 'pem' });
    } catch {
      // Encrypted or malformed; Go's tls.X509KeyPair cannot read it either.
    }
    if (!keyPem) facts.keyError = 'tls.key is not a PEM private key';
    else if (!privateKey) facts.keyError = 'tls.key is not a readable, unencrypted private key';
    else if (matches(cert, privateKey)) facts.keyMatches = true;
    else facts.keyError = 'tls.key does not match the certificate';
  }
  return facts;
}

/**
 * KIC's deckgen sorts certificates by their trimmed `tls.crt` text, descending. To follow it, a redacted Secret whose
 * `tls.crt` starts with a certificate keeps the first ORDER_KEY_LENGTH characters of that PEM block (enough to
 * cover serial number, issuer and validity), here and not in its facts: no output or message can reach it, and it
 * only ever orders two Secrets (compareCertificateOrder). A leaf certificate is public (Kong presents it in every
 * handshake); nothing after it, and nothing from a `tls.crt` that starts with anything else, is kept.
 */
const certificateOrderKeys = new WeakMap<object, string>();
const ORDER_KEY_LENGTH = 512;

function certificateOrderKey(crt: Buffer | undefined): string | undefined {
  if (!crt) return undefined;
  // Go's bytes.TrimSpace (its ASCII part); latin1 keeps one character per byte, so strings compare as Go's bytes do.
  const text = crt.toString('latin1').replace(/^[\t\n\v\f\r ]+/, '');
  const pem = PEM_CERTIFICATE.exec(text);
  return pem?.index === 0 ? pem[0].slice(0, ORDER_KEY_LENGTH) : undefined;
}

/**
 * deckgen's certificate order between two redacted Secrets: by `tls.crt` text, descending (negative: `a` first).
 * A Secret whose `tls.crt` does not start with its certificate sorts last; 0 when the order is not known.
 */
export function compareCertificateOrder(a: K8sObject, b: K8sObject): number {
  const ka = certificateOrderKeys.get(a) ?? '';
  const kb = certificateOrderKeys.get(b) ?? '';
  return ka > kb ? -1 : ka < kb ? 1 : 0;
}

/** Objects made by `redactSecret`: identity, not shape, so a manifest cannot pass itself off as redacted. */
/**
 * The same certificate often sits in many Secrets (a wildcard copied to every namespace) and a relist
 * re-reads them all: parse each distinct certificate + key pair once. Keyed by the fields' keyed digests.
 */
const certificateCache = new Map<string, CertificateFacts>();
const CERTIFICATE_CACHE_SIZE = 4096;

function cachedCertificateFacts(fields: Record<string, SecretField>, tls: Record<string, Buffer>): CertificateFacts {
  const key = `${fields['tls.crt']?.digest ?? ''}|${fields['tls.key']?.digest ?? ''}`;
  return remembered(certificateCache, CERTIFICATE_CACHE_SIZE, key, () => certificateFacts(tls['tls.crt'], tls['tls.key']));
}

const redactedObjects = new WeakSet<object>();

/** True once a Secret has been through `redactSecret`. */
export function isRedacted(obj: K8sObject): obj is RedactedSecret {
  return redactedObjects.has(obj);
}

/**
 * Returns a copy of a Secret without `data`, `stringData` or the last-applied annotation (which holds
 * `stringData` in clear text with client-side apply). `stringData` wins over `data`, as in the API server.
 */
export function redactSecret(obj: K8sObject): RedactedSecret {
  if (isRedacted(obj)) return obj;
  const fields: Record<string, SecretField> = {};
  // The raw TLS values and, for a CA certificate Secret, its entries: kept only for the duration of this call.
  const tls: Record<string, Buffer> = {};
  const ca = isCaCertificateSource(obj);
  const caData: Record<string, string> = {};
  const read = (name: string, value: Buffer) => {
    setOwn(fields, name, fieldOf(name, value));
    if (name === 'tls.crt' || name === 'tls.key') tls[name] = value;
    if (ca) setOwn(caData, name, value.toString('utf8'));
  };
  if (isRecord(obj.data)) {
    for (const [name, value] of Object.entries(obj.data)) {
      if (typeof value === 'string') read(name, Buffer.from(value, 'base64'));
    }
  }
  if (isRecord(obj.stringData)) {
    for (const [name, value] of Object.entries(obj.stringData)) {
      if (typeof value === 'string') read(name, Buffer.from(value, 'utf8'));
    }
  }
  const annotations = { ...obj.metadata.annotations };
  delete annotations[LAST_APPLIED_ANNOTATION];
  const metadata = { ...obj.metadata, annotations };
  const facts: SecretFacts = { fields };
  const credentialType = label(obj, CREDENTIAL_LABEL) ?? fields.kongCredType?.clear;
  if (credentialType) facts.credentialType = credentialType;
  if (obj.type === TLS_TYPE || tls['tls.crt']) facts.certificate = cachedCertificateFacts(fields, tls);
  if (ca) facts.caCertificate = caCertificateFacts(caData, valueDigest);
  const redacted: RedactedSecret = { apiVersion: obj.apiVersion, kind: 'Secret', metadata, facts };
  if (typeof obj.type === 'string') redacted.type = obj.type;
  redactedObjects.add(redacted);
  const order = facts.certificate?.parsed ? certificateOrderKey(tls['tls.crt']) : undefined;
  if (order !== undefined) certificateOrderKeys.set(redacted, order);
  return redacted;
}

/** The CA certificate facts of a labelled Secret or ConfigMap (model/ca-certificate.ts); undefined for anything else. */
export function caCertificateOf(obj: K8sObject): CaCertificateFacts | undefined {
  if (!isCaCertificateSource(obj)) return undefined;
  if (obj.kind === 'ConfigMap') return configMapCaFacts(obj);
  return isRedacted(obj) ? obj.facts.caCertificate : undefined;
}
