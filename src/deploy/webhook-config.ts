// The ValidatingWebhookConfiguration, built from KINDS so the registered resources never drift from what the
// engine reads. `ingress-guard install` prints it (src/deploy/manifests.ts), deploy/base holds the same output
// (a test keeps them equal), `ingress-guard certs --print-webhook-config` prints it with the caBundle filled.
import type { Manifest } from './yaml.ts';
import { toYaml } from './yaml.ts';
import { KINDS, type KindName } from '../model/kinds.ts';
import { admittedSecretCel } from '../model/secret-selection.ts';

export const WEBHOOK_CONFIGURATION_NAME = 'ingress-guard';
export const WEBHOOK_NAME = 'validate.ingress-guard.dev';
/** Below Kubernetes 1.28 (no matchConditions), Secrets get a webhook entry of their own that never fails closed. */
export const SECRETS_WEBHOOK_NAME = 'validate-secrets.ingress-guard.dev';
export const WEBHOOK_PATH = '/validate';
export const OPERATIONS = ['CREATE', 'UPDATE', 'DELETE'] as const;
/** The API server waits this long for an answer; also bounds the drain at shutdown. */
export const TIMEOUT_SECONDS = 5;

/**
 * Kinds the engine only reads (informers, state) and never judges: registering them would send every write to
 * the webhook for nothing. EndpointSlices are rewritten by the control plane on every pod readiness change, and
 * with failurePolicy Fail an outage of the webhook would freeze endpoints cluster-wide. ConfigMaps (read only when
 * labelled as CA certificates) are everywhere, and KIC's own webhook does not judge them either.
 */
export const READ_ONLY_KINDS: readonly KindName[] = ['EndpointSlice', 'ConfigMap'];

/** Kinds registered with the API server. */
export const ADMITTED_KINDS = KINDS.filter((k) => !READ_ONLY_KINDS.includes(k.kind));

/**
 * Secrets are registered, but only those the engine can judge reach the webhook: the admitted selection of
 * src/model/secret-selection.ts (TLS type, konghq.com/credential, konghq.com/validate). objectSelector cannot
 * select on `type`, so this is a matchCondition (CEL, evaluated in the API server: Kubernetes >= 1.28, GA in
 * 1.30). Both sides are tested so that an UPDATE removing the label, and a DELETE (object is null), are still seen.
 */
export const SECRET_MATCH_CONDITION = {
  name: 'kong-relevant-secrets-only',
  expression: [
    `!(request.resource.group == "" && request.resource.resource == "secrets")`,
    admittedSecretCel('object'),
    admittedSecretCel('oldObject'),
  ].join(' ||\n'),
};

export type FailurePolicy = 'Ignore' | 'Fail';

/** A Kubernetes minor release, e.g. { major: 1, minor: 28 }. */
export interface KubernetesVersion {
  major: number;
  minor: number;
}

/** matchConditions: beta and on by default in 1.28 (GA 1.30). Older API servers refuse the whole object. */
export function supportsMatchConditions(v: KubernetesVersion): boolean {
  return v.major > 1 || v.minor >= 28;
}

export interface WebhookConfigurationOptions {
  service?: string;
  namespace?: string;
  /** base64 PEM of the CA that signed the serving certificate; omitted when empty (see WITHOUT_CA_BUNDLE). */
  caBundle?: string;
  failurePolicy?: FailurePolicy;
  /** clientConfig.service.path (default /validate; /validate/<token> with a path token). */
  path?: string;
  /** Target cluster (default 1.28): below 1.28 there are no matchConditions. */
  kubernetesVersion?: KubernetesVersion;
  annotations?: Record<string, string>;
}

export interface WebhookRule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
  scope: '*';
}

/** One rule per (group, versions), resources in KINDS order. */
export function webhookRules(kinds = ADMITTED_KINDS): WebhookRule[] {
  const rules = new Map<string, WebhookRule>();
  for (const k of kinds) {
    const versions = [...k.versions].sort();
    const key = `${k.group}|${versions.join(',')}`;
    let rule = rules.get(key);
    if (!rule) {
      rule = { apiGroups: [k.group], apiVersions: versions, operations: [...OPERATIONS], resources: [], scope: '*' };
      rules.set(key, rule);
    }
    rule.resources.push(k.resource);
  }
  return [...rules.values()];
}

export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = { major: 1, minor: 28 };

export function webhookConfiguration(opts: WebhookConfigurationOptions = {}): Record<string, unknown> {
  const service = opts.service ?? 'ingress-guard';
  const namespace = opts.namespace ?? 'ingress-guard';
  const excluded = [...new Set(['kube-system', namespace])];
  const matchConditions = supportsMatchConditions(opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION);
  const isSecret = (k: (typeof ADMITTED_KINDS)[number]) => k.group === '' && k.kind === 'Secret';
  const webhook = (name: string, rules: WebhookRule[], failurePolicy: FailurePolicy) => ({
    name,
    clientConfig: {
      service: { name: service, namespace, path: opts.path ?? WEBHOOK_PATH, port: 443 },
      ...(opts.caBundle ? { caBundle: opts.caBundle } : {}),
    },
    rules,
    matchPolicy: 'Equivalent',
    namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: excluded }] },
    ...(matchConditions ? { matchConditions: [SECRET_MATCH_CONDITION] } : {}),
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    timeoutSeconds: TIMEOUT_SECONDS,
    failurePolicy,
  });
  const failurePolicy = opts.failurePolicy ?? 'Ignore';
  // Without matchConditions every Secret write in the cluster would reach the webhook: those go to an entry of
  // their own that always ignores failures, so an outage never blocks unrelated Secrets (tokens, Helm releases).
  const webhooks = matchConditions
    ? [webhook(WEBHOOK_NAME, webhookRules(), failurePolicy)]
    : [webhook(WEBHOOK_NAME, webhookRules(ADMITTED_KINDS.filter((k) => !isSecret(k))), failurePolicy), webhook(SECRETS_WEBHOOK_NAME, webhookRules(ADMITTED_KINDS.filter(isSecret)), 'Ignore')];
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: {
      name: WEBHOOK_CONFIGURATION_NAME,
      labels: { 'app.kubernetes.io/name': 'ingress-guard' },
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
    },
    webhooks,
  };
}

const WITHOUT_CA_BUNDLE = `caBundle is deliberately absent: docs/deploy.md patches it in from \`ingress-guard certs\`, or the
cert-manager overlay injects it (cert-manager.io/inject-ca-from). Leaving it out of the manifest keeps a
later \`kubectl apply -k\` from wiping the value.`;

const WITH_MATCH_CONDITIONS = `Only Kong-relevant Secrets reach the webhook (TLS, konghq.com/credential, konghq.com/validate); every
other Secret write is decided in the API server without a call. Needs Kubernetes >= 1.28.`;

/** What a cluster older than 1.28 loses: said in the output, where the operator looks. */
export const WITHOUT_MATCH_CONDITIONS = `No matchConditions: the target cluster (--kubernetes-version) is older than 1.28, whose API server
refuses the whole configuration with "unknown field webhooks[0].matchConditions". So EVERY Secret write
outside the excluded namespaces (service account tokens, Helm releases, application secrets) reaches the
webhook, not only TLS and konghq.com/credential|validate Secrets: one call's latency on each. They go to
a second entry, validate-secrets.ingress-guard.dev, whose failurePolicy is always Ignore, so an outage never
blocks them; what is lost is fail-closed protection for credential and TLS Secrets. The webhook allows
Secrets it does not judge. Upgrade to 1.28+ and re-run install to narrow it.`;

export function webhookManifest(opts: WebhookConfigurationOptions = {}): Manifest {
  const comments: Record<string, string> = {};
  if (!opts.caBundle && !opts.annotations?.[CERT_MANAGER_INJECT]) comments['webhooks.0.clientConfig'] = WITHOUT_CA_BUNDLE;
  if (supportsMatchConditions(opts.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION)) comments['webhooks.0.matchConditions'] = WITH_MATCH_CONDITIONS;
  else comments['webhooks.0.sideEffects'] = WITHOUT_MATCH_CONDITIONS;
  return { object: webhookConfiguration(opts), comments };
}

/** cert-manager's cainjector fills the caBundle from the Certificate this annotation names (namespace/name). */
export const CERT_MANAGER_INJECT = 'cert-manager.io/inject-ca-from';

/** The configuration as YAML, with its explanatory comments. */
export function renderWebhookConfiguration(opts: WebhookConfigurationOptions = {}): string {
  return toYaml(webhookManifest(opts));
}
