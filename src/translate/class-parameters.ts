// The IngressClassParameters KIC applies to its whole translation: those its own IngressClass (`--ingress-class`)
// names, or the defaults when there is none or KIC cannot follow the reference (getIngressClassParametersOrDefault).
import { refKey, type K8sObject } from '../model/object.ts';
import { classParametersRef, classParametersSpec, DEFAULT_CLASS_PARAMETERS, type IngressClassParametersSpec } from '../model/ingress-class-parameters.ts';
import type { StateView } from '../state/view.ts';

export interface ClassParameters {
  spec: IngressClassParametersSpec;
  /** KIC's IngressClass, when it exists. */
  ingressClass?: K8sObject;
  /** The IngressClassParameters in use. */
  parameters?: K8sObject;
  /** Why the IngressClass's spec.parameters give the defaults instead. */
  problem?: string;
}

export function resolveClassParameters(view: StateView, ingressClass: string): ClassParameters {
  const cls = view.get(refKey({ group: 'networking.k8s.io', kind: 'IngressClass', name: ingressClass }));
  if (!cls) return { spec: DEFAULT_CLASS_PARAMETERS };
  const { ref, problem } = classParametersRef(cls);
  if (!ref) return { spec: DEFAULT_CLASS_PARAMETERS, ingressClass: cls, ...(problem ? { problem } : {}) };
  const parameters = view.get(refKey(ref));
  if (!parameters) return { spec: DEFAULT_CLASS_PARAMETERS, ingressClass: cls, problem: `IngressClassParameters ${ref.namespace}/${ref.name} does not exist` };
  return { spec: classParametersSpec(parameters), ingressClass: cls, parameters };
}
