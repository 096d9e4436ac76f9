// IngressClassParameters rules: settings of KIC's IngressClass that KIC cannot apply.
import type { Rule } from './rule.ts';
import { name } from './text.ts';

const classWith = (parameters: string) => `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: kong
spec:
  controller: ingress-controllers.konghq.com/kong
  parameters:
${parameters}---
apiVersion: configuration.konghq.com/v1alpha1
kind: IngressClassParameters
metadata:
  name: kong
  namespace: kong
spec:
  serviceUpstream: true
`;

export const ingressClassParametersIgnored: Rule = {
  id: 'ingress-class-parameters-ignored',
  severity: 'warn',
  dangling: true,
  summary: "KIC's IngressClass names parameters KIC cannot use (wrong apiGroup or kind, not namespaced, or an IngressClassParameters that does not exist): it translates with the defaults.",
  explanation:
    "KIC reads the IngressClassParameters its own IngressClass names in spec.parameters (store.go GetIngressClassParametersV1Alpha1): apiGroup " +
    'configuration.konghq.com, kind IngressClassParameters, scope Namespace with a namespace. Any other reference, or one to an IngressClassParameters ' +
    'that does not exist, makes KIC log an error and translate with the defaults: enableLegacyRegexDetection and serviceUpstream off, so Ingress ' +
    'paths meant as regexes by the legacy heuristic are plain paths, and upstreams get the pod endpoints instead of the Service\'s DNS name. ' +
    'A warning: the IngressClassParameters may be created by the same apply.',
  examples: {
    bad: classWith('    apiGroup: configuration.konghq.com\n    kind: IngressClassParameters\n    scope: Cluster\n    name: kong\n'),
    good: classWith('    apiGroup: configuration.konghq.com\n    kind: IngressClassParameters\n    scope: Namespace\n    namespace: kong\n    name: kong\n'),
  },
  kinds: ['IngressClass'],
  check({ tr }, subject) {
    if (subject.metadata.name !== tr.config.ingressClass) return [];
    const params = tr.classParameters();
    if (!params.problem) return [];
    return [
      {
        field: 'spec.parameters',
        related: [],
        message:
          `${name(subject)} is KIC's IngressClass, and ${params.problem}. KIC cannot use these parameters: it logs an error and translates ` +
          'with the defaults (enableLegacyRegexDetection and serviceUpstream off).',
        fix:
          'reference an existing IngressClassParameters as apiGroup: configuration.konghq.com, kind: IngressClassParameters, scope: Namespace, ' +
          'namespace: <its namespace>, name: <its name>; or remove spec.parameters.',
      },
    ];
  },
};

export const CLASS_PARAMETER_RULES: readonly Rule[] = [ingressClassParametersIgnored];
