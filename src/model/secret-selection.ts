// Which Secrets ingress-guard reads, and which Secret writes the API server sends it: the one place both are
// defined. The informer (src/state/informers.ts), the manifest loader, the admission parser and the registered
// matchCondition (src/deploy/webhook-config.ts) all derive from here; docs/deploy.md ("Which Secrets
// ingress-guard reads") describes it for users.
//
// Read: every Secret except a few types that Kong never uses. The rules and the translator read Secrets that no
// label identifies: a plugin's configFrom/configPatches Secret (KIC only asks for `konghq.com/validate` so that
// its own webhook sees changes; the translator reads the Secret whatever its labels), an Opaque Secret with
// tls.crt/tls.key named by an Ingress or a Gateway listener, a credential Secret. KIC 3.5 does the same: its
// cache lists and watches every Secret, and without --secret-label-selector every one reaches its store
// (internal/controllers/configuration/secret_controller.go: the label predicate is empty, so it matches all).
// Selecting by reference instead would make the view depend on the order of events and relist on every new
// reference. Memory stays small: the Store keeps facts (field names, keyed digests), never values.
//
// Admitted (the matchCondition): only Secrets identifiable without a lookup, by type or label, as KIC's own
// webhook does. The API server cannot know which Secrets a plugin names, and sending every Secret write to the
// webhook would put all of them behind its failurePolicy.
import { CREDENTIAL_LABEL } from './annotations.ts';
import { isRecord } from './object.ts';

export const TLS_SECRET_TYPE = 'kubernetes.io/tls';
/** KIC's label for plugin configuration Secrets (its webhook validates their referrers on change). */
export const PLUGIN_CONFIG_LABEL = 'konghq.com/validate';

/**
 * Types whose content belongs to someone else and that no Kong object can sensibly use: the API server
 * requires their fixed keys (.dockercfg, .dockerconfigjson, token) or Helm writes them (one compressed release
 * per revision: the bulk of Secret bytes in many clusters). Excluded on the server side, so they are never sent.
 */
export const IGNORED_SECRET_TYPES = [
  'helm.sh/release.v1',
  'kubernetes.io/service-account-token',
  'kubernetes.io/dockercfg',
  'kubernetes.io/dockerconfigjson',
  'bootstrap.kubernetes.io/token',
] as const;

/** The informer's server-side field selector on Secrets (`type` is a field the API server selects on). */
export const SECRET_FIELD_SELECTOR = IGNORED_SECRET_TYPES.map((t) => `type!=${t}`).join(',');

/** Whether a Secret is one the engine reads: the same test as SECRET_FIELD_SELECTOR, for manifests and reviews. */
export function isReadSecret(obj: unknown): boolean {
  const type = isRecord(obj) ? obj.type : undefined;
  return !(IGNORED_SECRET_TYPES as readonly unknown[]).includes(type);
}

/** Labels that make a Secret's writes reach the webhook (besides the TLS type). */
export const ADMITTED_SECRET_LABELS = [CREDENTIAL_LABEL, PLUGIN_CONFIG_LABEL] as const;

/** CEL: `v` (object or oldObject) is a Secret write the webhook judges. */
export function admittedSecretCel(v: 'object' | 'oldObject'): string {
  const labels = ADMITTED_SECRET_LABELS.map((l) => `"${l}" in ${v}.metadata.labels`).join(' || ');
  return `(${v} != null && ((has(${v}.type) && ${v}.type == "${TLS_SECRET_TYPE}") || (has(${v}.metadata.labels) && (${labels}))))`;
}
