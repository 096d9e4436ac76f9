// Ingress backends that are KongServiceFacades, as KIC 3.5 translates them with its KongServiceFacade feature gate
// (subtranslator/ingress.go getIngressPathBackend, translateIntoKongStateService; translate_ingress.go
// translateIngressDefaultBackendResource): one Kong service per facade, named and addressed `<ns>.<facade>.svc.facade`,
// whose upstream's targets are those of the facade's backendRef Service port.
import { annotation, keyOf, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { PLUGINS_ANNOTATION } from '../model/annotations.ts';
import { facadeBackend, FACADE_GROUP, isFacadeResource } from '../model/service-facade.ts';
import type { IngressBackend } from '../model/views.ts';
import type { KongService } from './kong.ts';
import type { Translator } from './translator.ts';

/** The KongServiceFacade an Ingress backend names, when KIC reads it: the gate is on and the facade is of its class. */
export function usableFacade(tr: Translator, namespace: string, backend: IngressBackend): K8sObject | undefined {
  if (!isFacadeResource(backend.resource) || !backend.resource?.name) return undefined;
  const facade = tr.view.get(refKey({ group: FACADE_GROUP, kind: 'KongServiceFacade', namespace, name: backend.resource.name }));
  return facade && tr.isManaged(facade) ? facade : undefined;
}

/** The Kong service of a facade: its backends the backendRef Service port, its source the Ingress, its `facade` the facade. */
export function facadeKongService(facade: K8sObject, source: ObjectRef): KongService {
  const ns = facade.metadata.namespace ?? '';
  const name = `${ns}.${facade.metadata.name}.svc.facade`;
  const { serviceName, port } = facadeBackend(facade);
  const service: ObjectRef = { group: '', kind: 'Service', namespace: ns, name: serviceName ?? '' };
  return { name, host: name, backends: serviceName ? [{ service, ...(port !== undefined ? { port } : {}), weight: 1 }] : [], sources: [source], facade: refOf(facade) };
}

/** intoKongRouteName for a facade: `<ns>.<ingress>.<host>.<facade>.svc.facade`, no port (a facade has one). */
export function facadeRouteName(namespace: string, ingress: string, host: string, facade: string): string {
  return `${namespace}.${ingress}.${host.replaceAll('*', '_')}.${facade}.svc.facade`;
}

/** The Kong services of a facade (those the Ingresses naming it build). */
export function facadeKongServices(tr: Translator, facade: K8sObject): KongService[] {
  const key = keyOf(facade);
  const found = new Map<string, KongService>();
  for (const referrer of tr.view.lookup('dependants', key)) for (const s of tr.servicesOf(referrer)) if (s.facade && refKey(s.facade) === key) found.set(s.name, s);
  return [...found.values()];
}

/**
 * The Kong services whose plugins a Service's or a facade's konghq.com/plugins decides: KIC reads them off the Service
 * with the facade's annotations over it (resolveKubernetesServiceForBackend), so a facade's own list replaces the Service's.
 */
export function pluginServiceScopes(tr: Translator, referrer: K8sObject): KongService[] {
  if (referrer.kind === 'KongServiceFacade') return tr.isManaged(referrer) ? facadeKongServices(tr, referrer) : [];
  return tr.kongServicesBackedBy(referrer).filter((s) => {
    const facade = s.facade && tr.view.get(refKey(s.facade));
    return !facade || annotation(facade, PLUGINS_ANNOTATION) === undefined;
  });
}

/** The Services behind a Kong service as KIC sees them: for a facade's, with the facade's annotations over the Service's. */
export function withFacadeAnnotations(tr: Translator, s: KongService, services: K8sObject[]): K8sObject[] {
  const facade = s.facade && tr.view.get(refKey(s.facade));
  if (!facade) return services;
  return services.map((o) => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, ...facade.metadata.annotations } } }));
}
