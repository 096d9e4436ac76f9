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

/**
 * obj[key] when it is obj's own property. Keys written by users ("__proto__", "constructor") must never reach
 * the prototype: `node = node[key]` would walk into Object.prototype and the next write would change every object.
 */
export function ownValue<T>(obj: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Sets obj[key] as an own property whatever the key: `obj["__proto__"] = v` would replace obj's prototype instead. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): T {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deepest nesting the edges accept in an object (forged reviews, manifest files). Real objects nest a few
 * dozen levels (managedFields doubles the spec's depth); anything near the JS stack limit is an attack,
 * and recursive code (JSON.stringify, schema validators, rules) must never see it.
 */
export const MAX_OBJECT_DEPTH = 1000;

/** Whether `value` nests arrays/objects deeper than `limit` levels. Iterative: safe on any depth. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Why `metadata` lacks the ObjectMeta shape the API server guarantees for every object it stores (for the
 * fields the engine reads), or undefined. Every edge that accepts objects from outside the API server's
 * validation (forged AdmissionReviews, manifest files) checks this, so the engine can rely on it.
 * The message names fields and keys, never values.
 */
export function metadataProblem(metadata: unknown): string | undefined {
  if (!isRecord(metadata)) return 'metadata must be a mapping';
  if (typeof metadata.name !== 'string' || metadata.name === '') return 'metadata.name must be a non-empty string';
  for (const field of ['namespace', 'uid', 'resourceVersion', 'creationTimestamp']) {
    const value = metadata[field];
    if (value !== undefined && value !== null && typeof value !== 'string') return `metadata.${field} must be a string`;
  }
  if (metadata.generation !== undefined && metadata.generation !== null && typeof metadata.generation !== 'number') return 'metadata.generation must be a number';
  for (const field of ['labels', 'annotations']) {
    const map = metadata[field];
    if (map === undefined || map === null) continue;
    if (!isRecord(map)) return `metadata.${field} must be a mapping of strings`;
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string') return `metadata.${field} values must be strings (${JSON.stringify(key.length > 100 ? `${key.slice(0, 100)}…` : key)} is not)`;
    }
  }
  return undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
