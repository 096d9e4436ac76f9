// KIC's credential types (internal/admission/validation/consumers/credentials/vars.go).
// Facts about a credential type, read by the store's credential index and the credential rules.

/** The field Kong keeps unique across all consumers, per credential type. */
export const CREDENTIAL_UNIQUE_FIELD: Record<string, string> = {
  'key-auth': 'key',
  'basic-auth': 'username',
  'hmac-auth': 'username',
  jwt: 'key',
  oauth2: 'client_id',
};

export const CREDENTIAL_REQUIRED_FIELDS: Record<string, readonly string[]> = {
  'key-auth': ['key'],
  'basic-auth': ['username', 'password'],
  'hmac-auth': ['username', 'secret'],
  jwt: ['algorithm', 'key'],
  oauth2: ['name', 'client_id', 'client_secret', 'redirect_uris'],
  acl: ['group'],
  'mtls-auth': ['subject_name'],
  konnect: [],
};
