// BackendTLSPolicy as KIC 3.5 applies it. Its BackendTLSPolicy controller runs only with the GatewayAlpha feature gate,
// and puts a policy in KIC's store only when an HTTPRoute of KIC's Gateways uses a Service it targets and the policy is
// valid (backendtlspolicy_utils.go getBackendTLSPolicyAncestors, validateBackendTLSPolicy). The translator then gives
// each Service of a Kong service its one policy as annotations (ingressrules.go handleBackendTLSPolices): protocol
// https, tls-verify true, the upstream's host-header the policy's hostname, its CA certificates, and tls-verify-depth.
import { keyOf, refKey, type K8sObject, type ObjectRef } from '../model/object.ts';
import { backendTLSPolicyView } from '../model/backend-tls-policy.ts';
import { routeBackendRefs } from '../model/views.ts';
import type { Translator } from './translator.ts';

function service(namespace: string, name: string): ObjectRef {
  return { group: '', kind: 'Service', namespace, name };
}

/** ListBackendTLSPoliciesByTargetService: the policies in the Service's namespace whose targetRefs name it. */
export function policiesTargeting(tr: Translator, target: ObjectRef): K8sObject[] {
  return tr.view
    .lookup('backendTLSPolicies', refKey(target))
    .filter((o) => o.metadata.namespace === target.namespace && backendTLSPolicyView(o).services.includes(target.name));
}

/** Why KIC's controller keeps the policy out of its store, so that the translator never applies it; undefined when it does not. */
export function policyRejection(tr: Translator, policy: K8sObject): string | undefined {
  if (!tr.config.gatewayAlpha) return 'KIC reads BackendTLSPolicies only with its GatewayAlpha feature gate, off by default (gatewayAlpha: false in the ingress-guard configuration)';
  const ns = policy.metadata.namespace ?? '';
  const v = backendTLSPolicyView(policy);
  for (const name of v.services) {
    const others = policiesTargeting(tr, service(ns, name)).filter((p) => keyOf(p) !== keyOf(policy));
    if (others.length) return `BackendTLSPolicy ${ns}/${others[0]!.metadata.name} targets Service ${name} too, and KIC accepts neither ("Multiple BackendTLSPolicies target the same service")`;
  }
  const bad = v.caCertificateRefs.find((r) => (r.group !== '' && r.group !== 'core') || (r.kind !== 'ConfigMap' && r.kind !== 'Secret'));
  if (bad) return `validation.caCertificateRefs names a ${bad.group ? `${bad.group}/` : ''}${bad.kind} ("CACertificateRefs must reference ConfigMaps or Secrets in the core group")`;
  if (v.subjectAltNames) return 'it sets validation.subjectAltNames, which KIC does not support ("SubjectAltNames feature is not currently supported")';
  if (v.wellKnownCACertificates) return 'it sets validation.wellKnownCACertificates, which KIC does not support ("WellKnownCACertificates feature is not currently supported")';
  const used = v.services.some((name) =>
    tr.view
      .lookup('dependants', refKey(service(ns, name)))
      .some((r) => r.kind === 'HTTPRoute' && tr.isManaged(r) && routeBackendRefs(r).some((b) => b.group === '' && b.kind === 'Service' && b.namespace === ns && b.name === name && tr.permitsBackend(r, b))),
  );
  if (!used) return "no HTTPRoute of KIC's Gateways sends traffic to a Service it targets, so KIC's controller never takes it up";
  return undefined;
}

/** The policy KIC applies to this Service: its only one, when KIC took it up. */
export function appliedBackendTLSPolicy(tr: Translator, svc: K8sObject): K8sObject | undefined {
  const policies = policiesTargeting(tr, service(svc.metadata.namespace ?? '', svc.metadata.name));
  return policies.length === 1 && !policyRejection(tr, policies[0]!) ? policies[0] : undefined;
}

/** handleBackendTLSPolices: the Services with their policy's settings as the annotations KIC sets on its copy. */
export function withBackendTLSPolicies(tr: Translator, services: K8sObject[]): K8sObject[] {
  return services.map((o) => {
    const policy = appliedBackendTLSPolicy(tr, o);
    if (!policy) return o;
    const v = backendTLSPolicyView(policy);
    const anns: Record<string, string> = { ...o.metadata.annotations, 'konghq.com/tls-verify': 'true', 'konghq.com/host-header': v.hostname ?? '', 'konghq.com/protocol': 'https' };
    // SetConfigMapCACertificates / SetSecretCACertificates append to what the Service already lists.
    for (const [kind, key] of [['ConfigMap', 'konghq.com/ca-certificates-configmaps'], ['Secret', 'konghq.com/ca-certificates-secrets']] as const) {
      const names = v.caCertificateRefs.filter((r) => r.kind === kind).map((r) => r.name);
      if (names.length) anns[key] = anns[key] ? `${anns[key]},${names.join(',')}` : names.join(',');
    }
    if (v.verifyDepth !== undefined) anns['konghq.com/tls-verify-depth'] = String(v.verifyDepth);
    return { ...o, metadata: { ...o.metadata, annotations: anns } };
  });
}
