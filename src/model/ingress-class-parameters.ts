// IngressClassParameters (configuration.konghq.com/v1alpha1), which an IngressClass names in `spec.parameters`.
// KIC 3.5 reads only those of its own IngressClass (translate_upstreams.go getIngressClassParametersOrDefault) and
// applies them to the whole translation: `enableLegacyRegexDetection` to every Ingress path, `serviceUpstream` to
// every Kong upstream's targets. A reference it cannot follow means the defaults (both false).
import { isRecord, type K8sObject, type ObjectRef } from './object.ts';

const KONG = 'configuration.konghq.com';

export interface IngressClassParametersSpec {
  enableLegacyRegexDetection: boolean;
  serviceUpstream: boolean;
}

export const DEFAULT_CLASS_PARAMETERS: IngressClassParametersSpec = { enableLegacyRegexDetection: false, serviceUpstream: false };

/**
 * store.go GetIngressClassParametersV1Alpha1: the IngressClassParameters an IngressClass names, or why KIC cannot
 * follow the reference (then it uses the defaults). No `spec.parameters` is no reference and no problem.
 */
export function classParametersRef(ingressClass: K8sObject): { ref?: ObjectRef; problem?: string } {
  const spec = isRecord(ingressClass.spec) ? ingressClass.spec : {};
  const p = spec.parameters;
  if (!isRecord(p)) return {};
  if (p.apiGroup !== KONG) return { problem: `spec.parameters.apiGroup is ${typeof p.apiGroup === 'string' ? `"${p.apiGroup}"` : 'not set'}, not "${KONG}"` };
  if (p.kind !== 'IngressClassParameters') return { problem: `spec.parameters.kind is ${typeof p.kind === 'string' ? `"${p.kind}"` : 'not set'}, not "IngressClassParameters"` };
  if (typeof p.scope !== 'string' || typeof p.namespace !== 'string') {
    const has = typeof p.scope === 'string' ? `scope "${p.scope}" and no namespace` : typeof p.namespace === 'string' ? 'no scope' : 'no scope and no namespace';
    return { problem: `spec.parameters has ${has} (KIC reads only namespaced parameters, with both set)` };
  }
  if (typeof p.name !== 'string' || p.name === '') return { problem: 'spec.parameters has no name' };
  return { ref: { group: KONG, kind: 'IngressClassParameters', namespace: p.namespace, name: p.name } };
}

/** The spec's two switches; anything but `true` is false (the CRD admits only booleans). */
export function classParametersSpec(obj: K8sObject): IngressClassParametersSpec {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  return { enableLegacyRegexDetection: spec.enableLegacyRegexDetection === true, serviceUpstream: spec.serviceUpstream === true };
}

/** subtranslator/ingress.go legacyRegexPathExpression: the characters Kong before 3.0 read as a plain (non-regex) path. */
const LEGACY_PLAIN_PATH = /^[a-zA-Z0-9.\-_~/%]*$/;

/** Whether KIC's legacy heuristic (MaybePrependRegexPrefix with enableLegacyRegexDetection) makes this Kong path a regex. */
export function legacyRegexPath(path: string): boolean {
  return !LEGACY_PLAIN_PATH.test(path) && !path.startsWith('~');
}
