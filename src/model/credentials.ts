// Facts about credential types, read by the store's credential index and the credential rules.
// Types: KIC's credentials.SupportedTypes plus "konnect" (internal/admission/validation/consumers/credentials/vars.go).

/** `table[type]` for a type read from a Secret: "toString" or "__proto__" must not find Object's own members. */
export function forType<T>(table: Readonly<Record<string, T>>, type: string): T | undefined {
  return Object.hasOwn(table, type) ? table[type] : undefined;
}

/** The field Kong keeps unique across all consumers, per credential type. */
export const CREDENTIAL_UNIQUE_FIELD: Record<string, string> = {
  'key-auth': 'key',
  'basic-auth': 'username',
  'hmac-auth': 'username',
  jwt: 'key',
  oauth2: 'client_id',
};

/**
 * Fields KIC's translator insists on (kongstate/credentials.go, New*, KIC v3.0.0-v3.5.13): without one, KIC skips the
 * credential. Nothing else is checked there: a jwt algorithm defaults to HS256, and Kong generates what it can.
 * "konnect" Secrets belong to Kong's operator; KIC's webhook accepts them.
 */
export const KIC_REQUIRED_FIELDS: Record<string, readonly string[]> = {
  'key-auth': ['key'],
  'basic-auth': ['username'],
  'hmac-auth': ['username'],
  jwt: ['key'],
  oauth2: ['client_id', 'name'],
  acl: ['group'],
  'mtls-auth': ['subject_name'],
  konnect: [],
};

/**
 * Fields Kong 3.9.3 requires and does not generate (kong/plugins/<name>/daos.lua), beyond KIC's: KIC passes the
 * credential on and Kong rejects it. hmac-auth's secret, key-auth's key, jwt's key and secret and oauth2's client_id
 * and client_secret are `auto`: Kong generates them.
 */
export const KONG_REQUIRED_FIELDS: Record<string, readonly string[]> = {
  'basic-auth': ['password'],
};

/** jwt algorithms for which Kong requires rsa_public_key (jwt/daos.lua: RS*, PS* and EdDSA, not ES*). */
export const JWT_PUBLIC_KEY_ALGORITHMS = /^(RS256|RS384|RS512|PS256|PS384|PS512|EdDSA)$/;

/** The string fields Kong stores per type; Kong refuses an empty string in any of them (schema len_min 1). */
export const KONG_STRING_FIELDS: Record<string, readonly string[]> = {
  'key-auth': ['key'],
  'basic-auth': ['username', 'password'],
  'hmac-auth': ['username', 'secret'],
  jwt: ['key', 'secret', 'rsa_public_key'],
  oauth2: ['name', 'client_id', 'client_secret', 'redirect_uris'],
  acl: ['group'],
};
