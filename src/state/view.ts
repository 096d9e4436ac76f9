// The read-only view every rule and translator works on. Two implementations: Store (the cluster as
// the edges last saw it) and Overlay (a store plus one change, copying nothing).
import type { K8sObject } from '../model/object.ts';
import type { IndexName } from './indexes.ts';

export interface StateView {
  get(key: string): K8sObject | undefined;
  /** Every object of one kind. */
  list(kind: string): Iterable<K8sObject>;
  /** Every object: whole-state judgements enumerate their subjects with it (rules never scan). */
  all(): Iterable<K8sObject>;
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

/**
 * Orders objects oldest first, as KIC does when it picks a winner: creation time, then arrival, then key.
 * An object without a creation time counts as older than every timestamped one when it is part of the
 * state (manifests loaded as the cluster were there first), and as the newest when it is the one being
 * created. Each object maps to one (time, arrival, key) tuple, so the order is total.
 */
export function olderFirst(view: StateView, keyOf: (o: K8sObject) => string) {
  const rank = (obj: K8sObject): [number, number, string] => {
    const key = keyOf(obj);
    const arrival = view.sequence(key);
    const t = obj.metadata.creationTimestamp ? Date.parse(obj.metadata.creationTimestamp) : NaN;
    const time = Number.isNaN(t) ? (Number.isFinite(arrival) ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY) : t;
    return [time, arrival, key];
  };
  return (a: K8sObject, b: K8sObject): number => {
    const [ta, sa, ka] = rank(a);
    const [tb, sb, kb] = rank(b);
    if (ta !== tb) return ta < tb ? -1 : 1;
    if (sa !== sb) return sa < sb ? -1 : 1;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}
