// Generic Kubernetes object shapes and references. Everything else reads objects through these.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  resourceVersion?: string;
  generation?: number;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Identifies one object. `namespace` is absent for cluster-scoped kinds. */
export interface ObjectRef {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function refOf(obj: K8sObject): ObjectRef {
  const ref: ObjectRef = { group: groupOf(obj.apiVersion), kind: obj.kind, name: obj.metadata.name };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  return ref;
}

/** KIC's fallback notation: `group/Kind:namespace/name`, with `core` for the empty group. */
export function refKey(ref: ObjectRef): string {
  return `${ref.group || 'core'}/${ref.kind}:${ref.namespace ?? ''}/${ref.name}`;
}

/** Objects are never mutated once read, so facts derived from one alone can be cached by identity. */
export function memoizeByObject<T>(derive: (obj: K8sObject) => T): (obj: K8sObject) => T {
  const cache = new WeakMap<K8sObject, T>();
  return (obj) => {
    if (cache.has(obj)) return cache.get(obj) as T;
    const value = derive(obj);
    cache.set(obj, value);
    return value;
  };
}

export const keyOf: (obj: K8sObject) => string = memoizeByObject((obj) => refKey(refOf(obj)));

/** Human form used in messages: `KongPlugin default/rate-limit-base`, `IngressClass kong`. */
export function describe(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return refKey(a) === refKey(b);
}

export function annotation(obj: K8sObject, key: string): string | undefined {
  return obj.metadata.annotations?.[key];
}

export function label(obj: K8sObject, key: string): string | undefined {
  return obj.metadata.labels?.[key];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
