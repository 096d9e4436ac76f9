// Annotation and label keys KIC reads.
export const PLUGINS_ANNOTATION = 'konghq.com/plugins';
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
export const CREDENTIAL_LABEL = 'konghq.com/credential';
export const GLOBAL_PLUGIN_LABEL = 'global';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const METHODS_ANNOTATION = 'konghq.com/methods';
export const HEADERS_ANNOTATION_PREFIX = 'konghq.com/headers.';
export const PROTOCOLS_ANNOTATION = 'konghq.com/protocols';
export const REWRITE_ANNOTATION = 'konghq.com/rewrite';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** A Service's KongUpstreamPolicy (same namespace). */
export const UPSTREAM_POLICY_ANNOTATION = 'konghq.com/upstream-policy';
/** A Service's KongIngress (same namespace): deprecated, only its upstream section is read. */
export const OVERRIDE_ANNOTATION = 'konghq.com/override';
