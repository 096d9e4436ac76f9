// Credential Secret rules: a Secret labelled konghq.com/credential (or, before KIC 3.2, with the legacy kongCredType
// field) judged as KIC's translator (kongstate/kongstate.go FillConsumersAndCredentials, kongstate/credentials.go) and
// Kong 3.9.3 (kong/plugins/<name>/daos.lua) take it. Secrets reach rules redacted: only field names, emptiness and the
// clear values of kongCredType and algorithm exist here, so no message can echo a credential.
import { CREDENTIAL_LABEL } from '../model/annotations.ts';
import { label, refOf, type K8sObject } from '../model/object.ts';
import { isRedacted } from '../model/secret.ts';
import { forType, JWT_PUBLIC_KEY_ALGORITHMS, KIC_REQUIRED_FIELDS, KONG_REQUIRED_FIELDS, KONG_STRING_FIELDS } from '../model/credentials.ts';
import { consumerView } from '../model/views.ts';
import type { Translator } from '../translate/translator.ts';
import type { Draft, Rule } from './rule.ts';
import { closest, name, plainList, quoteList } from './text.ts';

/** Kong's jwt_secrets algorithms. */
export const JWT_ALGORITHMS: readonly string[] = [
  'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA',
];

const CREDENTIAL_TYPES = Object.keys(KIC_REQUIRED_FIELDS);

/** Who loses what when KIC skips the credential (a translation failure; the consumers stay). */
function skipped(tr: Translator, secret: K8sObject, failure: string): string {
  const consumers = tr.consumersListing(secret);
  // A consumer whose only credential this is cannot authenticate at all.
  const alone = consumers.filter((c) => consumerView(c).credentials.every((n) => n === secret.metadata.name)).map(name);
  const who = consumers.length
    ? `${plainList(consumers.map(name))} ${consumers.length === 1 ? 'stays' : 'stay'} without it` +
      (alone.length === consumers.length ? ' and, having no other credential, cannot authenticate at all' : alone.length ? ` (${plainList(alone)}, with no other credential, cannot authenticate at all)` : '')
    : 'a KongConsumer that lists it gets nothing from it';
  return `KIC skips the credential and records "${failure}" on each KongConsumer that lists it: ${who}, so requests presenting it get 401 on routes that require authentication.`;
}

/** What happens when KIC passes the credential on and Kong refuses it. */
function rejected(tr: Translator, secret: K8sObject, kongError: string): string {
  const consumers = tr.consumersListing(secret).map(name);
  const also = consumers.length ? ` and ${plainList(consumers)}, which ${consumers.length === 1 ? 'lists' : 'list'} it,` : ' and the KongConsumers that list it';
  return `KIC passes it on and Kong rejects the configuration ("${kongError}"): no further change reaches Kong, or, with KIC's fallback configuration, ${name(secret)}${also} are left out.`;
}

export const credentialInvalid: Rule = {
  id: 'credential-invalid',
  severity: 'deny',
  summary: 'A credential Secret has no credential label (KIC 3.2+), an unknown type, lacks a field KIC or Kong requires, or has an empty field or an invalid jwt algorithm.',
  explanation:
    'KIC turns a Secret labelled konghq.com/credential into a Kong credential of that type for every KongConsumer that lists it. ' +
    'Since KIC 3.2 the label is the only source of the type: a Secret with only the legacy kongCredType field is skipped (before 3.2, with kicVersion, the field still counts). ' +
    'KIC also skips a credential of an unknown type or without the fields its translator insists on (key-auth key, basic-auth and hmac-auth username, ' +
    'jwt key, oauth2 client_id and name, acl group, mtls-auth subject_name): the consumers stay, without it. ' +
    'Kong itself requires a basic-auth password and, for jwt algorithms RS*, PS* and EdDSA, an rsa_public_key, and refuses empty strings and unknown jwt algorithms: ' +
    'KIC passes those on and Kong rejects the whole configuration. What Kong generates is not required: an hmac-auth secret, a jwt secret, ' +
    'an oauth2 client_secret; a jwt algorithm defaults to HS256. Messages name fields, never values.',
  examples: {
    bad: `apiVersion: v1
kind: Secret
metadata:
  name: bob-key-auth
  namespace: default
  labels:
    konghq.com/credential: key-auth
stringData:
  apikey: bob-password
`,
    good: `apiVersion: v1
kind: Secret
metadata:
  name: bob-key-auth
  namespace: default
  labels:
    konghq.com/credential: key-auth
stringData:
  key: bob-password
`,
  },
  kinds: ['Secret'],
  check({ tr }, subject) {
    if (!isRedacted(subject)) return [];
    const { fields } = subject.facts;
    const legacy = fields.kongCredType?.clear;
    const type = tr.credentialType(subject);
    if (type === undefined) {
      if (!legacy || label(subject, CREDENTIAL_LABEL) !== undefined) return [];
      // KIC 3.2+ (util/credential.go): the legacy field alone is no credential type.
      return [
        {
          field: `metadata.labels["${CREDENTIAL_LABEL}"]`,
          discriminator: 'type',
          related: tr.consumersListing(subject).map(refOf),
          message:
            `${name(subject)} has only the legacy kongCredType field${legacy.length <= 20 ? ` ("${legacy}")` : ''} and no ${CREDENTIAL_LABEL} label; KIC 3.2 and later read a credential's type only from the label. ` +
            skipped(tr, subject, `Secret ${subject.metadata.namespace}/${subject.metadata.name} used as credential, but lacks ${CREDENTIAL_LABEL} label`),
          fix: `label the Secret ${CREDENTIAL_LABEL}=${CREDENTIAL_TYPES.includes(legacy) ? legacy : '<type>'} (kubectl label secret ${subject.metadata.name} ${CREDENTIAL_LABEL}=${CREDENTIAL_TYPES.includes(legacy) ? legacy : '<type>'}).`,
        },
      ];
    }
    const typeField = label(subject, CREDENTIAL_LABEL) !== undefined ? `metadata.labels["${CREDENTIAL_LABEL}"]` : 'data.kongCredType';
    const kicRequired = forType(KIC_REQUIRED_FIELDS, type);
    if (!kicRequired) {
      const guess = closest(type, CREDENTIAL_TYPES);
      return [
        {
          field: typeField,
          discriminator: 'type',
          related: [],
          message: `${name(subject)} has credential type "${type}"${guess ? ` (did you mean "${guess}"?)` : ''}, which KIC does not support. ${skipped(tr, subject, `unsupported credential type: "${type}"`)}`,
          fix: guess ? `set the type to "${guess}".` : `use one of ${quoteList(CREDENTIAL_TYPES.filter((t) => t !== 'konnect'))}.`,
        },
      ];
    }
    const absent = (f: string): boolean => fields[f] === undefined;
    const drafts: Draft[] = [];
    // 1. What KIC's translator insists on: without it, the credential is skipped.
    const kicMissing = kicRequired.filter(absent);
    if (kicMissing.length) {
      drafts.push({
        field: `data.${kicMissing[0]}`,
        discriminator: 'fields',
        related: [],
        message: `${name(subject)} is a "${type}" credential without ${kicMissing.length === 1 ? 'field' : 'fields'} ${plainList(kicMissing)}. ${skipped(tr, subject, `${type} is invalid: no ${kicMissing[0]}`)}`,
        fix: `add ${plainList(kicMissing)} to the Secret's data or stringData.`,
      });
      return drafts;
    }
    // 2. What Kong requires beyond that, and refuses empty: KIC passes the credential on and Kong rejects the configuration.
    const kongMissing = (forType(KONG_REQUIRED_FIELDS, type) ?? []).filter(absent);
    const algorithm = type === 'jwt' ? fields.algorithm?.clear || 'HS256' : undefined;
    if (algorithm && JWT_PUBLIC_KEY_ALGORITHMS.test(algorithm) && absent('rsa_public_key')) kongMissing.push('rsa_public_key');
    const empty = (forType(KONG_STRING_FIELDS, type) ?? []).filter((f) => fields[f]?.empty === true);
    if (kongMissing.length) {
      const why = kongMissing.includes('rsa_public_key') ? ` (jwt algorithm ${algorithm} needs a public key)` : '';
      drafts.push({
        field: `data.${kongMissing[0]}`,
        discriminator: 'fields',
        related: [],
        kongRejects: true,
        message: `${name(subject)} is a "${type}" credential without ${kongMissing.length === 1 ? 'field' : 'fields'} ${plainList(kongMissing)}${why}. ${rejected(tr, subject, `${kongMissing[0]}: required field missing`)}`,
        fix: `add ${plainList(kongMissing)} to the Secret's data or stringData.`,
      });
    }
    if (empty.length) {
      drafts.push({
        field: `data.${empty[0]}`,
        discriminator: 'empty',
        kongRejects: true,
        related: [],
        message: `${name(subject)} is a "${type}" credential with ${empty.length === 1 ? 'an empty field' : 'empty fields'} ${plainList(empty)}. ${rejected(tr, subject, `${empty[0]}: length must be at least 1`)}`,
        fix: `give ${plainList(empty)} a value, or remove ${empty.length === 1 ? 'it' : 'them'}${empty.some((f) => !kicRequired.includes(f) && !(forType(KONG_REQUIRED_FIELDS, type) ?? []).includes(f)) ? ' (Kong generates what is left out)' : ''}.`,
      });
    }
    if (algorithm && fields.algorithm?.clear && !JWT_ALGORITHMS.includes(algorithm)) {
      const guess = closest(algorithm, JWT_ALGORITHMS);
      const value = algorithm.length <= 20 ? ` "${algorithm}"` : '';
      drafts.push({
        field: 'data.algorithm',
        discriminator: 'algorithm',
        kongRejects: true,
        related: [],
        message: `${name(subject)} is a jwt credential with algorithm${value}${guess ? ` (did you mean "${guess}"?)` : ''}, which Kong does not support. ${rejected(tr, subject, 'algorithm: expected one of: ...')}`,
        fix: `set algorithm to one of ${quoteList(JWT_ALGORITHMS)}.`,
      });
    }
    return drafts;
  },
};

export const CREDENTIAL_RULES: readonly Rule[] = [credentialInvalid];
