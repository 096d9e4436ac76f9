// KongServiceFacade (incubator.ingress-controller.konghq.com/v1alpha1): a Kong service of its own in front of one
// Kubernetes Service port (`spec.backendRef`), which Ingress backends name as `backend.resource` (KIC 3.5, behind its
// KongServiceFacade feature gate). Its annotations override the Service's for that Kong service.
import { asString, isRecord, type K8sObject } from './object.ts';
import type { IngressBackend } from './views.ts';

export const FACADE_GROUP = 'incubator.ingress-controller.konghq.com';

/** subtranslator IsKongServiceFacade: the resource's apiGroup and kind name a KongServiceFacade. */
export function isFacadeResource(resource: IngressBackend['resource']): boolean {
  return resource?.apiGroup === FACADE_GROUP && resource.kind === 'KongServiceFacade';
}

/** `spec.backendRef`: the Service (in the facade's namespace) and its port number. */
export function facadeBackend(obj: K8sObject): { serviceName?: string; port?: number } {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const ref = isRecord(spec.backendRef) ? spec.backendRef : {};
  const out: { serviceName?: string; port?: number } = {};
  const name = asString(ref.name);
  if (name) out.serviceName = name;
  if (typeof ref.port === 'number' && Number.isInteger(ref.port)) out.port = ref.port;
  return out;
}
