// Credential Secret rules: a Secret labelled konghq.com/credential (or with the legacy kongCredType field) judged
// alone, as KIC's webhook and translator do. Secrets reach rules redacted: only field names, emptiness and the
// clear values of kongCredType and algorithm exist here, so no message can echo a credential.
import { CREDENTIAL_LABEL } from '../model/annotations.ts';
import { label } from '../model/object.ts';
import { isRedacted } from '../model/secret.ts';
import { CREDENTIAL_REQUIRED_FIELDS } from '../model/credentials.ts';
import type { Draft, Rule } from './rule.ts';
import { closest, name, plainList, quoteList } from './text.ts';

/** Kong's jwt_secrets algorithms. */
export const JWT_ALGORITHMS: readonly string[] = [
  'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA',
];

const CREDENTIAL_TYPES = Object.keys(CREDENTIAL_REQUIRED_FIELDS);

export const credentialInvalid: Rule = {
  id: 'credential-invalid',
  severity: 'deny',
  summary: 'A credential Secret has an unknown type, lacks a required field or has an invalid jwt algorithm.',
  explanation:
    'KIC turns a Secret labelled konghq.com/credential into a Kong credential of that type for every KongConsumer that lists it. ' +
    'An unknown type, or a missing or empty required field (key-auth key, basic-auth username and password, hmac-auth username and secret, ' +
    'jwt key and algorithm plus rsa_public_key for RS/ES/PS/EdDSA or secret for HS, oauth2 name, client_id, client_secret and redirect_uris, acl group, mtls-auth subject_name), ' +
    'makes KIC or Kong reject the credential: the consumer cannot authenticate, and KIC\'s fallback excludes the consumers that use it. ' +
    'Messages name fields, never values.',
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
  check(_ctx, subject) {
    if (!isRedacted(subject)) return [];
    const { credentialType: type, fields } = subject.facts;
    if (type === undefined) return [];
    const typeField = label(subject, CREDENTIAL_LABEL) !== undefined ? `metadata.labels["${CREDENTIAL_LABEL}"]` : 'data.kongCredType';
    const consequence = 'KIC drops the credential, so the consumers that list this Secret cannot authenticate with it.';
    const required = CREDENTIAL_REQUIRED_FIELDS[type];
    if (!required) {
      const guess = closest(type, CREDENTIAL_TYPES);
      return [
        {
          field: typeField,
          discriminator: 'type',
          related: [],
          message: `${name(subject)} has credential type "${type}"${guess ? ` (did you mean "${guess}"?)` : ''}, which KIC does not support. ${consequence}`,
          fix: guess ? `set the type to "${guess}".` : `use one of ${quoteList(CREDENTIAL_TYPES.filter((t) => t !== 'konnect'))}.`,
        },
      ];
    }
    const absent = (f: string): boolean => fields[f] === undefined || fields[f].empty;
    const missing = required.filter(absent);
    const drafts: Draft[] = [];
    if (type === 'jwt') {
      const algorithm = fields.algorithm?.clear;
      if (algorithm !== undefined && algorithm !== '') {
        if (!JWT_ALGORITHMS.includes(algorithm)) {
          const guess = closest(algorithm, JWT_ALGORITHMS);
          const value = algorithm.length <= 20 ? ` "${algorithm}"` : '';
          drafts.push({
            field: 'data.algorithm',
            discriminator: 'algorithm',
            related: [],
            message: `${name(subject)} is a jwt credential with algorithm${value}${guess ? ` (did you mean "${guess}"?)` : ''}, which Kong does not support. ${consequence}`,
            fix: `set algorithm to one of ${quoteList(JWT_ALGORITHMS)}.`,
          });
        } else if (algorithm.startsWith('HS')) {
          if (absent('secret')) missing.push('secret');
        } else if (absent('rsa_public_key')) missing.push('rsa_public_key');
      }
    }
    if (missing.length) {
      const why = type === 'jwt' && missing.some((f) => f === 'secret' || f === 'rsa_public_key') ? ` (${fields.algorithm?.clear} needs ${missing.includes('secret') ? 'a shared secret' : 'a public key'})` : '';
      drafts.unshift({
        field: `data.${missing[0]}`,
        discriminator: 'fields',
        related: [],
        message: `${name(subject)} is a "${type}" credential without ${missing.length === 1 ? 'field' : 'fields'} ${plainList(missing)}${why}: ${missing.length === 1 ? 'it is' : 'they are'} missing or empty. ${consequence}`,
        fix: `add ${plainList(missing)} to the Secret's data or stringData.`,
      });
    }
    return drafts;
  },
};

export const CREDENTIAL_RULES: readonly Rule[] = [credentialInvalid];
