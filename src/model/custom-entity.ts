// KongCustomEntity (configuration.konghq.com/v1alpha1): a Kong entity of `spec.type` with `spec.fields` as written,
// for the class `spec.controllerName`, optionally attached through `spec.parentRef` to a KongPlugin or KongClusterPlugin
// whose services, routes and consumers fill its foreign fields (KIC 3.5 kongstate/customentity.go).
import { asString, isRecord, memoizeByObject, type K8sObject, type ObjectRef } from './object.ts';

const KONG = 'configuration.konghq.com';

export interface CustomEntityView {
  type?: string;
  /** `spec.fields`, or undefined when it is not an object (KIC cannot unmarshal it into one). */
  fields?: Record<string, unknown>;
  controllerName?: string;
  /** The plugin `spec.parentRef` names, when it names one (group configuration.konghq.com, kind KongPlugin or KongClusterPlugin). */
  parent?: ObjectRef;
  /** `spec.parentRef.namespace` is set and differs from the entity's own (KIC then needs a ReferenceGrant). */
  remoteParent: boolean;
  /**
   * The namespace KIC looks the plugin's relations up in (`<namespace>:<name>`, as getPluginRelatedEntitiesRef keys
   * them by the referrers' namespace): parentRef.namespace, else the entity's own, whatever the plugin's kind.
   */
  relationNamespace: string;
}

export const customEntityView: (obj: K8sObject) => CustomEntityView = memoizeByObject(function customEntityView(obj: K8sObject): CustomEntityView {
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const own = obj.metadata.namespace ?? '';
  const view: CustomEntityView = { remoteParent: false, relationNamespace: own };
  const type = asString(spec.type);
  if (type) view.type = type;
  if (isRecord(spec.fields) && !Array.isArray(spec.fields)) view.fields = spec.fields;
  const controllerName = asString(spec.controllerName);
  if (controllerName) view.controllerName = controllerName;
  const p = spec.parentRef;
  // findCustomEntityRelatedPlugin: only a plugin reference in configuration.konghq.com attaches the entity.
  if (isRecord(p) && p.group === KONG && (p.kind === 'KongPlugin' || p.kind === 'KongClusterPlugin') && typeof p.name === 'string' && p.name !== '') {
    const namespace = typeof p.namespace === 'string' && p.namespace !== '' ? p.namespace : own;
    view.remoteParent = namespace !== own;
    view.relationNamespace = namespace;
    view.parent = p.kind === 'KongPlugin' ? { group: KONG, kind: 'KongPlugin', namespace, name: p.name } : { group: KONG, kind: 'KongClusterPlugin', name: p.name };
  }
  return view;
});
