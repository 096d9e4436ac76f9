// The read-only view every rule and translator works on. Two implementations: Store (the cluster as
// the edges last saw it) and Overlay (a store plus one change, copying nothing).
import type { K8sObject } from '../model/object.ts';
import type { IndexName } from './indexes.ts';

export interface StateView {
  get(key: string): K8sObject | undefined;
  /** Every object of one kind. */
  list(kind: string): Iterable<K8sObject>;
  /** Objects whose index `name` contains `key`. */
  lookup(name: IndexName, key: string): K8sObject[];
  /** Arrival order, used to break ties between objects without creation timestamps. */
  sequence(key: string): number;
}

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE';

/** One change to one object: `object` is absent on DELETE, `oldObject` absent on CREATE. */
export interface Change {
  operation: Operation;
  object?: K8sObject;
  oldObject?: K8sObject;
}

function timestamp(obj: K8sObject): number {
  const t = obj.metadata.creationTimestamp ? Date.parse(obj.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Orders objects oldest first, as KIC does when it picks a winner (creation time, then arrival, then name). */
export function olderFirst(view: StateView, keyOf: (o: K8sObject) => string) {
  return (a: K8sObject, b: K8sObject): number => {
    const ta = timestamp(a);
    const tb = timestamp(b);
    if (ta !== tb && Number.isFinite(ta) && Number.isFinite(tb)) return ta - tb;
    const sa = view.sequence(keyOf(a));
    const sb = view.sequence(keyOf(b));
    if (sa !== sb) return sa - sb;
    return keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0;
  };
}
