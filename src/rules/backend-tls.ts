// BackendTLSPolicy rules: a policy for a Service KIC translates that KIC will not apply.
import { refKey, type ObjectRef } from '../model/object.ts';
import { backendTLSPolicyView } from '../model/backend-tls-policy.ts';
import { policyRejection } from '../translate/backend-tls.ts';
import { httpRouteRules, KONG_BASE } from './example-base.ts';
import type { Rule } from './rule.ts';
import { name, plainList } from './text.ts';

const policy = (target: string) => `---
apiVersion: gateway.networking.k8s.io/v1alpha3
kind: BackendTLSPolicy
metadata: {name: echo-tls, namespace: default}
spec:
  targetRefs: [{group: "", kind: Service, name: ${target}}]
  validation: {hostname: echo.internal, caCertificateRefs: [{group: "", kind: ConfigMap, name: echo-ca}]}
`;

export const backendTLSPolicyNotApplied: Rule = {
  id: 'backend-tls-policy-not-applied',
  severity: 'warn',
  summary: "A BackendTLSPolicy for a Service KIC sends traffic to that KIC will not apply: GatewayAlpha is off, another policy targets the Service, it uses a feature KIC lacks, or no HTTPRoute of KIC's Gateways uses the Service.",
  explanation:
    "KIC 3.5 reads BackendTLSPolicies (v1alpha3) only with its GatewayAlpha feature gate (the ingress-guard setting gatewayAlpha), and takes one up only " +
    "when an HTTPRoute of its Gateways sends traffic to a Service it targets, no other policy targets that Service, its caCertificateRefs are " +
    'ConfigMaps or Secrets, and it sets neither subjectAltNames nor wellKnownCACertificates (backendtlspolicy_utils.go). Only then does it make the ' +
    "Service's Kong services https with tls_verify on, the policy's hostname as the upstream's host header and its CA certificates trusted. " +
    "Otherwise Kong keeps talking to the Service as its own annotations say: without TLS, or without verifying its certificate.",
  examples: {
    bad: KONG_BASE + httpRouteRules('api', ['{backendRefs: [{name: echo, port: 1027}]}']) + policy('echo'),
    good: KONG_BASE + httpRouteRules('api', ['{backendRefs: [{name: echo, port: 1027}]}']) + policy('echo-v2'),
  },
  kinds: ['BackendTLSPolicy'],
  check({ tr, view }, subject) {
    const ns = subject.metadata.namespace ?? '';
    // Only Services KIC translates: a policy for someone else's Service is not KIC's business.
    const targets = backendTLSPolicyView(subject).services
      .map((n): ObjectRef => ({ group: '', kind: 'Service', namespace: ns, name: n }))
      .filter((ref) => {
        const svc = view.get(refKey(ref));
        return svc !== undefined && tr.kongServicesBackedBy(svc).length > 0;
      });
    if (!targets.length) return [];
    const why = policyRejection(tr, subject);
    if (!why) return [];
    return [
      {
        field: 'spec',
        related: targets,
        message:
          `${name(subject)} targets ${plainList(targets.map((t) => name(t)))}, which KIC sends traffic to, but KIC will not apply it: ${why}. ` +
          "Kong keeps connecting to the Service as its own annotations say (http unless konghq.com/protocol says otherwise), without the policy's certificate verification and host header.",
        fix: why.includes('GatewayAlpha')
          ? 'run KIC with --feature-gates=GatewayAlpha=true and set gatewayAlpha: true in the ingress-guard configuration, or configure TLS with the Service\'s konghq.com/protocol, tls-verify and ca-certificates-secrets (or -configmaps) annotations.'
          : why.includes('HTTPRoute')
            ? "route to the Service from an HTTPRoute of KIC's Gateway, or configure TLS with the Service's konghq.com/protocol, tls-verify and ca-certificates-secrets (or -configmaps) annotations."
            : 'keep one BackendTLSPolicy per Service, with caCertificateRefs to ConfigMaps or Secrets and without subjectAltNames or wellKnownCACertificates.',
      },
    ];
  },
};

export const BACKEND_TLS_RULES: readonly Rule[] = [backendTLSPolicyNotApplied];
