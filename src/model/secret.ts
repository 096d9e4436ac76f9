// Secrets are reduced to facts on the way in: which fields exist, whether they are empty, and a keyed
// digest of each value (enough to compare credentials for uniqueness). Raw values never enter the state.
import { createHmac, randomBytes } from 'node:crypto';
import { CREDENTIAL_LABEL, LAST_APPLIED_ANNOTATION } from './annotations.ts';
import { isRecord, label, type K8sObject } from './object.ts';

export interface SecretField {
  /** Keyed digest of the value; the key is per process, so digests mean nothing outside it. */
  digest: string;
  empty: boolean;
  /** Clear text, only for fields that are never secret (credential type, jwt algorithm). */
  clear?: string;
}

export interface SecretFacts {
  credentialType?: string;
  fields: Record<string, SecretField>;
}

export interface RedactedSecret extends K8sObject {
  kind: 'Secret';
  type?: string;
  facts: SecretFacts;
}

const CLEAR_FIELDS = new Set(['kongCredType', 'algorithm']);
const digestKey = randomBytes(32);

function digest(value: Buffer): string {
  return createHmac('sha256', digestKey).update(value).digest('base64url').slice(0, 32);
}

function fieldOf(name: string, value: Buffer): SecretField {
  const field: SecretField = { digest: digest(value), empty: value.length === 0 };
  if (CLEAR_FIELDS.has(name)) field.clear = value.toString('utf8');
  return field;
}

/** Objects made by `redactSecret`: identity, not shape, so a manifest cannot pass itself off as redacted. */
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
  if (isRecord(obj.data)) {
    for (const [name, value] of Object.entries(obj.data)) {
      if (typeof value === 'string') fields[name] = fieldOf(name, Buffer.from(value, 'base64'));
    }
  }
  if (isRecord(obj.stringData)) {
    for (const [name, value] of Object.entries(obj.stringData)) {
      if (typeof value === 'string') fields[name] = fieldOf(name, Buffer.from(value, 'utf8'));
    }
  }
  const annotations = { ...obj.metadata.annotations };
  delete annotations[LAST_APPLIED_ANNOTATION];
  const metadata = { ...obj.metadata, annotations };
  const facts: SecretFacts = { fields };
  const credentialType = label(obj, CREDENTIAL_LABEL) ?? fields.kongCredType?.clear;
  if (credentialType) facts.credentialType = credentialType;
  const redacted: RedactedSecret = { apiVersion: obj.apiVersion, kind: 'Secret', metadata, facts };
  if (typeof obj.type === 'string') redacted.type = obj.type;
  redactedObjects.add(redacted);
  return redacted;
}
