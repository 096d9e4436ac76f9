// The cluster state as the edges (files, informers) deliver it, with its secondary indexes kept current.
import { isRecord, keyOf, type K8sObject } from '../model/object.ts';
import { LAST_APPLIED_ANNOTATION } from '../model/annotations.ts';
import { redactSecret } from '../model/secret.ts';
import { INDEX_NAMES, INDEXES, type IndexName } from './indexes.ts';
import { intern } from './intern.ts';
import type { StateView } from './view.ts';

/**
 * Secrets are reduced to facts before anything keeps them. Other objects lose what no rule or translation
 * reads and that costs memory: kubectl's last-applied annotation (a second copy of the object as last applied
 * by client-side apply or Argo CD), `status` (written by controllers, read by none of ingress-guard's rules:
 * KIC translates specs), and `metadata.ownerReferences` (every EndpointSlice names its Service there; KIC
 * finds slices by their kubernetes.io/service-name label). At 50k objects in the benchmark's cluster these
 * were 5.1 MiB of JSON. EndpointSlices keep of each endpoint only what KIC's targets and the rules read
 * (slimEndpoints).
 */
export function admit(obj: K8sObject): K8sObject {
  if (obj.kind === 'Secret') return redactSecret(obj);
  const slim = obj.kind === 'EndpointSlice' ? slimEndpoints(obj) : obj;
  const annotations = slim.metadata?.annotations;
  const applied = !!annotations && typeof annotations === 'object' && Object.hasOwn(annotations, LAST_APPLIED_ANNOTATION);
  const owned = !!slim.metadata && Object.hasOwn(slim.metadata, 'ownerReferences');
  if (!applied && !owned && !Object.hasOwn(slim, 'status')) return slim;
  const { status: _status, ...kept } = slim as K8sObject & { status?: unknown };
  const { ownerReferences: _owners, ...metadata } = slim.metadata as K8sObject['metadata'] & { ownerReferences?: unknown };
  if (applied) {
    const { [LAST_APPLIED_ANNOTATION]: _applied, ...rest } = annotations!;
    metadata.annotations = rest;
  }
  return { ...kept, metadata } as K8sObject;
}

/** The fields of an EndpointSlice endpoint anything reads: the addresses and the conditions (translate/deck-targets.ts, rules/class-annotations.ts). */
const ENDPOINT_FIELDS = ['addresses', 'conditions'];

/**
 * An EndpointSlice without what no rule or translation reads of its endpoints: the Pod each one targets
 * (targetRef: kind, name, namespace, uid), its node, zone and topology hints. Those were about half of a
 * slice's memory in the benchmark's cluster (a fifth of its objects are slices of three endpoints).
 */
function slimEndpoints(obj: K8sObject): K8sObject {
  const endpoints = (obj as { endpoints?: unknown }).endpoints;
  if (!Array.isArray(endpoints) || endpoints.every((e) => !isRecord(e) || Object.keys(e).every((k) => ENDPOINT_FIELDS.includes(k)))) return obj;
  const slim = (e: Record<string, unknown>) => Object.fromEntries(ENDPOINT_FIELDS.filter((k) => Object.hasOwn(e, k)).map((k) => [k, e[k]]));
  return { ...obj, endpoints: endpoints.map((e: unknown) => (isRecord(e) ? slim(e) : e)) };
}

/**
 * Strings at least this long in a parsed object are slices of the text JSON.parse read (V8's SlicedString, from
 * 13 characters): each keeps that whole text alive, an informer's list response or watch event.
 */
const SLICED_FROM = 13;

/** Longer strings are copied (`repeat(1)` makes a flat copy) rather than interned: certificates and JSON blobs are rarely repeated. */
const INTERN_UP_TO = 128;

/**
 * Replaces every string of a stored object that may be a slice of its JSON text by a copy, interned (intern.ts)
 * unless long, so that no object keeps the text it was parsed from alive. Interning also shares repeated values
 * (API versions, hosts, label and annotation values, service names): at 50k objects the store took 99 MiB
 * instead of 109. Equal strings are indistinguishable, so nothing else changes; frozen objects (manifests, read
 * from files) are left as they are.
 */
function unslice(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (typeof child === 'string') {
      if (child.length >= SLICED_FROM) record[key] = child.length <= INTERN_UP_TO ? intern(child) : child.repeat(1);
    } else if (typeof child === 'object') unslice(child);
  }
}

/**
 * Whether `next` is the version the store already holds: the API server gives every write a new
 * resourceVersion, so an equal one (and the same API version) is the same object. A relist delivers every
 * object again; re-indexing and re-judging each would block the event loop for seconds at 50k objects, as
 * client-go users skip such "updates" by resourceVersion too. Objects without one (manifests) always apply.
 */
function sameVersion(held: K8sObject, next: K8sObject): boolean {
  const version = next.metadata?.resourceVersion;
  return typeof version === 'string' && version !== '' && held.metadata.resourceVersion === version && held.apiVersion === next.apiVersion;
}

export class Store implements StateView {
  private readonly objects = new Map<string, K8sObject>();
  private readonly byKind = new Map<string, Map<string, K8sObject>>();
  /** index -> entry -> the keys of the objects in it; most entries hold one object, kept without a Set. */
  private readonly indexes = new Map<IndexName, Map<string, string | Set<string>>>(INDEX_NAMES.map((n) => [n, new Map()]));
  private readonly arrivals = new Map<string, number>();
  private nextArrival = 0;
  /** Bumped on every write, so caches over the store know when they are stale. */
  revision = 0;
  /** Called after every write with the previous and the new version (undefined when absent). */
  private readonly listeners: ((before: K8sObject | undefined, after: K8sObject | undefined) => void)[] = [];

  constructor(objects: Iterable<K8sObject> = []) {
    for (const obj of objects) this.upsert(obj);
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): K8sObject | undefined {
    return this.objects.get(key);
  }

  list(kind: string): Iterable<K8sObject> {
    return this.byKind.get(kind)?.values() ?? [];
  }

  all(): Iterable<K8sObject> {
    return this.objects.values();
  }

  lookup(name: IndexName, key: string): K8sObject[] {
    const keys = this.indexes.get(name)?.get(key);
    if (!keys) return [];
    if (typeof keys === 'string') {
      const obj = this.objects.get(keys);
      return obj ? [obj] : [];
    }
    const found: K8sObject[] = [];
    for (const k of keys) {
      const obj = this.objects.get(k);
      if (obj) found.push(obj);
    }
    return found;
  }

  sequence(key: string): number {
    return this.arrivals.get(key) ?? Number.POSITIVE_INFINITY;
  }

  upsert(raw: K8sObject): K8sObject {
    const found = keyOf(raw);
    const previous = this.objects.get(found);
    if (previous && sameVersion(previous, raw)) return previous;
    // Every map here and in the judgements holds the key: one flat copy (intern.ts).
    const key = intern(found);
    const obj = admit(raw);
    unslice(obj);
    if (previous) this.unindex(key, previous);
    this.objects.set(key, obj);
    let kindMap = this.byKind.get(obj.kind);
    if (!kindMap) this.byKind.set(obj.kind, (kindMap = new Map()));
    kindMap.set(key, obj);
    if (!this.arrivals.has(key)) this.arrivals.set(key, this.nextArrival++);
    for (const name of INDEX_NAMES) {
      const index = this.indexes.get(name)!;
      for (const value of INDEXES[name](obj)) {
        const bucket = index.get(value);
        if (bucket === undefined) index.set(intern(value), key);
        else if (typeof bucket !== 'string') bucket.add(key);
        else if (bucket !== key) index.set(value, new Set([bucket, key]));
      }
    }
    this.revision++;
    for (const listener of this.listeners) listener(previous, obj);
    return obj;
  }

  /** Registers a listener for every later write (the problems report follows the store this way). */
  subscribe(listener: (before: K8sObject | undefined, after: K8sObject | undefined) => void): void {
    this.listeners.push(listener);
  }

  delete(key: string): K8sObject | undefined {
    const previous = this.objects.get(key);
    if (!previous) return undefined;
    this.unindex(key, previous);
    this.objects.delete(key);
    this.byKind.get(previous.kind)?.delete(key);
    this.arrivals.delete(key);
    this.revision++;
    for (const listener of this.listeners) listener(previous, undefined);
    return previous;
  }

  private unindex(key: string, obj: K8sObject): void {
    for (const name of INDEX_NAMES) {
      const index = this.indexes.get(name)!;
      for (const value of INDEXES[name](obj)) {
        const bucket = index.get(value);
        if (bucket === key) index.delete(value);
        else if (typeof bucket === 'object' && bucket.delete(key) && bucket.size === 1) index.set(value, bucket.values().next().value!);
      }
    }
  }
}
