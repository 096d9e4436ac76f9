// BackendTLSPolicy (gateway.networking.k8s.io/v1alpha3, the version KIC 3.5 reads): TLS from Kong to the Services it
// targets. KIC turns the one policy of a Service into that Service's annotations (ingressrules.go handleBackendTLSPolices).
import { asArray, asString, isRecord, memoizeByObject, type K8sObject } from './object.ts';

export interface BackendTLSPolicyView {
  /** Names of the Services in spec.targetRefs (group "" or "core", kind Service), in the policy's namespace. */
  services: string[];
  hostname?: string;
  caCertificateRefs: { group: string; kind: string; name: string }[];
  subjectAltNames: boolean;
  wellKnownCACertificates: boolean;
  /** spec.options["tls-verify-depth"] when it is a non-negative integer (getTLSVerifyDepthOption). */
  verifyDepth?: number;
}

export const backendTLSPolicyView: (obj: K8sObject) => BackendTLSPolicyView = memoizeByObject(function backendTLSPolicyView(obj: K8sObject): BackendTLSPolicyView {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const validation = isRecord(spec.validation) ? spec.validation : {};
  const services = asArray(spec.targetRefs).flatMap((r) => (isRecord(r) && (r.group === '' || r.group === 'core' || r.group === undefined) && r.kind === 'Service' && typeof r.name === 'string' ? [r.name] : []));
  const caCertificateRefs = asArray(validation.caCertificateRefs).flatMap((r) => (isRecord(r) ? [{ group: asString(r.group) ?? '', kind: asString(r.kind) ?? '', name: asString(r.name) ?? '' }] : []));
  const view: BackendTLSPolicyView = {
    services,
    caCertificateRefs,
    subjectAltNames: asArray(validation.subjectAltNames).length > 0,
    wellKnownCACertificates: validation.wellKnownCACertificates !== undefined && validation.wellKnownCACertificates !== null,
  };
  const hostname = asString(validation.hostname);
  if (hostname) view.hostname = hostname;
  const depth = isRecord(spec.options) ? spec.options['tls-verify-depth'] : undefined;
  // strconv.Atoi: an optional sign and decimal digits.
  if (typeof depth === 'string' && /^[+-]?\d+$/.test(depth) && Number(depth) >= 0) view.verifyDepth = Number(depth);
  return view;
});
